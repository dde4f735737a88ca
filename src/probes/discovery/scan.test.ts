import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Credential, CredentialSet } from "../../credentials/index.js";
import { identify, loadKnowledge } from "../../identify/index.js";
import { type UdpResponder, udpResponder } from "../__fixtures__/servers.js";
import { probeHost } from "../index.js";
import { WSD_MATCH } from "./__fixtures__/replies.js";

// A device on 127.76.20.5 whose web port says nothing, whose ONVIF service and UPnP description sit on an odd port
// that is not in the scanned port list: only WS-Discovery and SSDP lead there.
const H = "127.76.20.5";
const DESCRIPTION =
  '<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device><manufacturer>Example Maker</manufacturer>' +
  "<modelName>EX-100</modelName><serialNumber>SN123</serialNumber></device></root>";
const DEVINFO =
  '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><tds:GetDeviceInformationResponse xmlns:tds="http://www.onvif.org/ver10/device/wsdl">' +
  "<tds:Manufacturer>HIKVISION</tds:Manufacturer><tds:Model>DS-2CD2385G1-I</tds:Model><tds:FirmwareVersion>V5.6.2 build 190701</tds:FirmwareVersion>" +
  "<tds:SerialNumber>DS-2CD2385G1-I20190522AAWRD22374804</tds:SerialNumber><tds:HardwareId>88</tds:HardwareId></tds:GetDeviceInformationResponse></s:Body></s:Envelope>";

let web: http.Server, odd: http.Server;
let oddPort = 0;
const seen: string[] = [];
const udp: UdpResponder[] = [];

const listen = async (s: http.Server) => {
  await new Promise<void>((r) => s.listen(0, H, () => r()));
  return (s.address() as AddressInfo).port;
};

beforeAll(async () => {
  web = http.createServer((_q, res) => res.writeHead(404).end());
  odd = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const call =
        /<(?:\w+:)?(GetServices|GetSystemDateAndTime|GetDeviceInformation)\b/.exec(body)?.[1] ?? "";
      seen.push(`${req.method} ${req.url} ${call}${body.includes("UsernameToken") ? " +token" : ""}`);
      if (req.method === "GET" && req.url === "/desc.xml")
        return void res.writeHead(200, { "Content-Type": "text/xml" }).end(DESCRIPTION);
      if (call === "GetDeviceInformation")
        return void (body.includes("UsernameToken")
          ? res.writeHead(200).end(DEVINFO)
          : res.writeHead(400).end());
      res
        .writeHead(200, { "Content-Type": "application/soap+xml" })
        .end(`<s:Envelope><s:Body><${call}Response/></s:Body></s:Envelope>`);
    });
  });
  await listen(web);
  oddPort = await listen(odd);
  udp.push(
    await udpResponder(H, 3702, () => [
      Buffer.from(WSD_MATCH(`http://${H}:${oddPort}/onvif/device_service`)),
    ]),
  );
  udp.push(
    await udpResponder(H, 1900, () => [
      Buffer.from(
        `HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\nLOCATION: http://${H}:${oddPort}/desc.xml\r\nSERVER: Linux UPnP/1.0 x/1\r\n\r\n`,
      ),
    ]),
  );
});
afterAll(async () => {
  await Promise.all([...udp.map((u) => u.close()), ...[web, odd].map((s) => new Promise((r) => s.close(r)))]);
});

describe("probeHost with unicast discovery", () => {
  it("WS-Discovery leads to the no-login ONVIF calls and, with credentials, GetDeviceInformation on the XAddr's odd port; SSDP to its description", async () => {
    const webPort = (web.address() as AddressInfo).port;
    const res = await probeHost(
      { address: H },
      {
        ports: [{ port: webPort, service: "http" }],
        connectTimeoutMs: 400,
        readTimeoutMs: 600,
        credentials: new CredentialSet([new Credential("admin", "not-a-real-password", "test")]),
      },
    );
    const kinds = res.observations.map(
      (o) =>
        `${o.protocol}:${o.port ?? "-"}:${String(o.request?.soap ?? o.request?.upnp ?? o.request?.path ?? "")}`,
    );
    expect(kinds).toContain("onvif-probe:3702:");
    expect(kinds).toContain("ssdp:1900:");
    expect(kinds).toContain(`http:${oddPort}:GetServices`);
    expect(kinds).toContain(`http:${oddPort}:GetSystemDateAndTime`);
    expect(kinds).toContain(`http:${oddPort}:description`);
    const devinfo = res.observations.find((o) => o.protocol === "onvif-devinfo");
    expect(devinfo).toMatchObject({ port: oddPort, response: { status: 200 } });
    // no-login calls carry no token; exactly one call does
    expect(seen.filter((s) => s.endsWith("+token"))).toEqual([
      "POST /onvif/device_service GetDeviceInformation +token",
    ]);
    expect(seen).toContain("POST /onvif/device_service GetServices");
    expect(seen).toContain("GET /desc.xml ");
    const id = identify(res.observations, loadKnowledge());
    expect(id.manufacturer).toBe("hikvision");
    expect(id.model).toBe("DS-2CD2385G1-I");
  });
});
