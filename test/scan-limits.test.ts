import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { labPortSpec } from "../src/cli/lab-scan.js";
import { startLab, type RunningLab } from "../src/lab/index.js";
import { packagePath } from "../src/shared/paths.js";
import { jsonLines } from "./cli.js";

// This file owns 127.76.5.0/24.
describe("file descriptors", () => {
  let lab: RunningLab;
  beforeAll(async () => {
    lab = await startLab({
      range: "127.76.5.0/24",
      personas: ["hikvision-ipc-current", "dahua-nvr", "axis-camera", "hikvision-nvr"],
      count: 48,
    });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it("a scan asking for far more sockets than the process may open stays within its limit and completes", async () => {
    // 48 devices x 16 connects at once would need ~800 descriptors; the process may open 192.
    const args = [
      packagePath("bin/camsweep.js"),
      "scan",
      ...lab.devices.map((d) => d.address),
      "-p",
      labPortSpec(lab),
      "-T5",
      "--concurrency",
      "2048",
      "--json",
      "--no-store",
      "--no-progress",
    ];
    const child = spawn("prlimit", ["--nofile=192:192", process.execPath, ...args], {
      env: { ...process.env, CAMSWEEP_CONFIG: "/nonexistent/camsweep-test-config.yaml" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.on("close", r));
    // The socket budget kept the scan below the limit: it never even had to wait for a descriptor.
    expect(stderr).not.toMatch(/EMFILE|ENFILE|ran short|too many open files/i);
    expect(code).toBe(0);
    const devices = jsonLines<{ address: string; manufacturer: string | null }>(stdout);
    expect(devices).toHaveLength(lab.devices.length);
    expect(devices.every((d) => d.manufacturer !== null)).toBe(true);
    expect(stdout).not.toMatch(/EMFILE/);
  }, 120_000);
});
