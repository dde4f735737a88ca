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
