import { describe, expect, it } from "vitest";
import { dhipFrame } from "../probes/dhip/parse.js";
import { ObservationSchema, type Observation, type ObservationInput } from "../observations/observation.js";
import { identify, identifyAll, loadKnowledge } from "./index.js";
import { partsOf } from "./parts/index.js";

const kb = loadKnowledge();
const T = "2024-09-18T09:21:28.000Z";
const obs = (o: ObservationInput): Observation => ObservationSchema.parse({ time: T, ...o });

// Real shapes quoted in shared/reference/protocols.md.
const SADP_DS2CD2320D = `<?xml version="1.0" encoding="UTF-8"?>
<ProbeMatch><Uuid>F93CF8DC-DF53-424B-98A7-9FC0536E1083</Uuid>
<Types>inquiry</Types>
<DeviceType>142378</DeviceType>
<DeviceDescription>DS-2CD2320D-I</DeviceDescription>
<DeviceSN>DS-2CD2320D-I20180919AACHC52932642</DeviceSN>
<CommandPort>8000</CommandPort>
<HttpPort>80</HttpPort>
<MAC>44-47-cc-37-ce-81</MAC>
<IPv4Address>192.168.1.112</IPv4Address>
<DHCP>true</DHCP>
<AnalogChannelNum>0</AnalogChannelNum>
<DigitalChannelNum>1</DigitalChannelNum>
<SoftwareVersion>V5.5.6build 180326</SoftwareVersion>
<DSPVersion>V7.3 build 180326</DSPVersion>
<DiskNumber>0</DiskNumber>
<Activated>true</Activated>
<HCPlatformEnable>flase</HCPlatformEnable>
</ProbeMatch>`;

const dhip = (json: string): string => dhipFrame(json).toString("base64");
const DHIP_IPC = `{ "mac" : "4c:11:bf:c2:0b:9d", "method" : "client.notifyDevInfo", "params" : { "deviceInfo" : { "AlarmInputChannels" : 0, "DeviceClass" : "IPC", "DeviceType" : "IPC-HDW5421S", "HttpPort" : 80, "MachineName" : "1F006E4PAX00075", "Manufacturer" : "Private", "Port" : 37777, "SerialNo" : "1F006E4PAX00075", "Vendor" : "Dahua", "Version" : "2.400.0.8", "VideoInputChannels" : 1 } } }\n`;
const RPC2 = `{"error":{"code":268632079,"message":"Component error: login challenge!"},"id":1,"params":{"authorization":"3339eaa9","encryption":"Default","mac":"3CEF8C6101C0","random":"3734299","realm":"Login to 4C045ADPAG60CD"},"result":false,"session":1005027323}`;

const http = (path: string, status: number, headers: [string, string][], body = "", method = "GET") =>
  obs({
    target: "127.0.0.10",
    port: 80,
    protocol: "http",
    request: { method, path, scheme: "http" },
    response: { status, headers, body },
  });

