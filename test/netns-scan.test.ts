import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { netnsNames, netnsUnsupported } from "../src/lab/netns.js";
import type { TruthLine } from "../src/lab/truth.js";
import { packagePath } from "../src/shared/paths.js";
import { jsonLines } from "./cli.js";

// This file owns 10.87.0.0/24, inside namespaces the lab creates (prefix cswl<pid>); nothing leaves them.
const why = netnsUnsupported();
if (why) console.log(`namespace scan test skipped: ${why}`);

describe.skipIf(why !== undefined)("a scan over a real, lossy link (root, Linux)", () => {
  it("finds every reachable device and no filtered one through 2% loss each way at 20 ms", async () => {
    const prefix = `cswl${process.pid % 100000}`;
    const dir = mkdtempSync(join(tmpdir(), "camsweep-netns-scan-"));
    const truthFile = join(dir, "truth.jsonl");
    const lab = spawn(
      process.execPath,
      [
        packagePath("bin/camsweep.js"),
        "lab",
        "--netns",
        "--netns-prefix",
        prefix,
        "--range",
        "10.87.0.0/24",
        "--devices",
        "40",
        "--spread",
        "--seed",
        "5",
        "--rtt",
        "20",
        "--loss",
        "2",
        "--filtered",
        "2",
        "--truth",
        truthFile,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let labErr = "";
    let outcome: { truth: TruthLine[]; stdout: string } | undefined;
    lab.stderr.on("data", (d: Buffer) => (labErr += d.toString()));
    try {
      for (let i = 0; i < 300 && !existsSync(truthFile); i++) await new Promise((r) => setTimeout(r, 100));
      expect(existsSync(truthFile), labErr).toBe(true);
      const truth = jsonLines<TruthLine>(readFileSync(truthFile, "utf8"));
      // 10.87.0.0/24 is private space: scan it only from a namespace whose one route is the lab's link.
      const routes = spawnSync("ip", ["-n", netnsNames(prefix).scan, "route", "show"], {
        encoding: "utf8",
      }).stdout;
      expect(routes).not.toMatch(/^default/m);
      expect(routes.split("\n").filter((l) => l && !l.includes(" proto kernel "))).toEqual([
        expect.stringMatching(/^10\.87\.0\.0\/24 dev /),
      ]);
      const scan = spawnSync(
        "ip",
        [
          "netns",
          "exec",
          netnsNames(prefix).scan,
          process.execPath,
          packagePath("bin/camsweep.js"),
          "scan",
          "10.87.0.0/24",
          "--allow",
          "10.87.0.0/24",
          "-T4",
          "--json",
          "--no-store",
          "--no-progress",
        ],
        {
          encoding: "utf8",
          env: { ...process.env, CAMSWEEP_CONFIG: "/nonexistent/camsweep-test-config.yaml" },
        },
      );
      expect(scan.status, scan.stderr).toBe(0);
      outcome = { truth, stdout: scan.stdout };
    } finally {
      lab.kill("SIGINT");
      await new Promise((r) => lab.on("close", r));
      rmSync(dir, { recursive: true, force: true });
    }
    const left = spawnSync("ip", ["netns", "list"], { encoding: "utf8" }).stdout;
    expect(left).not.toContain(prefix);
    // Judged after the lab has stopped, so a miss comes with what the link did (lost, late packets).
    expect(outcome, labErr).toBeDefined();
    const { truth, stdout } = outcome!;
    const found = new Map(
      jsonLines<{ address: string; restricted: boolean }>(stdout).map((d) => [d.address, d]),
    );
    const reachable = truth.filter((t) => !t.filtered);
    expect(
      reachable.filter((t) => !found.has(t.address)).map((t) => t.persona),
      labErr,
    ).toEqual([]);
    expect(truth.filter((t) => t.filtered && found.has(t.address))).toEqual([]);
    const restricted = reachable.filter((t) => t.expect.restricted);
    expect(restricted.length).toBeGreaterThan(0);
    expect(restricted.filter((t) => !found.get(t.address)?.restricted).map((t) => t.persona)).toEqual([]);
  }, 90_000);
});
