import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { packagePath } from "../shared/paths.js";
import { sadpInquiry } from "../probes/sadp/parse.js";
import { dhipFrame } from "../probes/dhip/parse.js";
import { checkModeFlags } from "../cli/commands/lab.js";
import { loadPersonaCatalog, loadPersonaFile } from "./load.js";
import { isUdpProtocol } from "./persona.js";
import { discoveryOnly, writePersonaDir } from "./segment-persona.js";
import {
  deviceArgs,
  planSegment,
  removeSegmentLeftovers,
  segmentNames,
  segmentUnsupported,
  startSegment,
  type RunningSegment,
} from "./segment.js";
import type { SegmentTruthLine } from "./segment-run.js";

// This file owns 10.83.0.0/24 inside namespaces it creates (prefix a2t<digits>); nothing leaves them.
const why =
  segmentUnsupported() ??
  (existsSync(packagePath("dist/lab/segment.js")) ? undefined : "the CLI is not built (npm run build)");
if (why) console.log(`segment lab tests skipped: ${why}`);

/** Multicast answers need the lab's multicast mode (bind.ts UdpMode, multicast.ts); absent, that test is skipped. */
const multicastSupported = existsSync(packagePath("src/lab/multicast.ts"));

const prefixes: string[] = [];
const newPrefix = (): string => {
  const p = `a2t${Math.floor(Math.random() * 1e6)
    .toString()
    .padStart(6, "0")}`;
  prefixes.push(p);
  return p;
};
const ours = (prefix: string): string[] =>
  execFileSync("ip", ["netns", "list"], { encoding: "utf8" })
    .split("\n")
    .map((l) => l.split(" ")[0] ?? "")
    .filter((n) => n.startsWith(`${prefix}-`));

// Whatever a failing test left: its namespaces and lock files go.
afterAll(() => {
  if (why) return;
  for (const p of prefixes) {
    for (const ns of ours(p)) execFileSync("ip", ["netns", "del", ns]);
    rmSync(segmentNames(p).lock, { force: true });
  }
});

/**
 * Runs inside the seg namespace: sends one datagram from 10.83.0.1 (to a device, or to a group through br0) and
 * prints every reply received within the window, as JSON.
 */
const EXCHANGE = String.raw`
const dgram = require("node:dgram");
const [target, port, hex, ms] = process.argv.slice(1);
const s = dgram.createSocket("udp4");
const replies = [];
s.on("message", (m, r) => replies.push({ from: r.address, text: m.toString("latin1") }));
s.bind({ address: "10.83.0.1", port: 0 }, () => {
  s.setMulticastInterface("10.83.0.1");
  s.setMulticastTTL(1);
  s.send(Buffer.from(hex, "hex"), Number(port), target);
  setTimeout(() => { s.close(); console.log(JSON.stringify(replies)); }, Number(ms));
});
`;

/** Runs inside the seg namespace: "GET /" on host:port; prints the reply's head, or the connect error's code. */
const HTTP_GET = String.raw`
const net = require("node:net");
const [host, port] = process.argv.slice(1);
const s = net.connect({ host, port: Number(port) }, () => s.write("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n"));
let got = "";
const done = (r) => { clearTimeout(t); s.destroy(); console.log(r); };
const t = setTimeout(() => done(got || "timeout"), 3000);
s.on("data", (d) => { got += d.toString("latin1"); if (got.includes("\r\n\r\n")) done(got.split("\r\n\r\n")[0]); });
s.on("error", (e) => done(e.code));
`;

const httpGet = (ns: string, host: string, port: number): string =>
  execFileSync("ip", ["netns", "exec", ns, process.execPath, "-e", HTTP_GET, host, String(port)], {
    encoding: "utf8",
    timeout: 20_000,
  }).trim();

function exchange(ns: string, target: string, port: number, payload: Buffer, ms = 1500) {
  const out = execFileSync(
    "ip",
    [
      "netns",
      "exec",
      ns,
      process.execPath,
      "-e",
      EXCHANGE,
      target,
      String(port),
      payload.toString("hex"),
      String(ms),
    ],
    { encoding: "utf8", timeout: 20_000 },
  );
  return JSON.parse(out) as { from: string; text: string }[];
}

