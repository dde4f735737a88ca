import { createSocket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { ObservationSchema } from "../../observations/observation.js";
import { type UdpResponder, udpResponder } from "../__fixtures__/servers.js";
import { dhipFrame } from "../dhip/parse.js";
import { probeDhip } from "../dhip/probe.js";
import { probeSadp } from "../sadp/probe.js";
import { legacyReply, WSD_MATCH } from "./__fixtures__/replies.js";
import type { DiscoveryId } from "./protocol.js";
import { unicastDiscovery } from "./unicast.js";

// 127.76.20.0/24 is this brief's; .1 is the device, .2 a forger on the same host
const H = "127.76.20.1";
const FORGER = "127.76.20.2";
const running: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

const MATCH = (uuid: string) =>
  `<ProbeMatch><Uuid>${uuid}</Uuid><DeviceDescription>DS-2CD2320D-I</DeviceDescription></ProbeMatch>`;

async function devices(answers: Partial<Record<DiscoveryId, (m: Buffer) => Buffer[] | undefined>>) {
  const ports: Partial<Record<DiscoveryId, number>> = {};
  const got: Partial<Record<DiscoveryId, UdpResponder>> = {};
  for (const [id, answer] of Object.entries(answers) as [
    DiscoveryId,
    (m: Buffer) => Buffer[] | undefined,
  ][]) {
    const r = await udpResponder(H, 0, answer);
    running.push(r);
    ports[id] = r.port;
    got[id] = r;
  }
  return { ports, got };
}

describe("unicastDiscovery", () => {
  it("sends each protocol's inquiry once to its port and records each protocol's replies from that address", async () => {
    const { ports, got } = await devices({
      sadp: (m) => {
        const uuid = /<Uuid>([^<]+)</.exec(m.toString())?.[1] ?? "";
        // answers only the v32 form, as newer firmware may
        return m.includes("<Types>inquiry_v32</Types>") ? [Buffer.from(MATCH(uuid))] : undefined;
      },
      wsd: () => [Buffer.from(WSD_MATCH())],
      dhip: () => [dhipFrame('{"method":"client.notifyDevInfo","params":{"deviceInfo":{"Vendor":"Dahua"}}}')],
      "dhip-legacy": () => [legacyReply()],
      ssdp: () => [
        Buffer.from("HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\nLOCATION: http://127.76.20.1:1/d.xml\r\n\r\n"),
      ],
    });
    const obs = await unicastDiscovery(H, { timeoutMs: 800, ports });
    expect(obs.map((o) => `${o.protocol}:${o.port}`)).toEqual([
      `sadp:${ports.sadp}`,
      `onvif-probe:${ports.wsd}`,
      `dahua-dhip:${ports.dhip}`,
      `dahua-dhip:${ports["dhip-legacy"]}`,
      `ssdp:${ports.ssdp}`,
    ]);
    for (const o of obs) expect(() => ObservationSchema.parse({ ...o, target: H })).not.toThrow();
    // what went out: two SADP forms, one datagram each for the others
    expect(got.sadp!.got.map((g) => /<Types>(\w+)</.exec(g.msg.toString())?.[1])).toEqual([
      "inquiry",
      "inquiry_v32",
    ]);
    for (const id of ["wsd", "dhip", "dhip-legacy", "ssdp"] as const)
      expect(got[id]!.got, id).toHaveLength(1);
    expect(got.ssdp!.got[0]!.msg.toString()).toBe(
      `M-SEARCH * HTTP/1.1\r\nHOST: ${H}:${ports.ssdp}\r\nMAN: "ssdp:discover"\r\nST: upnp:rootdevice\r\n\r\n`,
    );
    expect(got["dhip-legacy"]!.got[0]!.msg.subarray(0, 4).toString("hex")).toBe("a3010001");
    // the request is recorded: SADP's two forms, DHIP's frame as base64
    expect((obs[0]!.request as { payload: string[] }).payload).toHaveLength(2);
    expect(obs[2]!.request).toMatchObject({ encoding: "base64" });
  });

  it("a subset, silence, a flood, foreign datagrams and a forger's replies", async () => {
    const forger = createSocket("udp4");
    await new Promise<void>((r) => forger.bind(0, FORGER, () => r()));
    running.push({ close: () => new Promise<void>((r) => forger.close(() => r())) });
    const { ports, got } = await devices({
      // a flood: 40 replies to one inquiry form (at most 16 are kept per exchange)
      sadp: (m) =>
        m.includes("<Types>inquiry<")
          ? Array.from({ length: 40 }, (_, i) => Buffer.from(MATCH(`U${i}`)))
          : undefined,
      // a DHIP "device" that echoes our own search back, plus junk
      dhip: (m) => [m, Buffer.from("junk")],
      wsd: () => undefined,
    });
    // the forger answers each WS-Discovery inquiry at the sender's port, from another address
    const wsdSock = createSocket("udp4");
    await new Promise<void>((r) => wsdSock.bind(0, H, () => r()));
    running.push({ close: () => new Promise<void>((r) => wsdSock.close(() => r())) });
    wsdSock.on("message", (_m, from) => forger.send(Buffer.from(WSD_MATCH()), from.port, from.address));
    const obs = await unicastDiscovery(H, {
      timeoutMs: 400,
      ports: { ...ports, wsd: wsdSock.address().port },
      protocols: ["sadp", "dhip", "wsd"],
    });
    expect(obs.filter((o) => o.protocol === "sadp").length).toBeLessThanOrEqual(16);
    expect(obs.filter((o) => o.protocol === "sadp").length).toBeGreaterThan(0);
    expect(obs.some((o) => o.protocol === "dahua-dhip")).toBe(false);
    expect(obs.some((o) => o.protocol === "onvif-probe")).toBe(false);
    expect(got.dhip!.got).toHaveLength(1);
  });

  it("refuses group and broadcast targets: one error observation per protocol, nothing sent", async () => {
    const obs = await unicastDiscovery("239.255.255.250", { timeoutMs: 100 });
    expect(obs).toHaveLength(5);
    for (const o of obs) expect(o.error).toMatch(/refusing UDP .*multicast/);
    expect(
      (await unicastDiscovery("255.255.255.255", { timeoutMs: 100, protocols: ["ssdp"] }))[0],
    ).toMatchObject({
      protocol: "ssdp",
      error: expect.stringMatching(/broadcast/),
    });
  });

  it("each exchange runs inside the caller's slot; an abort rejects", async () => {
    let slots = 0;
    await unicastDiscovery(H, {
      timeoutMs: 50,
      ports: { sadp: 9, wsd: 9, dhip: 9, "dhip-legacy": 9, ssdp: 9 },
      slot: (run) => (slots++, run()),
    });
    expect(slots).toBe(5);
    const ac = new AbortController();
    const p = unicastDiscovery(H, {
      timeoutMs: 5000,
      signal: ac.signal,
      ports: { sadp: 9, wsd: 9, dhip: 9, "dhip-legacy": 9, ssdp: 9 },
    });
    ac.abort(new Error("stop"));
    await expect(p).rejects.toThrow(/stop/);
  });

  it("probeSadp and probeDhip are the table's entries, one protocol each", async () => {
    const { ports } = await devices({
      sadp: (m) => [Buffer.from(MATCH(/<Uuid>([^<]+)</.exec(m.toString())?.[1] ?? ""))],
      dhip: () => [dhipFrame('{"method":"client.notifyDevInfo"}')],
    });
    const s = await probeSadp(H, { timeoutMs: 400, port: ports.sadp });
    expect(s.length).toBe(2); // one per inquiry form
    expect(s.every((o) => o.protocol === "sadp" && o.port === ports.sadp)).toBe(true);
    const d = await probeDhip(H, { timeoutMs: 400, port: ports.dhip });
    expect(d).toMatchObject([{ protocol: "dahua-dhip", port: ports.dhip }]);
  });
});
