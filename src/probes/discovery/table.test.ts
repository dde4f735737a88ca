import { describe, expect, it } from "vitest";
import { ObservationSchema } from "../../observations/observation.js";
import { safeXml } from "../../identify/parts/read.js";
import { dhipFrame, splitDhip } from "../dhip/parse.js";
import { MAX_DATAGRAM } from "../udp.js";
import { dhipLegacyRequest } from "./dhip-legacy.js";
import { mSearch } from "./ssdp.js";
import { DISCOVERY, discoveryProtocol, OBSERVED_AS } from "./table.js";
import { wsdMessage } from "./wsd.js";
import { legacyReply, NOTIFY_DEV_INFO, PROBE_MATCH, SSDP_REPLY, WSD_MATCH } from "./__fixtures__/replies.js";

const sadp = discoveryProtocol("sadp");
const wsd = discoveryProtocol("wsd");
const dhip = discoveryProtocol("dhip");
const legacy = discoveryProtocol("dhip-legacy");
const ssdp = discoveryProtocol("ssdp");

const hostile = [
  Buffer.alloc(0),
  Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81]),
  Buffer.alloc(MAX_DATAGRAM, 0x41),
  Buffer.from(
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>',
  ),
  Buffer.from("\u0000\u0000\u0000\u0000garbage"),
  Buffer.from("<ProbeMatc"),
];