describe("segment planning (no root needed)", () => {
  it("names the namespaces from a short prefix and refuses odd ones", () => {
    expect(segmentNames("cswseg")).toMatchObject({
      seg: "cswseg-seg",
      lock: "/run/camsweep-segment-cswseg.pid",
    });
    expect(() => segmentNames("a-b")).toThrow(/prefix/);
    expect(() => segmentNames("abcdefghijk")).toThrow(/prefix/);
  });

  it("puts device k at 10.83.0.<k+10> with its persona's MAC, copies on distinct MACs and serials", () => {
    const plan = planSegment({ personas: ["hikvision-ipc-current", "dahua-ipc"], devices: 4, prefix: "x" });
    expect(plan.map((d) => d.address)).toEqual(["10.83.0.11", "10.83.0.12", "10.83.0.13", "10.83.0.14"]);
    expect(plan.map((d) => d.namespace)).toEqual(["x-d1", "x-d2", "x-d3", "x-d4"]);
    const hik = loadPersonaCatalog().standard.find((p) => p.id === "hikvision-ipc-current");
    expect(plan[0]?.mac).toBe(hik?.vars["mac"]);
    expect(new Set(plan.map((d) => d.mac)).size).toBe(4);
    expect(plan[2]?.persona.id).toBe("hikvision-ipc-current");
    expect(plan[2]?.persona.vars["serial"]).not.toBe(plan[0]?.persona.vars["serial"]);
    // The device's replies carry the MAC its link has.
    for (const d of plan) expect(d.persona.vars["mac"]).toBe(d.mac);
    expect(() => planSegment({ personas: ["printer"], devices: 241 })).toThrow(/1-240/);
  });

  it("gives a persona without a MAC a locally administered one", () => {
    const noMac = loadPersonaCatalog().standard.find((p) => p.vars["mac"] === undefined);
    if (!noMac) return void console.log("every persona has a MAC");
    const [d] = planSegment({ personas: [noMac.id], prefix: "x" });
    expect(d?.mac).toMatch(/^02:83:00:00:00:01$/);
  });

  it("discovery-only keeps UDP discovery and the ONVIF routes, and drops every other TCP service", () => {
    const { standard } = loadPersonaCatalog();
    const hik = standard.find((p) => p.id === "hikvision-ipc-current");
    if (!hik) throw new Error("persona missing");
    const only = discoveryOnly(hik);
    expect(only).toBeDefined();
    const udp = hik.services.filter((s) => isUdpProtocol(s.protocol)).map((s) => s.protocol);
    expect(only?.services.filter((s) => isUdpProtocol(s.protocol)).map((s) => s.protocol)).toEqual(udp);
    const tcp = only?.services.filter((s) => !isUdpProtocol(s.protocol)) ?? [];
    expect(tcp.length).toBeGreaterThan(0);
    expect(
      tcp.some(
        (s) =>
          (s.protocol === "http" || s.protocol === "https") &&
          s.routes.some((r) => r.path === "/onvif/device_service"),
      ),
    ).toBe(true);
    for (const s of tcp) {
      if (s.protocol !== "http" && s.protocol !== "https") throw new Error(`kept ${s.protocol}/${s.port}`);
      for (const r of s.routes) expect(r.path).toMatch(/^\/onvif\/|\.xml$/);
      // An unknown path gets a bare 404: no Server header to identify the maker by.
      expect(s.default?.headers.map(([n]) => n.toLowerCase())).not.toContain("server");
    }
    // A printer has no discovery service at all: it runs nothing.
    const printer = standard.find((p) => p.id === "printer");
    if (printer && printer.services.every((s) => !isUdpProtocol(s.protocol)))
      expect(discoveryOnly(printer)).toBeUndefined();
  });

  it("writes personas that load back unchanged, discovery-only ones too", () => {
    const dir = mkdtempSync(join(tmpdir(), "camsweep-a2-"));
    try {
      const { standard, misbehaving } = loadPersonaCatalog();
      for (const p of [...standard, ...misbehaving]) {
        for (const [i, q] of [p, discoveryOnly(p)].entries()) {
          if (!q) continue;
          const sub = join(dir, `${p.id}-${i}`);
          writePersonaDir(sub, q);
          expect(loadPersonaFile(join(sub, `${p.id}.yaml`)), p.id).toEqual(q);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("passes each device process its namespace, persona directory, address and multicast", () => {
    const [d] = planSegment({ personas: ["hikvision-ipc-current"], prefix: "x" });
    if (!d) throw new Error("no device");
    expect(deviceArgs(d, "/tmp/p", { announceEveryMs: 5000 })).toEqual([
      "lab",
      "--segment-device",
      "x-d1",
      "--persona-dir",
      "/tmp/p",
      "--personas",
      "hikvision-ipc-current",
      "--range",
      "10.83.0.11",
      "--multicast",
      "--announce-every",
      "5000",
    ]);
  });

  it("refuses flags of the wrong mode", () => {
    expect(() => checkModeFlags({ segment: true, netns: true })).toThrow(/--segment and --netns/);
    expect(() => checkModeFlags({ segment: true, range: "10.1.0.0/24" })).toThrow(/own subnet/);
    expect(() => checkModeFlags({ discoveryOnly: true })).toThrow(/need --segment/);
    expect(() => checkModeFlags({ announce: 5 })).toThrow(/need --segment/);
    expect(() => checkModeFlags({ announceEvery: 500 })).toThrow(/needs --multicast/);
    expect(() => checkModeFlags({ segment: true, discoveryOnly: true, announce: 5 })).not.toThrow();
  });
});

const built = existsSync(packagePath("dist/lab/segment.js"));

describe.skipIf(!built)("segment device process", () => {
  it("refuses to run outside the segment device namespace it names", () => {
    const r = spawnSync(
      process.execPath,
      [
        packagePath("bin/camsweep.js"),
        "lab",
        "--segment-device",
        "a2tx-d1",
        "--personas",
        "hikvision-ipc-current",
        "--range",
        "10.83.0.11",
      ],
      { encoding: "utf8", timeout: 30_000 },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/internal to "camsweep lab --segment"/);
  });
});

describe.skipIf(why !== undefined)("segment lab (root, Linux)", () => {
  it("brings up a 3-device segment that answers unicast SADP and DHIP, with nothing routed elsewhere", async () => {
    const prefix = newPrefix();
    let seg: RunningSegment | undefined;
    try {
      seg = await startSegment({
        personas: ["hikvision-ipc-current", "dahua-ipc", "printer"],
        prefix,
        discoveryOnly: true,
      });
      const names = seg.names;
      expect(ours(prefix).sort()).toEqual(
        [`${prefix}-d1`, `${prefix}-d2`, `${prefix}-d3`, `${prefix}-seg`].sort(),
      );
      for (const d of seg.devices) {
        // Only the segment and multicast on eth0: no default route, nothing reaches a real network.
        const routes = execFileSync("ip", ["-n", d.namespace, "-4", "route", "show"], { encoding: "utf8" })
          .trim()
          .split("\n")
          .map((l) => l.split(" ").slice(0, 3).join(" "));
        expect(routes.sort()).toEqual(["10.83.0.0/24 dev eth0", "224.0.0.0/4 dev eth0"]);
        expect(
          execFileSync("ip", ["-n", d.namespace, "-6", "route", "show"], { encoding: "utf8" }),
        ).not.toMatch(/default/);
        const link = execFileSync("ip", ["-n", d.namespace, "-o", "link", "show", "eth0"], {
          encoding: "utf8",
        });
        expect(link).toContain(`link/ether ${d.mac} `);
        expect(d.persona.vars["mac"]).toBe(d.mac);
      }
      const segRoutes = execFileSync("ip", ["-n", names.seg, "-4", "route", "show"], { encoding: "utf8" });
      expect(segRoutes).not.toMatch(/default/);
      expect(segRoutes).toMatch(/^10\.83\.0\.0\/24 dev br0 /m);
      // The printer has no discovery service: no process, an empty service list.
      expect(seg.devices.find((d) => d.persona.id === "printer")?.services).toEqual([]);

      const [hik, dahua] = seg.devices;
      if (!hik || !dahua) throw new Error("devices missing");
      const uuid = "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0";
      const sadp = exchange(names.seg, hik.address, 37020, Buffer.from(sadpInquiry(uuid)));
      expect(sadp).toHaveLength(1);
      expect(sadp[0]?.from).toBe(hik.address);
      expect(sadp[0]?.text).toContain("<Types>inquiry</Types>");
      expect(sadp[0]?.text).toContain(`<Uuid>${uuid}</Uuid>`);
      expect(sadp[0]?.text.toLowerCase()).toContain(hik.mac.replace(/:/g, "-"));
      const dhip = exchange(names.seg, dahua.address, 37810, dhipFrame());
      expect(dhip).toHaveLength(1);
      expect(dhip[0]?.text).toContain(dahua.persona.vars["serial"] ?? "no serial");
      // Discovery only: the web UI answers a bare 404 (no Server header), RTSP and the SDK port are closed.
      const web = httpGet(names.seg, hik.address, 80);
      expect(web).toMatch(/^HTTP\/1\.[01] 404 /);
      expect(web).not.toMatch(/^server:/im);
      expect(httpGet(names.seg, hik.address, 554)).toBe("ECONNREFUSED");
      expect(httpGet(names.seg, hik.address, 8000)).toBe("ECONNREFUSED");
      await seg.stop();
      expect(ours(prefix)).toEqual([]);
      expect(existsSync(names.lock)).toBe(false);
    } finally {
      await seg?.stop();
    }
  }, 120_000);

  it.skipIf(!multicastSupported)(
    "answers a multicast SADP and DHIP inquiry on br0 from every device that speaks it (needs A1's multicast mode)",
    async () => {
      const prefix = newPrefix();
      let seg: RunningSegment | undefined;
      try {
        seg = await startSegment({
          personas: ["hikvision-ipc-current", "hikvision-nvr", "dahua-ipc", "lorex-relabel", "printer"],
          prefix,
          discoveryOnly: true,
        });
        const speaks = (proto: string) =>
          seg?.devices
            .filter((d) => d.persona.services.some((s) => s.protocol === proto))
            .map((d) => d.address) ?? [];
        const sadp = exchange(seg.names.seg, "239.255.255.250", 37020, Buffer.from(sadpInquiry()), 2000);
        expect(speaks("sadp").length).toBeGreaterThanOrEqual(2);
        expect(sadp.map((r) => r.from).sort()).toEqual(speaks("sadp").sort());
        const dhip = exchange(seg.names.seg, "239.255.255.251", 37810, dhipFrame(), 2000);
        expect(speaks("dhip").length).toBeGreaterThanOrEqual(2);
        expect(dhip.map((r) => r.from).sort()).toEqual(speaks("dhip").sort());
      } finally {
        await seg?.stop();
      }
      expect(ours(prefix)).toEqual([]);
    },
    120_000,
  );

  it("removes every namespace when one device fails to start", async () => {
    const prefix = newPrefix();
    // SADP's 37020 + 30000 exceeds 65535: the Hikvision's process fails; the printer's (80 + 30000) is fine.
    await expect(
      startSegment({ personas: ["printer", "hikvision-ipc-current"], prefix, portOffset: 30000 }),
    ).rejects.toThrow(new RegExp(`${prefix}-d2 exited`));
    expect(ours(prefix)).toEqual([]);
    expect(existsSync(segmentNames(prefix).lock)).toBe(false);
  }, 120_000);

  it("refuses namespaces it did not leave, and clears a crashed run's", async () => {
    const prefix = newPrefix();
    const names = segmentNames(prefix);
    execFileSync("ip", ["netns", "add", names.seg]);
    await expect(removeSegmentLeftovers(names)).rejects.toThrow(/no segment lab left them/);
    expect(ours(prefix)).toEqual([names.seg]);
    // A crashed run: its lock file names a dead pid.
    writeFileSync(names.lock, "2147483646\n");
    execFileSync("ip", ["netns", "add", `${prefix}-d1`]);
    expect((await removeSegmentLeftovers(names)).sort()).toEqual([`${prefix}-d1`, names.seg]);
    expect(ours(prefix)).toEqual([]);
    expect(existsSync(names.lock)).toBe(false);
  });

  it("camsweep lab --segment prints the devices, writes the truth and removes everything on Ctrl-C", async () => {
    const prefix = newPrefix();
    const dir = mkdtempSync(join(tmpdir(), "camsweep-a2-"));
    const truth = join(dir, "truth.jsonl");
    const child = spawn(
      process.execPath,
      [
        packagePath("bin/camsweep.js"),
        "lab",
        "--segment",
        "--prefix",
        prefix,
        "--personas",
        "hikvision-ipc-current,dahua-ipc",
        "--devices",
        "3",
        "--discovery-only",
        "--truth",
        truth,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    try {
      const t0 = Date.now();
      while (!stderr.includes("camsweep lab: ready")) {
        if (child.exitCode !== null || Date.now() - t0 > 60_000) throw new Error(`no ready line: ${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const lines = readFileSync(truth, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as SegmentTruthLine);
      expect(lines.map((l) => [l.address, l.persona, l.namespace])).toEqual([
        ["10.83.0.11", "hikvision-ipc-current", `${prefix}-d1`],
        ["10.83.0.12", "dahua-ipc", `${prefix}-d2`],
        ["10.83.0.13", "hikvision-ipc-current", `${prefix}-d3`],
      ]);
      expect(lines[0]?.mac).not.toBe(lines[2]?.mac);
      expect(lines[0]?.expect.manufacturer).toBe("hikvision");
      for (const l of lines) expect(stdout).toContain(`${l.namespace}  ${l.address}  ${l.mac}`);
      expect(stdout).toContain(`ip netns exec ${prefix}-seg camsweep scan --local --interface br0`);
      expect(ours(prefix)).toHaveLength(4);
    } finally {
      child.kill("SIGINT");
      const code = await new Promise<number | null>((resolve) =>
        child.exitCode !== null ? resolve(child.exitCode) : child.on("close", resolve),
      );
      rmSync(dir, { recursive: true, force: true });
      expect(code, stderr).toBe(0);
    }
    expect(ours(prefix)).toEqual([]);
  }, 120_000);
});
