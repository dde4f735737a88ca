import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import type { RemoteInfo, Socket as UdpSocket } from "node:dgram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packagePath } from "../shared/paths.js";
import { UsageError } from "../shared/errors.js";
import { clockOffset } from "../probes/auth/onvif.js";
import { labDevice, startLab, type LabDevice, type RunningLab } from "./index.js";
import { loadPersonas } from "./load.js";
import { DeviceContext } from "./respond.js";
import { attachUdp, DHIP_LEGACY, type UdpService } from "./udp-services.js";
import { dhipProbe, exchange, sadpProbe, udpExchange } from "./__fixtures__/client.js";

// This file owns 127.76.30.0/24 (loopback lab) and namespaces named a1-<pid>-* with 10.231.76.0/24 inside them.

const portOf = (d: LabDevice, nominal: number): number => {
  const s = d.services.find((x) => x.nominalPort === nominal);
  if (!s) throw new Error(`${d.persona.id} has no port ${nominal}`);
  return s.port;
};

export function wsdProbe(messageId: string, types = "dn:NetworkVideoTransmitter"): Buffer {
  // The agsh/onvif probe of protocols.md §5.1.
  return Buffer.from(
    `<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><Header><wsa:MessageID xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">${messageId}</wsa:MessageID><wsa:To xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To><wsa:Action xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action></Header><Body><Probe xmlns="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Types>${types}</Types><Scopes /></Probe></Body></Envelope>`,
  );
}

