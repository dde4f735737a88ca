import { describe, expect, it } from "vitest";
import { ObservationSchema } from "../observations/observation.js";
import { identify, loadKnowledge } from "./index.js";
import { partsOf } from "./parts/index.js";

/** Other tools' banners (Shodan `data`, masscan and zgrab banners) that are HTTP or RTSP replies read as such. */
const kb = loadKnowledge();
const banner = (raw: string, port: number) =>
  ObservationSchema.parse({ target: "127.0.0.8", protocol: "banner", port, response: { raw } });

describe("banners that are replies", () => {
  it("an HTTP reply in a banner meets the HTTP rules (Server: App-webs/, protocols.md §2.2)", () => {
    const o = banner(
      "HTTP/1.1 200 OK\r\nServer: App-webs/\r\nContent-Type: text/html\r\n\r\n<title>index</title>",
      80,
    );
    const names = partsOf(o, 0).map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(["banner.raw", "http.status", "http.header.server", "http.title"]),
    );
    const id = identify([o], kb);
    expect(id.manufacturer).toBe("hikvision");
    expect(id.evidence[0]?.part).toBe("http.header.server");
  });

  it("an RTSP reply in a banner meets the RTSP and realm rules (the 401 quoted in protocols.md §3)", () => {
    const raw =
      'RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\nWWW-Authenticate: Digest realm="IP Camera(C2875)", nonce="938032d91ffc30ca80b5da94c18887ac", stale="FALSE"\r\nDate:  Thu, May 14 2020 16:45:35 GMT\r\n\r\n';
    const id = identify([banner(raw, 554)], kb);
    expect(id.manufacturer).toBe("hikvision");
    expect(id.evidence.some((e) => e.part === "rtsp.realm")).toBe(true);
  });

  it("other banners stay banners", () => {
    const names = partsOf(banner("SSH-2.0-dropbear_2019.78\r\n", 22), 0).map((p) => p.name);
    expect(names).toEqual(["banner.raw", "banner.hex"]);
  });
});

describe("nmap scripts that read what camsweep's probes read", () => {
  const nmap = (scripts: Record<string, string>) =>
    ObservationSchema.parse({
      target: "127.0.0.8",
      protocol: "nmap",
      port: 80,
      request: { service: "http", scripts },
    });

  it("http-title becomes http.title (the Besder XM530 capture in corpus/nmap)", () => {
    const o = nmap({ "http-title": "NETSurveillance WEB" });
    expect(partsOf(o, 0).find((p) => p.name === "http.title")?.value).toBe("NETSurveillance WEB");
    expect(identify([o], kb).manufacturer).toBe("xiongmai");
  });

  it("nmap's own words for a missing title are not a title; http-server-header becomes the Server header", () => {
    const o = nmap({
      "http-title": "Site doesn't have a title (text/html).",
      "http-server-header": "App-webs/",
    });
    const parts = partsOf(o, 0);
    expect(parts.some((p) => p.name === "http.title")).toBe(false);
    expect(parts.find((p) => p.name === "http.header.server")?.value).toBe("App-webs/");
  });
});

describe("http and rtsp observations whose reply was kept whole as raw text", () => {
  const raw = (protocol: "http" | "rtsp", text: string, request?: Record<string, string>) =>
    ObservationSchema.parse({ target: "127.0.0.8", protocol, port: 80, request, response: { raw: text } });

  it("read as the message they are: status, headers, realm and the path's API parts", () => {
    const rtsp = raw(
      "rtsp",
      'RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nWWW-Authenticate: Digest realm="Login to 4M0747EPAA1D284", nonce="x"\r\n\r\n',
    );
    expect(identify([rtsp], kb).manufacturer).toBe("dahua");
    const isapi = raw(
      "http",
      'HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n\r\n<?xml version="1.0" encoding="UTF-8"?><DeviceInfo xmlns="http://www.hikvision.com/ver20/XMLSchema"><model>DS-2CD2032-I</model></DeviceInfo>',
      { method: "GET", path: "/ISAPI/System/deviceInfo" },
    );
    const names = partsOf(isapi, 0).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["http.status", "isapi.root", "isapi.model"]));
    expect(partsOf(isapi, 0).find((p) => p.name === "isapi.model")?.ctx.status).toBe(200);
  });

  it("a raw reply that is no message is noted, not guessed at", () => {
    const notes: string[] = [];
    expect(partsOf(raw("http", "\u0000\u0001garbage"), 0, notes)).toEqual([]);
    expect(notes.join("\n")).toMatch(/not an HTTP or RTSP message/);
  });

  it("a port written as a string, and header lines as a capture prints them, are read as such", () => {
    const o = ObservationSchema.parse({
      target: "127.0.0.8",
      protocol: "http",
      port: "8080",
      response: {
        status: 401,
        headers: ["Server: App-webs/", 'WWW-Authenticate: Digest realm="IP Camera(C2183)"'],
        body: "",
      },
    });
    expect(o.port).toBe(8080);
    expect(identify([o], kb).manufacturer).toBe("hikvision");
    const bad = {
      protocol: "http",
      port: "99999",
      response: { status: 200, headers: ["no colon"], body: "" },
    };
    expect(ObservationSchema.safeParse(bad).success).toBe(false);
  });

  it("a status written as a string is read as a number; anything else is refused", () => {
    const ok = { protocol: "http", response: { status: "401", headers: [], body: "" } };
    expect(ObservationSchema.parse(ok).response).toMatchObject({ status: 401 });
    const bad = { protocol: "http", response: { status: "four", headers: [], body: "" } };
    expect(ObservationSchema.safeParse(bad).success).toBe(false);
  });
});

