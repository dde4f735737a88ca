import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packagePath } from "../shared/paths.js";
import { sadpProbe } from "./__fixtures__/client.js";
import { labRuleset, netnsNames, netnsUnsupported } from "./netns.js";
import { innerArgs } from "./netns-lab.js";
import { parseFiltered } from "../cli/commands/lab.js";
import type { TruthLine } from "./truth.js";

// This file owns 10.82.0.0/24, inside namespaces it creates (prefix cswt<pid>); nothing leaves them.
const why =
  netnsUnsupported() ??
  (existsSync(packagePath("dist/cli/main.js")) ? undefined : "the CLI is not built (npm run build)");
if (why) console.log(`netns lab tests skipped: ${why}`);

describe("namespace lab helpers", () => {
  it("names stay within interface-name limits and refuse odd prefixes", () => {
    expect(netnsNames("csw")).toMatchObject({ lab: "csw-lab", scan: "csw-scan", labDev: "csw-tl" });
    expect(() => netnsNames("a-b")).toThrow(/prefix/);
    expect(() => netnsNames("abcdefghijk")).toThrow(/prefix/);
  });

  it("drops filtered devices and every unused address of the range", () => {
    const rules = labRuleset({
      range: "10.82.0.0/24",
      devices: ["10.82.0.1", "10.82.0.2"],
      filtered: ["10.82.0.2"],
      rttMs: 20,
      lossPercent: 0,
    });
    expect(rules).toContain("elements = { 10.82.0.1, 10.82.0.2 }");
    expect(rules).toMatch(/ip daddr @filtered drop/);
    expect(rules).toMatch(/ip daddr 10\.82\.0\.0\/24 ip daddr != @hosts drop/);
    expect(
      labRuleset({ range: "10.82.0.0/24", devices: [], filtered: [], rttMs: 0, lossPercent: 0 }),
    ).not.toMatch(/elements = \{ \}/);
  });

  it("passes the planning flags to the process inside", () => {
    expect(
      innerArgs({ range: "10.82.0.0/24", count: 5, seed: 2, spread: true, mix: "m.yaml" }, "x-lab"),
    ).toEqual([
      "lab",
      "--inside",
      "x-lab",
      "--range",
      "10.82.0.0/24",
      "--devices",
      "5",
      "--mix",
      "m.yaml",
      "--seed",
      "2",
      "--spread",
    ]);
    expect(parseFiltered("5%")).toEqual({ percent: 5 });
    expect(parseFiltered("3")).toEqual({ count: 3 });
    expect(() => parseFiltered("1.5")).toThrow(/count/);
    expect(() => parseFiltered("150%")).toThrow(/percentage/);
  });
});

/** Runs inside the scanner namespace: TCP connect times, silence, and one SADP exchange. */
const PROBE = String.raw`
const net = require("node:net"), dgram = require("node:dgram");
const [device, filtered, empty, hik, sadpHex] = process.argv.slice(1);
const tcp = (host, port, ms) => new Promise((resolve) => {
  const t0 = performance.now(); const s = net.connect({ host, port });
  const done = (r) => { clearTimeout(timer); s.destroy(); resolve({ ...r, ms: Math.round(performance.now() - t0) }); };
  const timer = setTimeout(() => done({ result: "timeout" }), ms);
  s.on("connect", () => done({ result: "connected" }));
  s.on("error", (e) => done({ result: e.code }));
});
const sadp = () => new Promise((resolve) => {
  const s = dgram.createSocket("udp4"); const timer = setTimeout(() => { s.close(); resolve(""); }, 2000);
  s.on("message", (m) => { clearTimeout(timer); s.close(); resolve(m.toString()); });
  s.send(Buffer.from(sadpHex, "hex"), 37020, hik);
});
(async () => {
  const rtt = [];
  for (let i = 0; i < 5; i++) rtt.push(await tcp(device, 80, 3000));
  const out = {
    rtt,
    refused: await tcp(device, 81, 3000),
    filtered: await tcp(filtered, 80, 1500),
    empty: await tcp(empty, 80, 1500),
    sadp: await sadp(),
  };
  console.log(JSON.stringify(out));
})();
`;

