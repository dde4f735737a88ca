import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packagePath } from "../src/shared/paths.js";
import { runCli } from "./cli.js";

/** The identification commands end to end, through the built CLI. */
describe("camsweep identify and kb accuracy", () => {
  it("reads nmap normal output and explains the verdict", async () => {
    const r = await runCli([
      "identify",
      packagePath("corpus/nmap/raw/nmap.hikvision-nvr-hi3536.nmap"),
      "--explain",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: hikvision, .*RESTRICTED/);
    expect(r.stdout).toMatch(/nmap\.product\.hikvision-sdk-port {2}on nmap\.product \(nmap :8000\)/);
    expect(r.stdout).toMatch(/CA-ICA-2025-HIKVISION: Investment Canada Act/);
  });

  it("shows what could not be read, and refuses --explain with --json", async () => {
    const dir = mkdtempSync(join(tmpdir(), "camsweep-id-"));
    const file = join(dir, "obs.json");
    writeFileSync(
      file,
      JSON.stringify({
        target: "127.0.0.1",
        protocol: "http",
        port: 80,
        request: { method: "GET", path: "/ISAPI/System/deviceInfo" },
        response: { status: 200, headers: [], body: '<!DOCTYPE a [<!ENTITY x "y">]><DeviceInfo/>' },
      }),
    );
    const r = await runCli(["identify", file, "--explain"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "not read:\n    - http :80 GET /ISAPI/System/deviceInfo: XML with a DOCTYPE or ENTITY declaration refused",
    );
    const bad = await runCli(["identify", file, "--explain", "--json"]);
    expect(bad.code).toBe(2);
  });

  it("measures a corpus directory and names a bad corpus file", async () => {
    const r = await runCli(["kb", "accuracy", packagePath("corpus/isapi")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^corpus: \d+ cases\nrestricted recall: +\d+\.\d% \(\d+\/\d+\)/);
    const dir = mkdtempSync(join(tmpdir(), "camsweep-corpus-"));
    writeFileSync(
      join(dir, "bad.yaml"),
      "cases:\n  - id: x\n    source: https://example.org\n    observations: []\n",
    );
    const bad = await runCli(["kb", "accuracy", dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml: case 0 \(x\): observations/);
  });
});

describe("output to a pipe", () => {
  it("is written whole when the reader is slower than the writer (a pipe holds only 64 KiB)", async () => {
    const { spawn } = await import("node:child_process");
    const dir = mkdtempSync(join(tmpdir(), "camsweep-pipe-"));
    const file = join(dir, "obs.json");
    const devices = 2000;
    writeFileSync(
      file,
      JSON.stringify(
        Array.from({ length: devices }, (_, i) => ({
          target: `127.1.${Math.floor(i / 250)}.${i % 250}`,
          protocol: "http",
          port: 80,
          request: { method: "GET", path: "/" },
          response: { status: 200, headers: [["Server", "App-webs/"]], body: "" },
        })),
      ),
    );
    const child = spawn(process.execPath, [packagePath("bin/camsweep.js"), "identify", file, "--json"], {
      env: { ...process.env, CAMSWEEP_CONFIG: "/nonexistent/camsweep-test-config.yaml" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // Read nothing until the writer has surely filled the pipe.
    child.stdout.pause();
    const chunks: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => chunks.push(d));
    await new Promise((r) => setTimeout(r, 1500));
    child.stdout.resume();
    const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const code = await new Promise<number | null>((r) => child.on("close", r));
    clearTimeout(killer);
    expect(code).toBe(0);
    const lines = Buffer.concat(chunks).toString("utf8").trim().split("\n");
    expect(lines).toHaveLength(devices);
    expect(JSON.parse(lines[devices - 1] as string)).toMatchObject({ manufacturer: "hikvision" });
  }, 60_000);
});
