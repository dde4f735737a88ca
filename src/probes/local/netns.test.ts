import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packagePath } from "../../shared/paths.js";
import type { ListenResult } from "./listen.js";
import type { LocalDiscoveryResult } from "./send.js";

/**
 * Local discovery and listening over real links, inside network namespaces this file creates (c-<random>-h|d|o)
 * and deletes in afterAll, even when a test fails. Multicast and broadcast happen only there: the namespaces have
 * no route anywhere else. Topology: the host namespace H has two links, ca (10.231.1.1) to a device namespace D
 * (10.231.1.2) and cb (10.231.2.1) to another device namespace O (10.231.2.2). camsweep runs in H on "ca" only.
 */
const why =
  process.platform !== "linux"
    ? "needs Linux"
    : process.getuid?.() !== 0
      ? "needs root (creates network namespaces)"
      : ["ip", "nft"].find((c) => spawnSync(c, ["-V"]).error)
        ? "needs ip and nft"
        : undefined;
if (why) console.log(`local discovery namespace tests skipped: ${why}`);

const id = randomBytes(3).toString("hex");
const NS = { host: `c-${id}-h`, dev: `c-${id}-d`, other: `c-${id}-o` };
const FIXTURES = packagePath("src/probes/local/__fixtures__");
const VITE_NODE = packagePath("node_modules/vite-node/vite-node.mjs");
const children = new Set<ChildProcess>();

