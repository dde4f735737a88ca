import { afterEach, describe, expect, it } from "vitest";
import { ObservationSchema } from "../observations/observation.js";
import { type UdpResponder, udpResponder } from "./__fixtures__/servers.js";
import { DHIP_SEARCH_BODY, dhipFrame, splitDhip } from "./dhip/parse.js";
import { probeDhip } from "./dhip/probe.js";
import { isProbeMatch, sadpInquiry } from "./sadp/parse.js";
import { probeSadp } from "./sadp/probe.js";
import { assertUnicast, udpExchange } from "./udp.js";

const H = "127.79.6.1";
const OTHER = "127.79.6.2";
const responders: UdpResponder[] = [];
afterEach(async () => {
  await Promise.all(responders.splice(0).map((r) => r.close()));
});

const PROBE_MATCH = (uuid: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\r\n<ProbeMatch><Uuid>${uuid}</Uuid><Types>inquiry</Types><DeviceDescription>DS-2CD2320D-I</DeviceDescription><MAC>44-47-cc-37-ce-81</MAC></ProbeMatch>`;

describe("UDP discovery (unicast only)", () => {
  it("refuses multicast, broadcast and unspecified destinations before sending", async () => {
    for (const a of [
      "239.255.255.250",
      "239.255.255.251",
      "255.255.255.255",
      "224.0.0.1",
      "ff02::c",
      "0.0.0.0",
      "::",
      "192.168.1.255",
      "nonsense",
    ]) {
      expect(() => assertUnicast(a), a).toThrow(/refusing UDP/);
    }
    expect(() => assertUnicast("127.79.6.1")).not.toThrow();
    expect(() => assertUnicast("::1")).not.toThrow();
    await expect(udpExchange("239.255.255.250", 37020, Buffer.from("x"), { timeoutMs: 100 })).rejects.toThrow(
      /multicast/,
    );
    // The probes turn the refusal into an error observation instead of sending.
    expect(await probeSadp("255.255.255.255", { timeoutMs: 100 })).toMatchObject([
      { protocol: "sadp", error: expect.stringMatching(/broadcast/) },
    ]);
    expect(await probeDhip("239.255.255.251", { timeoutMs: 100 })).toMatchObject([
      { protocol: "dahua-dhip", error: expect.stringMatching(/multicast/) },
    ]);
  });

  it("SADP: sends an upper-case-GUID inquiry and records the ProbeMatch", async () => {
    const r = await udpResponder(H, 0, (msg) => {
      const uuid = /<Uuid>([^<]+)<\/Uuid>/.exec(msg.toString())?.[1] ?? "";
      return msg.includes("<Types>inquiry</Types>") ? [Buffer.from(PROBE_MATCH(uuid))] : undefined;
    });
    responders.push(r);
    const obs = await probeSadp(H, { timeoutMs: 500, port: r.port });
    // both read-only forms, in order, from one socket (protocols.md §1.2)
    expect(r.got).toHaveLength(2);
    expect(r.got[1]!.from.port).toBe(r.got[0]!.from.port);
    expect(r.got[1]!.msg.toString()).toMatch(/<Types>inquiry_v32<\/Types>/);
    const sent = r.got[0]!.msg.toString();
    expect(sent).toMatch(
      /^<\?xml version="1\.0" encoding="utf-8"\?><Probe><Uuid>[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}<\/Uuid><Types>inquiry<\/Types><\/Probe>$/,
    );
    expect(obs).toHaveLength(1);
    expect(obs[0]).toMatchObject({
      protocol: "sadp",
      port: r.port,
      request: { payload: [sent, r.got[1]!.msg.toString()] },
    });
    const raw = (obs[0]!.response as { raw: string }).raw;
    expect(isProbeMatch(raw)).toBe(true);
    expect(raw).toContain(/<Uuid>([^<]+)</.exec(sent)![1]);
    expect(() => ObservationSchema.parse({ ...obs[0], target: H })).not.toThrow();
  });

  it("DHIP: sends the 32-byte header + search JSON and records the whole reply as base64", async () => {
    const reply = dhipFrame(
      '{ "mac" : "4c:11:bf:c2:0b:9d", "method" : "client.notifyDevInfo", "params" : { "deviceInfo" : { "Vendor" : "Dahua" } } }\n',
    );
    const r = await udpResponder(H, 0, (msg) =>
      msg.subarray(0, 8).equals(Buffer.from("2000000044484950", "hex")) ? [reply] : undefined,
    );
    responders.push(r);
    const obs = await probeDhip(H, { timeoutMs: 500, port: r.port });
    const sent = r.got[0]!.msg;
    expect(sent.length).toBe(32 + Buffer.byteLength(DHIP_SEARCH_BODY));
    expect(sent.readUInt32LE(16)).toBe(Buffer.byteLength(DHIP_SEARCH_BODY));
    expect(sent.readUInt32LE(24)).toBe(Buffer.byteLength(DHIP_SEARCH_BODY));
    expect(sent.subarray(8, 16)).toEqual(Buffer.alloc(8));
    expect(sent.subarray(32).toString()).toBe('{"method":"DHDiscover.search","params":{"mac":"","uni":1}}\n');
    expect(obs).toEqual([
      {
        protocol: "dahua-dhip",
        port: r.port,
        request: { payload: sent.toString("base64"), encoding: "base64" },
        response: { raw: reply.toString("base64"), encoding: "base64" },
      },
    ]);
    expect(splitDhip(Buffer.from((obs[0]!.response as { raw: string }).raw, "base64")).json).toContain(
      "client.notifyDevInfo",
    );
  });

  it("ignores datagrams from other addresses and gives no observation on silence", async () => {
    // A responder on H that never answers, and a third party on OTHER that sprays the probe socket.
    const silent = await udpResponder(H, 0, () => undefined);
    const spray = await udpResponder(OTHER, 0, () => undefined);
    responders.push(silent, spray);
    const { createSocket } = await import("node:dgram");
    const orig = silent.got.push.bind(silent.got);
    silent.got.push = (...items) => {
      for (const it of items) {
        const s = createSocket("udp4");
        s.bind(0, OTHER, () =>
          s.send(Buffer.from("<ProbeMatch>spoof</ProbeMatch>"), it.from.port, it.from.address, () =>
            s.close(),
          ),
        );
      }
      return orig(...items);
    };
    const start = Date.now();
    const obs = await probeSadp(H, { timeoutMs: 300, port: silent.port });
    expect(silent.got).toHaveLength(2);
    expect(obs).toEqual([]);
    expect(Date.now() - start).toBeGreaterThanOrEqual(250);
  });

  it("sadpInquiry validates its uuid", () => {
    expect(() => sadpInquiry("7c1a7a3e-5e41-4b2e-9e0e-3c3f0a1b2c3d")).toThrow();
    expect(sadpInquiry("7C1A7A3E-5E41-4B2E-9E0E-3C3F0A1B2C3D")).toHaveLength(124); // protocols.md §1.1: 124 bytes
  });
});