describe("discovery table", () => {
  it("holds every protocol of issue 5 once, each with its port and where local mode sends it", () => {
    expect(DISCOVERY.map((d) => [d.id, d.port])).toEqual([
      ["sadp", 37020],
      ["wsd", 3702],
      ["dhip", 37810],
      ["dhip-legacy", 5050],
      ["ssdp", 1900],
    ]);
    expect(sadp.groups).toEqual({ v4: "239.255.255.250" });
    expect(wsd.groups).toEqual({ v4: "239.255.255.250", v6: "ff02::c" });
    expect(dhip.groups).toEqual({ v4: "239.255.255.251" });
    expect(dhip.broadcast).toBe(true);
    expect(legacy.groups).toEqual({});
    expect(legacy.broadcast).toBe(true);
    expect(ssdp.groups).toEqual({ v4: "239.255.255.250", v6: "ff02::c" });
    expect(OBSERVED_AS).toEqual({
      sadp: "sadp",
      wsd: "onvif-probe",
      dhip: "dahua-dhip",
      "dhip-legacy": "dahua-dhip",
      ssdp: "ssdp",
    });
    expect(() => discoveryProtocol("nope" as "sadp")).toThrow(/unknown/);
  });

  it("SADP: inquiry and inquiry_v32, each a fresh upper-case GUID, nothing else", () => {
    const a = sadp.inquiry().map((b) => b.toString("utf8"));
    const b = sadp.inquiry().map((x) => x.toString("utf8"));
    expect(a).toHaveLength(2);
    const shape = (t: string) =>
      new RegExp(
        `^<\\?xml version="1\\.0" encoding="utf-8"\\?><Probe><Uuid>[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}</Uuid><Types>${t}</Types></Probe>$`,
      );
    expect(a[0]).toMatch(shape("inquiry"));
    expect(a[1]).toMatch(shape("inquiry_v32"));
    expect(Buffer.byteLength(a[0]!)).toBe(124); // §1.1: the probe is 124 bytes
    const uuids = [...a, ...b].map((t) => /<Uuid>([^<]+)</.exec(t)![1]);
    expect(new Set(uuids).size).toBe(4);
  });

  it("WS-Discovery: the §5.1 Probe with an NVT type and a fresh urn:uuid MessageID; it parses", () => {
    const [p1] = wsd.inquiry().map((b) => b.toString("utf8"));
    const [p2] = wsd.inquiry().map((b) => b.toString("utf8"));
    const tree = safeXml(p1!);
    expect(tree).toBeDefined();
    expect(p1).toMatch(/^<Envelope xmlns="http:\/\/www\.w3\.org\/2003\/05\/soap-envelope"/);
    expect(p1).toContain("<Types>dn:NetworkVideoTransmitter</Types><Scopes /></Probe>");
    expect(p1).toContain(
      '<wsa:Action xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action>',
    );
    const id = (t: string) => /<wsa:MessageID[^>]*>(urn:uuid:[0-9a-f-]{36})</.exec(t)?.[1];
    expect(id(p1!)).toBeDefined();
    expect(id(p1!)).not.toBe(id(p2!));
    expect(wsdMessage(p1!)).toBe("Probe");
  });

  it("DHIP: the 32-byte header and DHDiscover.search; legacy: the 32 bytes of §6.2", () => {
    const [f] = dhip.inquiry();
    expect(f!.subarray(0, 8).toString("hex")).toBe("2000000044484950");
    expect(f!.subarray(8, 16).equals(Buffer.alloc(8))).toBe(true);
    const len = f!.readUInt32LE(16);
    expect(f!.readUInt32LE(24)).toBe(len);
    expect(f!.length).toBe(32 + len);
    expect(splitDhip(f!).json).toBe('{"method":"DHDiscover.search","params":{"mac":"","uni":1}}');
    const [l] = legacy.inquiry();
    expect(l!.toString("hex")).toBe("a3010001" + "00".repeat(12) + "02000000" + "00".repeat(12));
    expect(dhipLegacyRequest().length).toBe(32);
  });

  it("SSDP: multicast M-SEARCH with MX; unicast names the target and has no MX (UDA 1.1 §1.3.2)", () => {
    expect(ssdp.inquiry()[0]!.toString()).toBe(
      'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: upnp:rootdevice\r\n\r\n',
    );
    expect(ssdp.inquiry({ address: "ff02::c", port: 1900, multicast: true })[0]!.toString()).toContain(
      "HOST: [ff02::c]:1900\r\n",
    );
    const uni = ssdp.inquiry({ address: "127.76.20.9", port: 1900, multicast: false })[0]!.toString();
    expect(uni).toBe(
      'M-SEARCH * HTTP/1.1\r\nHOST: 127.76.20.9:1900\r\nMAN: "ssdp:discover"\r\nST: upnp:rootdevice\r\n\r\n',
    );
    expect(mSearch({ address: "::1", port: 5000, multicast: false })).toContain("HOST: [::1]:5000\r\n");
  });

  it("observe: real-shaped replies become observations of their protocol", () => {
    const s = sadp.observe(Buffer.from(PROBE_MATCH), false);
    expect(s).toMatchObject({ protocol: "sadp", port: 37020, response: { raw: PROBE_MATCH } });
    const w = wsd.observe(Buffer.from(WSD_MATCH()), false);
    expect(w).toMatchObject({ protocol: "onvif-probe", port: 3702, response: { raw: WSD_MATCH() } });
    const hello = WSD_MATCH()
      .replace(/ProbeMatches>/g, "Hello>")
      .replace(/ProbeMatch>/g, "Hello>");
    expect(wsd.observe(Buffer.from(hello), false)?.protocol).toBe("onvif-probe");
    const d = dhip.observe(dhipFrame(NOTIFY_DEV_INFO), false);
    expect(d).toMatchObject({ protocol: "dahua-dhip", port: 37810, response: { encoding: "base64" } });
    expect(
      Buffer.from((d!.response as { raw: string }).raw, "base64").equals(dhipFrame(NOTIFY_DEV_INFO)),
    ).toBe(true);
    const l = legacy.observe(legacyReply(), false);
    expect(l).toMatchObject({ protocol: "dahua-dhip", port: 5050, response: { encoding: "base64" } });
    expect(ssdp.observe(Buffer.from(SSDP_REPLY), false)).toMatchObject({
      protocol: "ssdp",
      port: 1900,
      response: { raw: SSDP_REPLY },
    });
    const notify =
      "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\nLOCATION: http://10.0.0.5/d.xml\r\n\r\n";
    expect(ssdp.observe(Buffer.from(notify), false)?.protocol).toBe("ssdp");
    for (const p of [s, w, d, l])
      expect(() => ObservationSchema.parse({ ...p, target: "127.76.20.1" })).not.toThrow();
    // a cut datagram stays flagged
    expect(sadp.observe(Buffer.from(PROBE_MATCH.slice(0, 200)), true)?.response).toMatchObject({
      truncated: true,
    });
  });

  it("observe: inquiries looped back or sent by others are nobody's reply", () => {
    for (const p of DISCOVERY) for (const q of p.inquiry()) expect(p.observe(q, false), p.id).toBeUndefined();
    expect(
      ssdp.observe(ssdp.inquiry({ address: "127.0.0.1", port: 1900, multicast: false })[0]!, false),
    ).toBeUndefined();
    const bye = WSD_MATCH()
      .replace(/ProbeMatches>/g, "Bye>")
      .replace(/ProbeMatch>/g, "Bye>");
    expect(wsd.observe(Buffer.from(bye), false)).toBeUndefined();
    const resolve = WSD_MATCH()
      .replace(/ProbeMatches>/g, "Resolve>")
      .replace(/ProbeMatch>/g, "Resolve>");
    expect(wsd.observe(Buffer.from(resolve), false)).toBeUndefined();
    // a printer's Hello: WS-Discovery, but no ONVIF video
    const printer =
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><d:Hello><d:Types>wsdp:Device wprt:PrintDeviceType</d:Types>' +
      "<d:XAddrs>http://10.0.0.7:5357/</d:XAddrs></d:Hello></s:Body></s:Envelope>";
    expect(wsd.observe(Buffer.from(printer), false)).toBeUndefined();
    // ConfigTool's spaced search form
    expect(
      dhip.observe(
        dhipFrame('{ "method" : "DHDiscover.search", "params" : { "mac" : "", "uni" : 1 } }\n'),
        false,
      ),
    ).toBeUndefined();
    // a WS-Discovery ProbeMatches on the SADP port is no SADP ProbeMatch
    expect(
      sadp.observe(Buffer.from("<d:ProbeMatches><ProbeMatches/></d:ProbeMatches>"), false),
    ).toBeUndefined();
  });

  it("observe: hostile datagrams give undefined or a safe part, never an exception", () => {
    for (const p of DISCOVERY)
      for (const h of [...hostile, ...hostile.map((b) => Buffer.concat([b, Buffer.from([0xc3])]))]) {
        let out: ReturnType<typeof p.observe>;
        expect(() => (out = p.observe(h, h.length >= MAX_DATAGRAM)), p.id).not.toThrow();
        if (out!) expect(() => ObservationSchema.parse({ ...out, target: "127.76.20.1" })).not.toThrow();
      }
    // wrong magic
    const wrong = dhipFrame(NOTIFY_DEV_INFO);
    wrong.write("DHIQ", 4, "latin1");
    expect(dhip.observe(wrong, false)).toBeUndefined();
    const shortLegacy = legacyReply().subarray(0, 0x77);
    expect(legacy.observe(shortLegacy, false)).toBeUndefined();
    const notB3 = legacyReply();
    notB3[0] = 0xb2;
    expect(legacy.observe(notB3, false)).toBeUndefined();
    // a truncated DHIP frame whose declared length overruns: still DHIP, recorded, flagged
    const cut = dhipFrame(NOTIFY_DEV_INFO).subarray(0, 60);
    expect(dhip.observe(cut, true)).toMatchObject({ protocol: "dahua-dhip", response: { truncated: true } });
    // entity-laden WS-Discovery reply: SOAP forbids a DTD, so it is not recorded at all
    const laughs = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>${WSD_MATCH().replace(/^<\?xml[^>]*>/, "")}`;
    expect(wsd.observe(Buffer.from(laughs), false)).toBeUndefined();
    // SADP keeps such a reply as raw text only: identification refuses to parse a DTD (a note, no parts)
    const sadpLaughs = Buffer.from(
      `<!DOCTYPE x [<!ENTITY a "b">]><ProbeMatch><DeviceDescription>&a;</DeviceDescription></ProbeMatch>`,
    );
    expect(sadp.observe(sadpLaughs, false)?.protocol).toBe("sadp");
    // binary junk that happens to start like an SSDP reply but is not UTF-8
    expect(
      ssdp.observe(Buffer.concat([Buffer.from("HTTP/1.1 200 OK\r\n"), Buffer.from([0xff, 0xfe])]), false),
    ).toBeUndefined();
  });
});