/** nmap wsdd-discover's generic probe: no Types at all. */
const NMAP_PROBE = Buffer.from(
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:wsd="http://schemas.xmlsoap.org/ws/2005/04/discovery"><soap:Header><wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To><wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action><wsa:MessageID>urn:uuid:0d6d2fb3-1c2e-4f4a-9b1b-2b6c5f3c2a10</wsa:MessageID></soap:Header><soap:Body><wsd:Probe/></soap:Body></soap:Envelope>`,
);

const mSearch = (st: string, man = '"ssdp:discover"') =>
  Buffer.from(
    `M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: ${man}\r\nMX: 1\r\nST: ${st}\r\n\r\n`,
  );

export const LEGACY_DHIP = Buffer.from(`a3010001${"00".repeat(12)}02000000${"00".repeat(12)}`, "hex");

const header = (msg: string, name: string) => new RegExp(`^${name}:[ ]?(.*)$`, "im").exec(msg)?.[1]?.trim();

describe("discovery replies on the loopback lab", () => {
  let lab: RunningLab;
  let hik: LabDevice, hikNvr: LabDevice, dahua: LabDevice, dahuaNvr: LabDevice;
  beforeAll(async () => {
    lab = await startLab({
      range: "127.76.30.0/24",
      personas: ["hikvision-ipc-current", "hikvision-nvr", "dahua-ipc", "dahua-nvr"],
    });
    hik = labDevice(lab, "hikvision-ipc-current");
    hikNvr = labDevice(lab, "hikvision-nvr");
    dahua = labDevice(lab, "dahua-ipc");
    dahuaNvr = labDevice(lab, "dahua-nvr");
  });
  afterAll(() => lab.stop());

  it("WS-Discovery: a NetworkVideoTransmitter probe gets the persona's ProbeMatch, RelatesTo echoing it", async () => {
    const [r, ...more] = await udpExchange(
      hik.address,
      3702,
      wsdProbe("urn:uuid:7c1a7a3e-5e41-4b2e-9e0e-3c3f0a1b2c3d"),
    );
    expect(more).toHaveLength(0);
    const xml = r?.toString("utf8") ?? "";
    expect(xml).toContain(
      "<wsadis:RelatesTo>urn:uuid:7c1a7a3e-5e41-4b2e-9e0e-3c3f0a1b2c3d</wsadis:RelatesTo>",
    );
    expect(xml).toContain("onvif://www.onvif.org/name/HIKVISION%20DS-2CD2385G1-I");
    expect(xml).toContain("onvif://www.onvif.org/MAC/58:50:ed:1f:e3:85");
    expect(xml).toContain("urn:uuid:aa85c000-6324-11b3-819e-5850ed1fe385");
    // XAddrs point at the web port where it is really bound (":80" left out, as devices do)
    const web = portOf(hik, 80);
    expect(xml).toContain(
      `<d:XAddrs>http://${hik.address}${web === 80 ? "" : `:${web}`}/onvif/device_service</d:XAddrs>`,
    );
    // each reply has its own MessageID
    const [r2] = await udpExchange(hik.address, 3702, wsdProbe("urn:uuid:2"));
    const id = (b: Buffer | undefined) => /<wsadis:MessageID>([^<]*)</.exec(b?.toString() ?? "")?.[1];
    expect(id(r2)).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(id(r2)).not.toBe(id(r));
  });

  it("WS-Discovery: Dahua scopes; nmap's Types-less probe is answered too", async () => {
    const [r] = await udpExchange(dahua.address, 3702, NMAP_PROBE);
    const xml = r?.toString("utf8") ?? "";
    expect(xml).toContain("onvif://www.onvif.org/name/Dahua");
    expect(xml).toContain("onvif://www.onvif.org/hardware/IPC-HDW5421S");
    expect(xml).toContain("urn:uuid:0d6d2fb3-1c2e-4f4a-9b1b-2b6c5f3c2a10</wsadis:RelatesTo>");
    const [n] = await udpExchange(dahuaNvr.address, 3702, NMAP_PROBE);
    expect(n?.toString()).toContain("onvif://www.onvif.org/hardware/NVR2X-4KS3");
  });

  it("WS-Discovery: other Types, a Hello, hostile XML and forged MessageIDs are not answered as is", async () => {
    expect(await udpExchange(hik.address, 3702, wsdProbe("urn:uuid:3", "wprt:PrintDeviceType"))).toHaveLength(
      0,
    );
    const hello = Buffer.from(
      wsdProbe("urn:uuid:4")
        .toString()
        .replace(/Probe</g, "Hello<")
        .replace("/Probe", "/Hello"),
    );
    expect(await udpExchange(hik.address, 3702, hello)).toHaveLength(0);
    const entity = Buffer.from(
      `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>${wsdProbe("&a;").toString()}`,
    );
    expect(await udpExchange(hik.address, 3702, entity)).toHaveLength(0);
    expect(await udpExchange(hik.address, 3702, Buffer.from("garbage\0\xff"))).toHaveLength(0);
    const [r] = await udpExchange(hik.address, 3702, wsdProbe("urn:uuid:5&lt;/x&gt;&lt;evil/&gt;\"' x"));
    expect(r?.toString()).toContain("<wsadis:RelatesTo>urn:uuid:5xevilx</wsadis:RelatesTo>");
  });

  it("SSDP: the NVR answers M-SEARCH per target, with a LOCATION its web server serves", async () => {
    const all = (await udpExchange(hikNvr.address, 1900, mSearch("ssdp:all"))).map((b) => b.toString());
    expect(all).toHaveLength(3);
    const uuid = "uuid:ab4f9a4e-1dd1-11b2-8000-bcad284e910c";
    expect(all.map((m) => header(m, "ST"))).toEqual([
      "upnp:rootdevice",
      uuid,
      "urn:schemas-upnp-org:device:Basic:1",
    ]);
    expect(all.map((m) => header(m, "USN"))).toEqual([
      `${uuid}::upnp:rootdevice`,
      uuid,
      `${uuid}::urn:schemas-upnp-org:device:Basic:1`,
    ]);
    const [root] = (await udpExchange(hikNvr.address, 1900, mSearch("upnp:rootdevice"))).map(String);
    expect(root).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(root).toContain("\r\nEXT:\r\n");
    expect(header(root ?? "", "SERVER")).toBe(
      "Linux/3.10.0_hi3536, UPnP/1.0, Portable SDK for UPnP devices/1.6.18",
    );
    const location = header(root ?? "", "LOCATION") ?? "";
    const url = new URL(location);
    expect(url.hostname).toBe(hikNvr.address);
    expect(Number(url.port)).toBe(portOf(hikNvr, 49152));
    const desc = await exchange(
      url.hostname,
      Number(url.port),
      `GET ${url.pathname} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expect(desc.statusLine).toBe("HTTP/1.1 200 OK");
    expect(desc.body.toString()).toContain("<modelName>DS-7608NI-K2</modelName>");
    expect(desc.body.toString()).toContain(`<UDN>${uuid}</UDN>`);
  });

  it("SSDP: other search targets, a missing MAN, NOTIFYs and replies are ignored", async () => {
    expect(
      await udpExchange(hikNvr.address, 1900, mSearch("urn:schemas-upnp-org:device:Printer:1")),
    ).toHaveLength(0);
    expect(await udpExchange(hikNvr.address, 1900, mSearch("ssdp:all", "nope"))).toHaveLength(0);
    const notify =
      "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n\r\n";
    expect(await udpExchange(hikNvr.address, 1900, Buffer.from(notify))).toHaveLength(0);
    expect(
      await udpExchange(hikNvr.address, 1900, Buffer.from("HTTP/1.1 200 OK\r\nST: ssdp:all\r\n\r\n")),
    ).toHaveLength(0);
  });

  it("legacy DHIP: the 32-byte search gets the 0xb3 struct at the §6.2 offsets", async () => {
    const [r, ...more] = await udpExchange(dahua.address, 5050, LEGACY_DHIP);
    expect(more).toHaveLength(0);
    if (!r) throw new Error("no legacy DHIP reply");
    expect(r[0]).toBe(0xb3);
    expect(r.length).toBeGreaterThanOrEqual(0x78);
    const cstr = (b: Buffer) =>
      b.subarray(0, b.indexOf(0) === -1 ? b.length : b.indexOf(0)).toString("latin1");
    expect(cstr(r.subarray(DHIP_LEGACY.deviceType, DHIP_LEGACY.deviceType + 16))).toBe("IPC-HDW5421S");
    const ip = (at: number) => [...r.subarray(at, at + 4)].join(".");
    expect(ip(0x38)).toBe(dahua.address);
    expect(ip(0x3c)).toBe("255.255.255.0");
    expect(r[2]).toBe(17);
    expect(r.subarray(0x78, 0x78 + 17).toString("latin1")).toBe("4c:11:bf:5a:3e:91");
    // not the legacy search: wrong head, wrong length, the DHIP JSON search
    const wrong = Buffer.from(LEGACY_DHIP);
    wrong[0] = 0xa4;
    expect(await udpExchange(dahua.address, 5050, wrong)).toHaveLength(0);
    expect(
      await udpExchange(dahua.address, 5050, Buffer.concat([LEGACY_DHIP, Buffer.from([0])])),
    ).toHaveLength(0);
    expect(await udpExchange(dahua.address, 5050, dhipProbe())).toHaveLength(0);
  });

  it("ignores SADP activate, DHIP with the wrong magic, and oversized datagrams of every kind", async () => {
    expect(await udpExchange(hik.address, 37020, sadpProbe("A-1", "activate"))).toHaveLength(0);
    const badMagic = Buffer.from(dhipProbe());
    badMagic[4] = 0x58;
    expect(await udpExchange(dahua.address, 37810, badMagic)).toHaveLength(0);
    const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc(17 * 1024, 0x20)]);
    const cases: [LabDevice, number, Buffer][] = [
      [hik, 37020, pad(sadpProbe("B-1"))],
      [dahua, 37810, pad(dhipProbe())],
      [hik, 3702, pad(wsdProbe("urn:uuid:6"))],
      [hikNvr, 1900, pad(mSearch("ssdp:all"))],
      [dahua, 5050, pad(LEGACY_DHIP)],
    ];
    for (const [d, port, big] of cases) {
      // the same request unpadded is answered: the size alone is refused
      const small = big.subarray(0, big.length - 17 * 1024);
      expect((await udpExchange(d.address, port, small)).length, `${port} small`).toBeGreaterThan(0);
      expect(await udpExchange(d.address, port, big), `${port} big`).toHaveLength(0);
    }
  });

  it("answers no sender outside loopback in loopback mode", () => {
    const persona = loadPersonas().find((p) => p.id === "dahua-ipc");
    if (!persona) throw new Error("no dahua-ipc persona");
    const ctx = new DeviceContext(persona, "127.76.30.250");
    const sent: string[] = [];
    const sock = Object.assign(new EventEmitter(), {
      send: (_b: Buffer, _port: number, address: string) => void sent.push(address),
    });
    const svc = persona.services.find((s) => s.protocol === "dhip-legacy") as UdpService;
    attachUdp(sock as unknown as UdpSocket, ctx, svc, 5050);
    const from = (address: string): RemoteInfo => ({ address, port: 40000, family: "IPv4", size: 32 });
    sock.emit("message", LEGACY_DHIP, from("10.0.0.5"));
    sock.emit("message", LEGACY_DHIP, from("192.168.1.9"));
    expect(sent).toEqual([]);
    sock.emit("message", LEGACY_DHIP, from("127.0.0.1"));
    expect(sent).toEqual(["127.0.0.1"]);
  });

  it("ONVIF: GetSystemDateAndTime and GetServices answer without auth, GetDeviceInformation still asks", async () => {
    const soap = (op: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><${op} xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>`;
    const post = (d: LabDevice, body: string) =>
      exchange(
        d.address,
        portOf(d, 80),
        `POST /onvif/device_service HTTP/1.1\r\nHost: x\r\nContent-Type: application/soap+xml; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    for (const d of [hik, hikNvr, dahua, dahuaNvr]) {
      const t = await post(d, soap("GetSystemDateAndTime"));
      expect(t.statusLine, d.persona.id).toBe("HTTP/1.1 200 OK");
      const offset = clockOffset(t.body.toString(), Date.now());
      expect(offset, d.persona.id).toBeDefined();
      expect(Math.abs(offset ?? Infinity), d.persona.id).toBeLessThan(5000);
      const s = await post(d, soap("GetServices"));
      expect(s.statusLine).toBe("HTTP/1.1 200 OK");
      expect(s.body.toString()).toContain(`/onvif/device_service</tds:XAddr>`);
      const i = await post(d, soap("GetDeviceInformation"));
      expect(i.statusLine, d.persona.id).not.toMatch(/ 200 /);
      expect(i.body.toString()).toContain("ter:NotAuthorized");
    }
  });
});

describe("multicast mode guards", () => {
  it("refuses multicast in the root namespace, and announcements without multicast", async () => {
    await expect(
      startLab({ multicast: true, range: "10.231.76.1", personas: ["dahua-ipc"] }),
    ).rejects.toThrow(UsageError);
    await expect(
      startLab({ multicast: true, range: "10.231.76.1", personas: ["dahua-ipc"] }),
    ).rejects.toThrow(/multicast lab refused: .*namespace/);
    await expect(
      startLab({ range: "127.76.30.200", personas: ["dahua-ipc"], announceEveryMs: 1000 }),
    ).rejects.toThrow(/need multicast mode/);
  });
});

// ---- multicast inside namespaces this test makes (root, Linux) ----

const canNetns = process.platform === "linux" && process.getuid?.() === 0;
const tag = `a1-${process.pid % 100000}`;
const NS = { client: `${tag}-c`, hik: `${tag}-h`, dahua: `${tag}-d` };
const ADDR = { client: "10.231.76.100", hik: "10.231.76.1", dahua: "10.231.76.2" };

function ip(...args: string[]): void {
  execFileSync("ip", args, { stdio: "pipe" });
}

function teardown(): void {
  for (const n of Object.values(NS))
    try {
      ip("netns", "del", n);
    } catch {
      // not there
    }
}

/** Runs in the client namespace: one probe of each kind to its group (or broadcast), plus a passive listener. */
const CLIENT = String.raw`
const dgram = require("node:dgram");
const [me, payloadsJson] = process.argv.slice(1);
const payloads = JSON.parse(payloadsJson);
const out = { replies: [], heard: [] };
const listen = (port, group) => new Promise((res) => {
  const s = dgram.createSocket({ type: "udp4", reuseAddr: true });
  s.on("message", (m, r) => { if (r.address !== me) out.heard.push({ port, from: r.address, text: m.toString("latin1").slice(0, 4000) }); });
  s.bind(port, () => { s.addMembership(group, me); res(s); });
});
(async () => {
  await listen(3702, "239.255.255.250");
  await listen(1900, "239.255.255.250");
  const c = dgram.createSocket("udp4");
  c.on("message", (m, r) => out.replies.push({ from: r.address, port: r.port, hex: m.toString("hex") }));
  await new Promise((res) => c.bind(0, me, res));
  c.setMulticastInterface(me);
  c.setBroadcast(true);
  for (const p of payloads) c.send(Buffer.from(p.hex, "hex"), p.port, p.to);
  setTimeout(() => { console.log(JSON.stringify(out)); process.exit(0); }, 2500);
})();
`;

describe.skipIf(!canNetns)("multicast mode in a test namespace segment", () => {
  const children: ChildProcess[] = [];
  const ready: Record<string, string> = {};

  beforeAll(async () => {
    teardown();
    ip("netns", "add", NS.client);
    ip("-n", NS.client, "link", "set", "lo", "up");
    ip("-n", NS.client, "link", "add", "br0", "type", "bridge");
    ip("-n", NS.client, "addr", "add", `${ADDR.client}/24`, "dev", "br0");
    ip("-n", NS.client, "link", "set", "br0", "up");
    let i = 0;
    for (const who of ["hik", "dahua"] as const) {
      const ns = NS[who];
      ip("netns", "add", ns);
      ip("-n", ns, "link", "set", "lo", "up");
      const host = `${tag.replace("-", "")}v${i++}`;
      ip("link", "add", host, "netns", NS.client, "type", "veth", "peer", "name", "eth0", "netns", ns);
      ip("-n", NS.client, "link", "set", host, "master", "br0", "up");
      ip("-n", ns, "addr", "add", `${ADDR[who]}/24`, "dev", "eth0");
      ip("-n", ns, "link", "set", "eth0", "up");
    }
    const start = (who: "hik" | "dahua", persona: string) =>
      new Promise<void>((resolve, reject) => {
        const opts = { multicast: true, range: ADDR[who], personas: [persona], announceEveryMs: 300 };
        const child = spawn(
          "ip",
          [
            "netns",
            "exec",
            NS[who],
            packagePath("node_modules/.bin/vite-node"),
            packagePath("src/lab/__fixtures__/multicast-device.ts"),
            JSON.stringify(opts),
          ],
          { stdio: ["pipe", "pipe", "pipe"] },
        );
        children.push(child);
        let out = "";
        const timer = setTimeout(() => reject(new Error(`${who} device did not start: ${out}`)), 20_000);
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          if (out.includes("\n")) {
            clearTimeout(timer);
            ready[who] = out;
            if (out.includes('"error"')) reject(new Error(out));
            else resolve();
          }
        });
        child.stderr.on("data", (c: Buffer) => (out += c.toString()));
      });
    try {
      await Promise.all([start("hik", "hikvision-nvr"), start("dahua", "dahua-ipc")]);
    } catch (e) {
      for (const c of children) c.kill();
      teardown();
      throw e;
    }
  }, 40_000);

  afterAll(async () => {
    for (const c of children) {
      c.stdin?.end();
      c.kill();
    }
    await new Promise((r) => setTimeout(r, 200));
    teardown();
    const left = execFileSync("ip", ["netns", "list"], { encoding: "utf8" });
    expect(left).not.toContain(`${tag}-`);
  });

  it("answers group probes unicast to the sender and announces Hello and NOTIFY on the segment", () => {
    const payloads = [
      { to: "239.255.255.250", port: 3702, hex: wsdProbe("urn:uuid:a1-mc").toString("hex") },
      { to: "239.255.255.250", port: 37020, hex: sadpProbe("A1-MC").toString("hex") },
      { to: "239.255.255.251", port: 37810, hex: dhipProbe().toString("hex") },
      { to: "239.255.255.250", port: 1900, hex: mSearch("upnp:rootdevice").toString("hex") },
      { to: "10.231.76.255", port: 5050, hex: LEGACY_DHIP.toString("hex") },
    ];
    const raw = execFileSync(
      "ip",
      ["netns", "exec", NS.client, process.execPath, "-e", CLIENT, ADDR.client, JSON.stringify(payloads)],
      { encoding: "utf8", timeout: 15_000 },
    );
    const out = JSON.parse(raw) as {
      replies: { from: string; port: number; hex: string }[];
      heard: { port: number; from: string; text: string }[];
    };
    const text = (r: { hex: string }) => Buffer.from(r.hex, "hex").toString("latin1");
    const from = (addr: string, port: number) =>
      out.replies.filter((r) => r.from === addr && r.port === port);
    // WS-Discovery: both devices, each with its own scopes
    expect(from(ADDR.hik, 3702).map(text).join()).toContain("name/HIKVISION%20DS-7608NI-K2");
    expect(from(ADDR.dahua, 3702).map(text).join()).toContain("name/Dahua");
    // SADP only from the Hikvision, DHIP and legacy DHIP only from the Dahua
    expect(from(ADDR.hik, 37020).map(text).join()).toContain("<DeviceDescription>DS-7608NI-K2<");
    expect(from(ADDR.dahua, 37020)).toHaveLength(0);
    expect(from(ADDR.dahua, 37810).map(text).join()).toContain("IPC-HDW5421S");
    expect(from(ADDR.hik, 37810)).toHaveLength(0);
    const legacy = from(ADDR.dahua, 5050)[0];
    expect(legacy && Buffer.from(legacy.hex, "hex")[0]).toBe(0xb3);
    expect(legacy && [...Buffer.from(legacy.hex, "hex").subarray(0x38, 0x3c)].join(".")).toBe(ADDR.dahua);
    // SSDP: the NVR; its LOCATION names its own segment address
    const ssdp = from(ADDR.hik, 1900).map(text);
    expect(ssdp).toHaveLength(1);
    expect(ssdp[0]).toContain(`LOCATION: http://${ADDR.hik}:49152/`);
    // passive: Hello from both, NOTIFY from the NVR, without the client having asked for them
    const hellos = out.heard.filter((h) => h.port === 3702 && h.text.includes("discovery/Hello"));
    expect(new Set(hellos.map((h) => h.from))).toEqual(new Set([ADDR.hik, ADDR.dahua]));
    const notifies = out.heard.filter((h) => h.port === 1900 && h.text.startsWith("NOTIFY * HTTP/1.1"));
    expect(notifies.length).toBeGreaterThanOrEqual(3);
    expect(new Set(notifies.map((h) => h.from))).toEqual(new Set([ADDR.hik]));
    expect(notifies.map((n) => header(n.text, "NTS"))).toContain("ssdp:alive");
  }, 30_000);
});