describe("identify", () => {
  it("Hikvision SADP reply -> hikvision camera, normalised firmware, mac, serial, 3 policies", () => {
    const id = identify(
      [
        obs({
          target: "127.0.0.10",
          port: 37020,
          protocol: "sadp",
          request: { payload: "<Probe/>" },
          response: { raw: SADP_DS2CD2320D },
        }),
      ],
      kb,
    );
    expect(id).toMatchObject({
      target: "127.0.0.10",
      manufacturer: "hikvision",
      brand: null,
      model: "DS-2CD2320D-I",
      firmware: "V5.5.6 build 180326",
      mac: "44:47:cc:37:ce:81",
      serial: "DS-2CD2320D-I20180919AACHC52932642",
      deviceType: "camera",
      restricted: true,
      policies: ["CA-ICA-2025-HIKVISION", "US-NDAA-FY2019-S889", "US-FCC-COVERED-LIST"],
    });
    expect(id.confidence).toBeGreaterThanOrEqual(0.97);
    const m = id.evidence.find((e) => e.field === "manufacturer" && e.rule === "sadp.probematch");
    expect(m).toMatchObject({
      part: "sadp.raw",
      excerpt: "<ProbeMatch",
      source: { protocol: "sadp", port: 37020, time: T },
    });
    expect(id.evidence.filter((e) => e.field === "restricted").map((e) => e.rule)).toEqual([
      "policy:CA-ICA-2025-HIKVISION",
      "policy:US-NDAA-FY2019-S889",
      "policy:US-FCC-COVERED-LIST",
    ]);
    expect(id.evidence.some((e) => e.field === "firmware" && e.rule === "firmware.hik-build")).toBe(true);
  });

  it("Dahua RPC2 challenge + DHIP -> dahua, 2 policies, evidence names the request", () => {
    const id = identify(
      [
        http("/RPC2_Login", 200, [["Content-Type", "application/json"]], RPC2, "POST"),
        obs({
          target: "127.0.0.10",
          port: 37810,
          protocol: "dahua-dhip",
          request: { payload: "x" },
          response: { raw: dhip(DHIP_IPC), encoding: "base64" },
        }),
      ],
      kb,
    );
    expect(id).toMatchObject({
      manufacturer: "dahua",
      brand: null,
      model: "IPC-HDW5421S",
      firmware: "2.400.0.8",
      deviceType: "camera",
      restricted: true,
      policies: ["US-NDAA-FY2019-S889", "US-FCC-COVERED-LIST"],
    });
    expect(id.evidence.find((e) => e.rule === "dahua.rpc2.realm.serial")?.source.request).toBe(
      "POST /RPC2_Login",
    );
    expect(["3c:ef:8c:61:01:c0", "4c:11:bf:c2:0b:9d"]).toContain(id.mac);
  });

  it("Lorex DHIP (Vendor Lorex) -> manufacturer dahua, brand Lorex", () => {
    const lorex = DHIP_IPC.replace('"Vendor" : "Dahua"', '"Vendor" : "Lorex"').replace(
      '"DeviceType" : "IPC-HDW5421S"',
      '"DeviceType" : "W461ASC"',
    );
    const id = identify(
      [
        obs({
          target: "127.0.0.11",
          port: 37810,
          protocol: "dahua-dhip",
          response: { raw: dhip(lorex), encoding: "base64" },
        }),
      ],
      kb,
    );
    expect(id).toMatchObject({ manufacturer: "dahua", brand: "Lorex", model: "W461ASC", restricted: true });
    expect(id.evidence.find((e) => e.field === "brand")).toMatchObject({
      rule: "dhip.vendor.lorex",
      part: "dhip.Vendor",
    });
  });

  it("a brand without firmware evidence maps to its owner via brands.yaml, and says so", () => {
    // HiWatch model string seen only in an ONVIF hardware scope (no SADP, no Hikvision server header).
    const probe = `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><e:Body><d:ProbeMatches><d:ProbeMatch><d:Scopes>onvif://www.onvif.org/hardware/HWI-B121H onvif://www.onvif.org/Profile/Streaming</d:Scopes></d:ProbeMatch></d:ProbeMatches></e:Body></e:Envelope>`;
    const only = identify(
      [obs({ target: "127.0.0.12", port: 3702, protocol: "onvif-probe", response: { raw: probe } })],
      kb,
    );
    expect(only.brand).toBeNull(); // 0.6 (scope) x 0.6 (HWI- prefix) is below the brand threshold
    expect(only.manufacturer).toBeNull();
    const withOnvifDevinfo = identify(
      [
        obs({
          target: "127.0.0.12",
          protocol: "onvif-devinfo",
          response: {
            raw: `<Envelope><Body><GetDeviceInformationResponse><Model>HWI-B121H</Model></GetDeviceInformationResponse></Body></Envelope>`,
          },
        }),
        obs({ target: "127.0.0.12", port: 3702, protocol: "onvif-probe", response: { raw: probe } }),
      ],
      kb,
    );
    // Brand from the model string (0.8 x 0.7 = 0.56); the owner link (x 0.8 = 0.45) stays below 0.5.
    expect(withOnvifDevinfo.brand).toBe("HiWatch");
    expect(withOnvifDevinfo.manufacturer).toBeNull();
    expect(withOnvifDevinfo.restricted).toBe(false);
  });

  it("Server: Webs alone -> unknown, not restricted", () => {
    const id = identify(
      [http("/", 200, [["Server", "Webs"]], "<html><title>Web Service</title></html>")],
      kb,
    );
    expect(id).toMatchObject({
      manufacturer: null,
      restricted: false,
      policies: [],
      confidence: 0,
      deviceType: "unknown",
    });
    expect(id.evidence).toEqual([]);
  });

  it("Server: Webs plus the Hikvision login script -> hikvision (AND rule)", () => {
    const body = `<script>window.location.href = "/doc/page/login.asp?_" + (new Date()).getTime();</script>`;
    const id = identify([http("/", 200, [["Server", "webserver"]], body)], kb);
    expect(id.manufacturer).toBe("hikvision");
    expect(id.evidence.map((e) => e.rule)).toContain("http.server.webs-with-hik-login");
    expect(id.confidence).toBeCloseTo(1 - 0.4 * 0.2, 5);
  });

  it("HP printer and MikroTik router are 'other', not restricted", () => {
    const hp = identify(
      [
        http("/", 200, [
          [
            "Server",
            "HP HTTP Server; HP ENVY 5640 series - B9S56A; Serial Number: TH5336W0QW05ZC; Built:Fri Jun 05, 2020 11:49:11AM {NLM5CN2023AR}",
          ],
        ]),
      ],
      kb,
    );
    expect(hp).toMatchObject({
      manufacturer: "hp",
      deviceType: "other",
      model: "ENVY 5640 series",
      serial: "TH5336W0QW05ZC",
      restricted: false,
    });
    const mt = identify(
      [http("/", 200, [], "<html><head><title>RouterOS router configuration page</title></head></html>")],
      kb,
    );
    expect(mt).toMatchObject({ manufacturer: "mikrotik", deviceType: "other", restricted: false });
  });

  it("Axis basicdeviceinfo and AXIS_<MAC> realm -> axis, not restricted", () => {
    const body = JSON.stringify({
      apiVersion: "1.0",
      data: {
        propertyList: { Brand: "AXIS", ProdNbr: "P5534", ProdFullName: "AXIS P5534 PTZ Dome Network Camera" },
      },
    });
    const id = identify(
      [
        http("/axis-cgi/basicdeviceinfo.cgi", 200, [["Content-Type", "application/json"]], body, "POST"),
        http("/ISAPI/System/deviceInfo", 401, [
          ["WWW-Authenticate", 'Digest realm="AXIS_ACCC8E3A0A8F", nonce="x", stale=FALSE'],
        ]),
      ],
      kb,
    );
    expect(id).toMatchObject({
      manufacturer: "axis",
      model: "P5534",
      deviceType: "camera",
      mac: "ac:cc:8e:3a:0a:8f",
      restricted: false,
      policies: [],
    });
  });

  it("hostile input: huge body, entity bomb, binary garbage -> no crash, no expansion", () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><ProbeMatch><DeviceDescription>&lol2;</DeviceDescription></ProbeMatch>`;
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString("base64");
    const observations = [
      http("/", 200, [["Server", "x".repeat(100_000)]], "A".repeat(5_000_000)),
      obs({ target: "127.0.0.13", protocol: "sadp", response: { raw: bomb } }),
      obs({ target: "127.0.0.13", protocol: "dahua-dhip", response: { raw: garbage, encoding: "base64" } }),
      obs({
        target: "127.0.0.13",
        protocol: "onvif-devinfo",
        response: { raw: garbage, encoding: "base64" },
      }),
      obs({
        target: "127.0.0.13",
        protocol: "banner",
        port: 8000,
        response: { raw: garbage, encoding: "base64" },
      }),
      {
        protocol: "http",
        response: { status: 200, headers: "not-a-list", body: 42 },
      } as unknown as Observation,
    ];
    const id = identify(observations, kb);
    // The raw "<ProbeMatch" marker may still count, but no field comes out of the DOCTYPE document.
    expect(id.model).toBeNull();
    expect(id.mac).toBeNull();
    expect(JSON.stringify(id)).not.toContain("lollol");
    for (const p of observations.flatMap((o, i) => partsOf(o, i))) {
      expect(p.value.length).toBeLessThanOrEqual(8 * 1024);
      expect(p.value).not.toContain("lollollol");
    }
    // The SADP raw text is kept (capped) but the DOCTYPE document is never parsed into fields.
    expect(partsOf(observations[1] as Observation, 1).map((p) => p.name)).toEqual(["sadp.raw"]);
  });

  it("is deterministic", () => {
    const input = [
      obs({ target: "127.0.0.10", port: 37020, protocol: "sadp", response: { raw: SADP_DS2CD2320D } }),
      http("/", 200, [["Server", "App-webs/"]]),
      http("/ISAPI/System/deviceInfo", 401, [
        ["WWW-Authenticate", 'Digest qop="auth", realm="IP Camera(C2183)", nonce="4e54", stale="FALSE"'],
      ]),
    ];
    const a = identify(input, kb);
    const b = identify(structuredClone(input), kb);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it("identifyAll groups by target in first-seen order; untargeted observations stand alone", () => {
    const list = [
      http("/", 200, [["Server", "App-webs/"]]),
      obs({
        target: "127.0.0.20",
        protocol: "http",
        request: { method: "GET", path: "/" },
        response: { status: 200, headers: [["Server", "DNVRS-Webs"]], body: "" },
      }),
      obs({
        protocol: "rtsp",
        request: { method: "OPTIONS" },
        response: { status: 200, headers: [["Server", "Dahua Rtsp Server"]], body: "" },
      }),
      http("/SDK/activateStatus", 200, [], "<ActivateStatus><Activated>true</Activated></ActivateStatus>"),
    ];
    const ids = identifyAll(list, kb);
    expect(ids.map((i) => [i.target, i.manufacturer, i.deviceType])).toEqual([
      ["127.0.0.10", "hikvision", "camera"],
      ["127.0.0.20", "hikvision", "nvr"],
      [null, "dahua", "unknown"],
    ]);
    expect(ids[0]?.evidence.some((e) => e.rule === "http.body.hik-activate-status")).toBe(true);
  });
});

describe("a Hikvision serial alone", () => {
  it("names the model, and through the model families the device type, without counting twice for the maker", () => {
    const o = ObservationSchema.parse({
      target: "127.0.0.7",
      protocol: "onvif-devinfo",
      port: 80,
      response: {
        status: 200,
        headers: [],
        body: '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><tds:GetDeviceInformationResponse xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><tds:SerialNumber>DS-2CD2320D-I20180919AACHC52932642</tds:SerialNumber></tds:GetDeviceInformationResponse></s:Body></s:Envelope>',
      },
    });
    const id = identify([o], kb);
    expect(id).toMatchObject({ manufacturer: "hikvision", model: "DS-2CD2320D-I", deviceType: "camera" });
    // The maker rests on the serial rule alone (0.7): the model family read from the same serial adds nothing to it.
    expect(id.evidence.filter((e) => e.field === "manufacturer").map((e) => e.rule)).toEqual([
      "hik-serial.onvif",
    ]);
  });
});
