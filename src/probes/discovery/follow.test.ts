import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Observation, ObservationSchema } from "../../observations/observation.js";
import { planAuthenticated } from "../auth/plan.js";
import type { ObservationPart } from "../observe.js";
import { SSDP_REPLY, WSD_MATCH } from "./__fixtures__/replies.js";
import { sameHostEndpoint } from "./endpoint.js";
import { discoveryFollowUps } from "./follow.js";

const H = "127.76.20.1";
const ELSEWHERE = "127.76.20.3";
const io = { connectTimeoutMs: 500, readTimeoutMs: 800, maxBodyBytes: 4096 };

interface Seen {
  method: string;
  url: string;
  type: string | undefined;
  body: string;
}
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function device(
  host: string,
  answer: (r: Seen) => [number, string],
): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const s = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const r = { method: req.method ?? "", url: req.url ?? "", type: req.headers["content-type"], body };
      seen.push(r);
      const [status, text] = answer(r);
      res.writeHead(status, { "Content-Type": "application/soap+xml" }).end(text);
    });
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, host, () => r()));
  return { port: (s.address() as AddressInfo).port, seen };
}

const raw = (protocol: "onvif-probe" | "ssdp", text: string): ObservationPart => ({
  protocol,
  port: 1,
  response: { raw: text },
});

const DESCRIPTION =
  '<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>' +
  "<device><deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType><friendlyName>Front door</friendlyName>" +
  "<manufacturer>Example Maker</manufacturer><modelName>EX-100</modelName><modelNumber>1.0</modelNumber>" +
  "<serialNumber>SN123</serialNumber><UDN>uuid:11111111-2222-3333-4444-555555555555</UDN>" +
  "<serviceList><service><serviceType>x</serviceType></service></serviceList></device></root>";