async function waitFor(file: string, ms: number, stderr: () => string): Promise<void> {
  const t0 = Date.now();
  while (!existsSync(file)) {
    if (Date.now() - t0 > ms) throw new Error(`lab did not start: ${stderr()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const ours = (prefix: string) =>
  execFileSync("ip", ["netns", "list"], { encoding: "utf8" })
    .split("\n")
    .filter((l) => l.startsWith(`${prefix}-`));

describe.skipIf(why !== undefined)("namespace lab (root, Linux)", () => {
  it("gives a real round trip, silent filtered and unused addresses, and tears down on Ctrl-C", async () => {
    const prefix = `cswt${process.pid % 100000}`;
    const names = netnsNames(prefix);
    const dir = mkdtempSync(join(tmpdir(), "camsweep-netns-"));
    const truth = join(dir, "truth.jsonl");
    // A leftover from a "crashed" run: the next start must clear it.
    execFileSync("ip", ["netns", "add", names.lab]);
    const child = spawn(
      process.execPath,
      [
        packagePath("bin/camsweep.js"),
        "lab",
        "--netns",
        "--netns-prefix",
        prefix,
        "--range",
        "10.82.0.0/24",
        "--personas",
        "printer,axis-camera,hikvision-ipc-current,dahua-ipc",
        "--filtered",
        "1",
        "--rtt",
        "60",
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
      await waitFor(truth, 30_000, () => stderr);
      const lines = readFileSync(truth, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as TruthLine);
      expect(lines).toHaveLength(4);
      const filtered = lines.filter((l) => l.filtered);
      expect(filtered).toHaveLength(1);
      const open = lines.find((l) => !l.filtered && l.persona !== "hikvision-ipc-current") as TruthLine;
      const hik = lines.find((l) => l.persona === "hikvision-ipc-current") as TruthLine;
      expect(stdout).toMatch(/4 simulated devices in namespace cswt\d+-lab/);

      // The scanner namespace routes the lab range and nothing else.
      const routes = execFileSync("ip", ["-n", names.scan, "route", "show"], { encoding: "utf8" });
      expect(routes).toMatch(/^10\.82\.0\.0\/24 dev /m);
      expect(routes).not.toMatch(/default/);
      const out = spawnSync("ip", ["netns", "exec", names.scan, "ip", "route", "get", "192.0.2.1"], {
        encoding: "utf8",
      });
      expect(out.status).not.toBe(0);
      expect(out.stderr).toMatch(/unreachable/i);

      const probe = execFileSync(
        "ip",
        [
          "netns",
          "exec",
          names.scan,
          process.execPath,
          "-e",
          PROBE,
          open.address,
          filtered[0]?.address as string,
          "10.82.0.200",
          hik.filtered ? open.address : hik.address,
          sadpProbe("N-1").toString("hex"),
        ],
        { encoding: "utf8", timeout: 30_000 },
      );
      const r = JSON.parse(probe) as {
        rtt: { result: string; ms: number }[];
        refused: { result: string; ms: number };
        filtered: { result: string };
        empty: { result: string };
        sadp: string;
      };
      for (const x of r.rtt) expect(x.result).toBe("connected");
      const best = Math.min(...r.rtt.map((x) => x.ms));
      expect(best).toBeGreaterThanOrEqual(55);
      expect(best).toBeLessThan(160);
      // A closed port answers RST after one round trip; the filtered device and an unused address stay silent.
      expect(r.refused.result).toBe("ECONNREFUSED");
      expect(r.refused.ms).toBeGreaterThanOrEqual(55);
      expect(r.filtered.result).toBe("timeout");
      expect(r.empty.result).toBe("timeout");
      if (!hik.filtered) expect(r.sadp).toContain("<Uuid>N-1</Uuid>");
    } finally {
      child.kill("SIGINT");
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      rmSync(dir, { recursive: true, force: true });
      expect(code, stderr).toBe(0);
    }
    expect(ours(prefix)).toEqual([]);
    expect(existsSync(names.lock)).toBe(false);
  }, 90_000);

  it("refuses without root, before touching anything", () => {
    const r = spawnSync(
      process.execPath,
      [packagePath("bin/camsweep.js"), "lab", "--netns", "--netns-prefix", "cswu"],
      { uid: 65534, gid: 65534, encoding: "utf8", env: { PATH: process.env["PATH"] ?? "" }, cwd: "/tmp" },
    );
    if (/EACCES/.test(r.stderr)) return void console.log("skipped: checkout not readable by uid 65534");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/needs root/);
    expect(ours("cswu")).toEqual([]);
  });
});