function sh(...args: string[]): string {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${args.join(" ")}: ${r.stderr || r.error}`);
  return r.stdout;
}
const inNs = (ns: string, ...args: string[]) => sh("ip", "netns", "exec", ns, ...args);

/** A process in a namespace whose stdout and stderr lines are kept, with a wait for a line on either. */
function start(ns: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn("ip", ["netns", "exec", ns, process.execPath, ...args], {
    cwd: packagePath("."),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  const lines: string[] = [];
  const errLines: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  const split = (into: string[]) => {
    let buf = "";
    return (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split("\n");
      buf = parts.pop() ?? "";
      for (const l of parts) {
        into.push(l);
        for (const w of waiters.filter((w) => w.re.test(l))) w.resolve(l);
      }
    };
  };
  child.stdout!.on("data", split(lines));
  child.stderr!.on("data", split(errLines));
  const exited = new Promise<void>((r) => child.on("exit", () => (children.delete(child), r())));
  return {
    lines,
    exited,
    stop: () => child.kill("SIGKILL"),
    line: (re: RegExp, ms = 20000) =>
      new Promise<string>((resolve, reject) => {
        const hit = [...lines, ...errLines].find((l) => re.test(l));
        if (hit !== undefined) return resolve(hit);
        const why = () => `stderr: ${errLines.join("\n")}`;
        const t = setTimeout(() => reject(new Error(`no line ${re} within ${ms} ms; ${why()}`)), ms);
        waiters.push({ re, resolve: (l) => (clearTimeout(t), resolve(l)) });
        void exited.then(() => setTimeout(() => reject(new Error(`exited without ${re}; ${why()}`)), 50));
      }),
  };
}

const fake = (ns: string, o: object) => start(ns, [`${FIXTURES}/fake-device.mjs`, JSON.stringify(o)]);
const runner = (o: object) =>
  start(NS.host, [VITE_NODE, `${FIXTURES}/run.ts`], { CSW_RUN: JSON.stringify(o) });
const resultOf = async <T>(r: ReturnType<typeof runner>): Promise<T> =>
  JSON.parse((await r.line(/^RESULT /, 30000)).slice("RESULT ".length)) as T;

/** A UDP packet counter on a namespace's output (or prerouting) hook. */
function counter(ns: string, hook: "output" | "prerouting") {
  inNs(ns, "nft", "add", "table", "inet", "c");
  inNs(ns, "nft", "add", "chain", "inet", "c", hook, `{ type filter hook ${hook} priority -300; }`);
  inNs(ns, "nft", "add", "rule", "inet", "c", hook, "meta", "l4proto", "udp", "counter");
  return {
    packets: () =>
      Number(/counter packets (\d+)/.exec(inNs(ns, "nft", "list", "chain", "inet", "c", hook))?.[1]),
    remove: () => spawnSync("ip", ["netns", "exec", ns, "nft", "delete", "table", "inet", "c"]),
  };
}

/** One datagram from a namespace, to prove a counter counts (a zero must be able to be something else). */
const sendOne = (ns: string, to: string) =>
  inNs(
    ns,
    process.execPath,
    "-e",
    `const s=require("node:dgram").createSocket("udp4");s.send("x",9,"${to}",()=>s.close())`,
  );

const device = (ns: string, address: string, ifname: string, mode = "answer", count = 1) =>
  fake(ns, {
    mode,
    count,
    address,
    ifname,
    listen: [
      { family: "v4", port: 37020, group: "239.255.255.250" },
      { family: "v6", port: 37020, group: "ff02::c" },
      { family: "v4", port: 5050 },
    ],
  });

describe.skipIf(why !== undefined)("local discovery and listening on a named interface (namespaces)", () => {
  beforeAll(() => {
    for (const ns of Object.values(NS)) {
      sh("ip", "netns", "add", ns);
      // Addresses usable at once (no duplicate address detection), so link-local IPv6 can be bound.
      inNs(ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
      sh("ip", "-n", ns, "link", "set", "lo", "up");
    }
    sh("ip", "-n", NS.host, "link", "add", "ca", "type", "veth", "peer", "name", "da", "netns", NS.dev);
    sh("ip", "-n", NS.host, "link", "add", "cb", "type", "veth", "peer", "name", "ob", "netns", NS.other);
    for (const [ns, dev, addr] of [
      [NS.host, "ca", "10.231.1.1/24"],
      [NS.host, "cb", "10.231.2.1/24"],
      [NS.dev, "da", "10.231.1.2/24"],
      [NS.other, "ob", "10.231.2.2/24"],
    ] as const) {
      sh("ip", "-n", ns, "addr", "add", addr, "dev", dev);
      sh("ip", "-n", ns, "link", "set", dev, "up");
    }
    // IPv6 comes up on a link only once the link has carrier: wait for every end's link-local address.
    const links = [
      [NS.host, "ca"],
      [NS.host, "cb"],
      [NS.dev, "da"],
      [NS.other, "ob"],
    ] as const;
    for (let i = 0; i < 100; i++) {
      const ready = links.every(([ns, dev]) => {
        const a = sh("ip", "-n", ns, "-6", "addr", "show", "dev", dev, "scope", "link");
        return a.includes("inet6 fe80:") && !a.includes("tentative");
      });
      if (ready) return;
      spawnSync("sleep", ["0.1"]);
    }
    throw new Error("the test links got no IPv6 link-local address within 10 s");
  });

  afterAll(() => {
    for (const c of children) c.kill("SIGKILL");
    for (const ns of Object.values(NS)) spawnSync("ip", ["netns", "del", ns]);
  });

  it("a device on the named interface answers the multicast and broadcast inquiries; one on another interface hears nothing", async () => {
    const d = device(NS.dev, "10.231.1.2", "da");
    const o = device(NS.other, "10.231.2.2", "ob");
    const heard = counter(NS.other, "prerouting");
    try {
      await Promise.all([d.line(/^READY/), o.line(/^READY/)]);
      const r = await resultOf<LocalDiscoveryResult>(
        runner({ mode: "discover", interface: "ca", windowMs: 1500 }),
      );

      expect(r.sent.map((s) => s.destination).sort()).toEqual([
        "239.255.255.250:37020",
        "255.255.255.255:5050",
        "[ff02::c%ca]:37020",
      ]);
      expect(r.sent.filter((s) => s.error)).toEqual([]);
      const got = r.replies.map((x) => `${x.protocol} ${x.address.startsWith("fe80:") ? "fe80" : x.address}`);
      expect(got.sort()).toEqual(["dhip-legacy 10.231.1.2", "sadp 10.231.1.2", "sadp fe80"]);
      expect(r.replies[0]!.part.response).toMatchObject({ raw: expect.stringMatching(/^CSW-REPLY 0 from/) });
      // The inquiries left from the interface's own address.
      expect(d.lines).toContain("GOT 37020 10.231.1.1");
      expect(d.lines).toContain("GOT 5050 10.231.1.1");

      // Nothing reached the other link: neither the device there nor its interface saw a UDP packet.
      expect(o.lines.filter((l) => l.startsWith("GOT"))).toEqual([]);
      expect(heard.packets()).toBe(0);
      sendOne(NS.host, "10.231.2.2");
      expect(heard.packets()).toBe(1);

      // Named the other way round, the inquiries follow the name: the other device answers, the first hears nothing.
      const before = d.lines.length;
      const r2 = await resultOf<LocalDiscoveryResult>(
        runner({ mode: "discover", interface: "cb", windowMs: 1000 }),
      );
      expect([...new Set(r2.replies.map((x) => x.address).filter((a) => !a.startsWith("fe80:")))]).toEqual([
        "10.231.2.2",
      ]);
      expect(d.lines.slice(before).filter((l) => l.startsWith("GOT"))).toEqual([]);
    } finally {
      d.stop();
      o.stop();
      heard.remove();
    }
  });

  it("a flood of 1000 replies from one device keeps 16 and counts the rest as dropped", async () => {
    const d = fake(NS.dev, {
      mode: "flood",
      count: 1000,
      address: "10.231.1.2",
      ifname: "da",
      listen: [{ family: "v4", port: 37020, group: "239.255.255.250" }],
    });
    try {
      await d.line(/^READY/);
      const r = await resultOf<LocalDiscoveryResult>(
        runner({ mode: "discover", interface: "ca", windowMs: 2000 }),
      );
      const fromDevice = r.replies.filter((x) => x.address === "10.231.1.2");
      expect(fromDevice).toHaveLength(16);
      // A few may be lost on the link under the burst; the rest were counted, not kept.
      expect(r.dropped).toBeGreaterThanOrEqual(900);
      expect(r.dropped + fromDevice.length).toBeLessThanOrEqual(1000);
    } finally {
      d.stop();
    }
  });

  it("listen records a multicast announcement and sends no UDP packet", async () => {
    const out = counter(NS.host, "output");
    const listener = runner({ mode: "listen", interface: "ca", durationMs: 4000 });
    try {
      await listener.line(/^LISTENING/);
      const here = fake(NS.dev, {
        mode: "announce",
        count: 3,
        address: "10.231.1.2",
        ifname: "da",
        group: "239.255.255.250",
        port: 37020,
      });
      // The same announcement on the other link, where the listener did not join the group.
      const there = fake(NS.other, {
        mode: "announce",
        count: 3,
        address: "10.231.2.2",
        ifname: "ob",
        group: "239.255.255.250",
        port: 37020,
      });
      await Promise.all([here.line(/^SENT/), there.line(/^SENT/)]);
      const r = await resultOf<ListenResult>(listener);
      expect(r.failed).toEqual([]);
      expect(r.observations).toHaveLength(1);
      expect(r.repeats).toBe(2);
      expect(r.observations[0]).toMatchObject({
        target: "10.231.1.2",
        protocol: "sadp",
        port: 37020,
        request: { listened: true, group: "239.255.255.250", port: 37020, onLink: true, interface: "ca" },
        response: { raw: "CSW-REPLY announce from 10.231.1.2" },
      });
      await listener.exited;
      // Joining the group sent IGMP reports (not UDP); not one UDP packet left the listener's namespace.
      expect(out.packets()).toBe(0);
      sendOne(NS.host, "10.231.1.2");
      expect(out.packets()).toBe(1);
    } finally {
      listener.stop();
      out.remove();
    }
  });

  it("camsweep listen identifies an announcing Hikvision from SADP alone and prints what it heard", async () => {
    const cli = start(
      NS.host,
      [
        packagePath("bin/camsweep.js"),
        "listen",
        "--interface",
        "ca",
        "--duration",
        "5s",
        "--json",
        "--no-store",
      ],
      { CAMSWEEP_CONFIG: "/nonexistent/camsweep-test-config.yaml" },
    );
    try {
      await cli.line(/^camsweep: listening on ca/, 20000);
      const d = fake(NS.dev, {
        mode: "announce",
        count: 2,
        address: "10.231.1.2",
        ifname: "da",
        group: "239.255.255.250",
        port: 37020,
        payload: PROBE_MATCH,
      });
      await d.line(/^SENT/);
      await cli.exited;
      const lines = cli.lines
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        address: "10.231.1.2",
        manufacturer: "hikvision",
        model: "DS-2CD2385G1-I",
        serial: "DS-2CD2385G1-I20190101AAWRD12345678",
        heard: { sadp: 1 },
      });
    } finally {
      cli.stop();
    }
  });
});

/** A SADP ProbeMatch in the shape of protocols.md §1.3 (lab persona hiwatch-ipc's reply, values filled in). */
const PROBE_MATCH =
  '<?xml version="1.0" encoding="UTF-8"?>\r\n<ProbeMatch><Uuid>7C1A7A3E-5E41-4B2E-9E0E-3C3F0A1B2C3D</Uuid>\r\n' +
  "<Types>inquiry</Types>\r\n<DeviceType>141945</DeviceType>\r\n<DeviceDescription>DS-2CD2385G1-I</DeviceDescription>\r\n" +
  "<DeviceSN>DS-2CD2385G1-I20190101AAWRD12345678</DeviceSN>\r\n<CommandPort>8000</CommandPort>\r\n<HttpPort>80</HttpPort>\r\n" +
  "<MAC>58-50-ed-1f-e3-85</MAC>\r\n<IPv4Address>10.231.1.2</IPv4Address>\r\n<IPv4SubnetMask>255.255.255.0</IPv4SubnetMask>\r\n" +
  "<SoftwareVersion>V5.5.82build 190909</SoftwareVersion>\r\n<DSPVersion>V7.3 build 190909</DSPVersion>\r\n" +
  "<Activated>true</Activated>\r\n</ProbeMatch>";