describe("discovery follow-ups", () => {
  it("the same-host rule: only http(s) on the replying address, a bounded path", () => {
    expect(sameHostEndpoint("http://127.76.20.1:8899/onvif/device_service", H)).toEqual({
      hop: { scheme: "http", port: 8899, path: "/onvif/device_service" },
    });
    expect(sameHostEndpoint("https://127.76.20.1/onvif/service?x=1", H)).toEqual({
      hop: { scheme: "https", port: 443, path: "/onvif/service?x=1" },
    });
    expect(sameHostEndpoint("http://[::1]:2020/onvif/service", "::1")).toMatchObject({ hop: { port: 2020 } });
    for (const bad of [
      "http://127.76.20.3/onvif/device_service",
      "http://camera.example/onvif/device_service",
      "http://user:pw@127.76.20.1/",
      "ftp://127.76.20.1/",
      "javascript:alert(1)",
      "not a url",
      `http://127.76.20.1/${"a".repeat(600)}`,
      "http://2130706433/", // 127.0.0.1 in another spelling: not the replier either
    ])
      expect(sameHostEndpoint(bad, H), bad).toHaveProperty("reason");
    // another spelling of the same address is the same address
    expect(sameHostEndpoint("http://127.076.020.001/x", H)).toHaveProperty("reason");
    expect(sameHostEndpoint("http://[0:0:0:0:0:0:0:1]/x", "::1")).toHaveProperty("hop");
  });

  it("ONVIF: GetServices and GetSystemDateAndTime, no login, at the XAddr on an odd port; the plan then uses that port", async () => {
    const dev = await device(H, (r) => [
      200,
      r.body.includes("GetServices")
        ? "<Envelope><Body><GetServicesResponse><Service><Namespace>http://www.onvif.org/ver10/device/wsdl</Namespace></Service></GetServicesResponse></Body></Envelope>"
        : "<Envelope><Body><GetSystemDateAndTimeResponse/></Body></Envelope>",
    ]);
    const other = await device(ELSEWHERE, () => [200, ""]);
    const xaddrs = `http://${ELSEWHERE}:${other.port}/onvif/device_service http://${H}:${dev.port}/onvif/service`;
    const parts = [raw("onvif-probe", WSD_MATCH(xaddrs))];
    const out = await discoveryFollowUps({ address: H }, parts, io);
    expect(other.seen).toHaveLength(0);
    expect(dev.seen.map((s) => [s.method, s.url, s.type])).toEqual([
      ["POST", "/onvif/service", "application/soap+xml; charset=utf-8"],
      ["POST", "/onvif/service", "application/soap+xml; charset=utf-8"],
    ]);
    expect(dev.seen[0]!.body).toContain(
      '<GetServices xmlns="http://www.onvif.org/ver10/device/wsdl"><IncludeCapability>false</IncludeCapability></GetServices>',
    );
    expect(dev.seen[1]!.body).toContain("<GetSystemDateAndTime");
    for (const s of dev.seen) expect(s.body).not.toMatch(/Security|UsernameToken|Password/);
    expect(out).toMatchObject([
      {
        protocol: "http",
        port: dev.port,
        request: { method: "POST", path: "/onvif/service", scheme: "http", soap: "GetServices" },
        response: { status: 200 },
      },
      {
        protocol: "http",
        port: dev.port,
        request: { soap: "GetSystemDateAndTime" },
        response: { status: 200 },
      },
    ]);
    // authorized GetDeviceInformation is planned on the XAddr's port and path
    const observations = [...parts, ...out].map((p) =>
      ObservationSchema.parse({ ...p, target: H }),
    ) as Observation[];
    expect(planAuthenticated(observations)).toMatchObject({
      port: dev.port,
      scheme: "http",
      onvif: true,
      onvifPath: "/onvif/service",
    });
  });

  it("ONVIF: an XAddr naming only another address is recorded as not followed, and nothing is sent", async () => {
    const other = await device(ELSEWHERE, () => [200, ""]);
    const out = await discoveryFollowUps(
      { address: H },
      [raw("onvif-probe", WSD_MATCH(`http://${ELSEWHERE}:${other.port}/onvif/device_service`))],
      io,
    );
    expect(other.seen).toHaveLength(0);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      protocol: "http",
      request: {
        method: "POST",
        soap: "GetServices",
        followed: false,
        url: `http://${ELSEWHERE}:${other.port}/onvif/device_service`,
      },
      error: expect.stringMatching(
        /^not followed: the XAddr names 127\.76\.20\.3, not the address that replied/,
      ),
    });
    expect(out[0]!.port).toBeUndefined();
    expect(() => ObservationSchema.parse({ ...out[0], target: H })).not.toThrow();
  });

  it("SSDP: one GET of the LOCATION on the replying address, body capped; another host's LOCATION is not fetched", async () => {
    const dev = await device(H, (r) => [
      200,
      r.url === "/description.xml" ? DESCRIPTION + " ".repeat(10000) : "no",
    ]);
    const reply = SSDP_REPLY.replace(
      "http://192.168.1.64:49152/description.xml",
      `http://${H}:${dev.port}/description.xml`,
    );
    const out = await discoveryFollowUps({ address: H }, [raw("ssdp", reply), raw("ssdp", reply)], io);
    expect(dev.seen.map((s) => `${s.method} ${s.url}`)).toEqual(["GET /description.xml"]);
    expect(out).toMatchObject([
      {
        protocol: "http",
        port: dev.port,
        request: { method: "GET", path: "/description.xml", upnp: "description" },
        response: { status: 200, truncated: true },
      },
    ]);
    expect((out[0]!.response as { body: string }).body.length).toBe(4096);

    const other = await device(ELSEWHERE, () => [200, DESCRIPTION]);
    const away = SSDP_REPLY.replace("http://192.168.1.64:49152", `http://${ELSEWHERE}:${other.port}`);
    const refused = await discoveryFollowUps({ address: H }, [raw("ssdp", away)], io);
    expect(other.seen).toHaveLength(0);
    expect(refused).toMatchObject([
      {
        protocol: "http",
        request: { method: "GET", followed: false },
        error: expect.stringMatching(/^not followed: the LOCATION names/),
      },
    ]);
  });

  it("nothing to follow: no request (no XAddrs, a non-video Hello, hostile XML, no LOCATION, error observations)", async () => {
    const dev = await device(H, () => [200, ""]);
    const laughs = `<!DOCTYPE d [<!ENTITY a "x">]>${WSD_MATCH(`http://${H}:${dev.port}/onvif/device_service`).replace(/^<\?xml[^>]*>/, "")}`;
    const out = await discoveryFollowUps(
      { address: H },
      [
        raw("onvif-probe", WSD_MATCH("")),
        raw("onvif-probe", laughs),
        raw(
          "onvif-probe",
          `<Hello><Types>wprt:PrintDeviceType</Types><XAddrs>http://${H}:${dev.port}/</XAddrs></Hello>`,
        ),
        raw("ssdp", "HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\n\r\n"),
        { protocol: "ssdp", port: 1900, error: "timeout" },
      ],
      io,
    );
    expect(out).toEqual([]);
    expect(dev.seen).toHaveLength(0);
  });
});