describe("certificate names in other tools' forms meet the same TLS rules", () => {
  // Hikvision's default recorder certificate (rule tls.yaml hikvision: CN=www.hikvision.com with O=HIKVISION).
  it("nmap's ssl-cert script (long attribute names, slash-separated)", () => {
    const o = ObservationSchema.parse({
      target: "127.0.0.8",
      protocol: "nmap",
      port: 443,
      request: {
        service: "https",
        scripts: {
          "ssl-cert":
            "Subject: commonName=www.hikvision.com/organizationName=HIKVISION/stateOrProvinceName=ZJ/countryName=CN\nIssuer: commonName=www.hikvision.com/organizationName=HIKVISION/countryName=CN\nPublic Key type: rsa",
        },
      },
    });
    const parts = partsOf(o, 0);
    expect(parts.find((p) => p.name === "tls.subject")?.value).toBe(
      "CN=www.hikvision.com,O=HIKVISION,ST=ZJ,C=CN",
    );
    expect(identify([o], kb).manufacturer).toBe("hikvision");
  });
  it("OpenSSL's spaced form in a tls observation", () => {
    const o = ObservationSchema.parse({
      target: "127.0.0.8",
      protocol: "tls",
      port: 443,
      response: { cert: { subject: "subject=C = CN, ST = ZJ, O = HIKVISION, CN = www.hikvision.com" } },
    });
    expect(identify([o], kb).manufacturer).toBe("hikvision");
  });
});

describe("look-alikes' own device-information APIs", () => {
  const http = (path: string, body: string) =>
    ObservationSchema.parse({
      target: "127.0.0.8",
      protocol: "http",
      port: 80,
      request: { method: "GET", path },
      response: { status: 200, headers: [], body },
    });
  it("Uniview LAPI inside its Response/Data envelope names Uniview and the model", () => {
    const id = identify(
      [
        http(
          "/LAPI/V1.0/System/DeviceBasicInfo",
          '{"Response":{"ResponseURL":"/LAPI/V1.0/System/DeviceBasicInfo","ResponseCode":0,"Data":{"Manufacturer":"UNIVIEW","DeviceModel":"IPC2124LB-SF28KM-G","SerialNumber":"210235C3EVA21B000123"}}}',
        ),
      ],
      kb,
    );
    expect(id).toMatchObject({ manufacturer: "uniview", model: "IPC2124LB-SF28KM-G", restricted: false });
  });
  it("a value in single quotes (VIVOTEK getparam) loses them; a non-200 reply is not read", () => {
    const ok = http("/cgi-bin/viewer/getparam.cgi", "system_info_modelname='FD9360-H'\n");
    expect(partsOf(ok, 0).find((p) => p.name === "vivotek.system_info_modelname")?.value).toBe("FD9360-H");
    const denied = ObservationSchema.parse({ ...ok, response: { status: 401, headers: [], body: "x='y'" } });
    expect(partsOf(denied, 0).some((p) => p.name.startsWith("vivotek."))).toBe(false);
  });
});

describe("more of what other tools and older firmware send", () => {
  it("nmap's http-favicon MD5 meets the favicon rules", () => {
    const o = ObservationSchema.parse({
      target: "127.0.0.8",
      protocol: "nmap",
      port: 80,
      request: {
        service: "http",
        scripts: { "http-favicon": "Unknown favicon MD5: 89B932FCC47CF4CA3FAADB0CFDEF89CF" },
      },
    });
    expect(partsOf(o, 0).find((p) => p.name === "http.favicon.md5")?.value).toBe(
      "89b932fcc47cf4ca3faadb0cfdef89cf",
    );
    expect(identify([o], kb).manufacturer).toBe("hikvision");
  });
  it("the legacy /System/deviceInfo path is read as ISAPI deviceInfo", () => {
    const o = ObservationSchema.parse({
      target: "127.0.0.8",
      protocol: "http",
      port: 80,
      request: { method: "GET", path: "/System/deviceInfo" },
      response: {
        status: 200,
        headers: [],
        body: '<DeviceInfo version="1.0" xmlns="http://www.hikvision.com/ver10/XMLSchema"><model>DS-2CD2032-I</model><deviceID>8a620000-4af4-11b4-82c5-50e538bbaad1</deviceID></DeviceInfo>',
      },
    });
    const id = identify([o], kb);
    expect(id).toMatchObject({ manufacturer: "hikvision", model: "DS-2CD2032-I", mac: "50:e5:38:bb:aa:d1" });
  });
});
