import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, tcpServer } from "../src/probes/__fixtures__/servers.js";
import { startLab, type RunningLab } from "../src/lab/index.js";
import { labPortSpec } from "../src/cli/lab-scan.js";
import { packagePath } from "../src/shared/paths.js";
import { jsonLines, runCli } from "./cli.js";

// This file owns 127.76.1.0/24 (scope and dry-run), 127.76.2.0/24 (resume) and 127.76.8.0/24 (credentials).
const dir = mkdtempSync(join(tmpdir(), "camsweep-cli-scan-"));
let watch: Running;
beforeAll(async () => {
  // A listener on a target: any packet the CLI sent would show as a connection here.
  watch = await tcpServer("127.76.1.10", () => {});
});
afterAll(async () => {
  await watch.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("scan --dry-run and scope files", () => {
  it("--dry-run prints targets, timing and packet counts and sends nothing", async () => {
    const r = await runCli([
      "scan",
      "127.76.1.0/24",
      "--exclude",
      "127.76.1.128/25",
      "-p",
      `80,${watch.port}/http`,
      "-T4",
      "--dry-run",
      "--no-store",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("nothing was sent");
    expect(r.stdout).toContain("Targets: 127 hosts in 1 range");
    expect(r.stdout).toContain("  127.76.1.1-127.76.1.127");
    expect(r.stdout).toMatch(/Timing: T4: 4,096 addresses asked at once, 512 hosts probed at once/);
    expect(r.stdout).toContain("finding hosts: 254 TCP connection attempts");
    // 127 hosts x 2 ports x (1 try + 3 more for a host that answered)
    expect(r.stdout).toContain("1 retry for silent ports (3 on a host that answered)");
    expect(r.stdout).toContain("each host found: 0 more; 1,016 attempts at most in all, with retries");
    expect(watch.connections).toBe(0);
  });

  it("a scope file's allow bounds the scan and its deny list is skipped", async () => {
    const scope = join(dir, "scope.yaml");
    writeFileSync(scope, "allow: [127.76.1.0/28]\ndeny: [127.76.1.5, 127.76.1.8-127.76.1.9]\n");
    const ok = await runCli(["scan", "127.76.1.0/28", "--scope", scope, "--dry-run", "--no-store"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("Targets: 11 hosts in 3 ranges");
    expect(ok.stdout).toContain(
      "  127.76.1.1-127.76.1.4\n  127.76.1.6-127.76.1.7\n  127.76.1.10-127.76.1.14\n",
    );

    // Outside the scope file: refused before any packet, naming the file.
    const out = await runCli([
      "scan",
      "127.76.1.10",
      "127.76.1.99",
      "--scope",
      scope,
      "-p",
      String(watch.port),
    ]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/127\.76\.1\.99 is outside the allowed scope/);
    expect(watch.connections).toBe(0);
  });

  it("a bad scope file is named with its field", async () => {
    const bad = join(dir, "bad-scope.yaml");
    writeFileSync(bad, "allow: [127.76.1.0/24]\ndeny: [127.76.1.300]\n");
    const r = await runCli(["scan", "127.76.1.1", "--scope", bad, "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: deny[0]`);
    const empty = join(dir, "empty-scope.yaml");
    writeFileSync(empty, "deny: [127.76.1.1]\n");
    const e = await runCli(["scan", "127.76.1.1", "--scope", empty, "--dry-run"]);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain(`${empty}: allow`);
  });

  it("refuses an unknown timing profile before anything else", async () => {
    const r = await runCli(["scan", "127.76.1.1", "-T9", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown timing profile "T9"/);
  });
});

describe("scan --resume", () => {
  let lab: RunningLab;
  beforeAll(async () => {
    lab = await startLab({
      range: "127.76.2.0/24",
      personas: ["hikvision-ipc-current", "dahua-ipc", "axis-camera", "printer", "hikvision-nvr", "router"],
    });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const devices = async (dataDir: string) =>
    jsonLines<{ address: string; manufacturer: string | null; model: string | null }>(
      (await runCli(["devices", "--json", "--data-dir", dataDir])).stdout,
    )
      .map((d) => `${d.address} ${d.manufacturer} ${d.model}`)
      .sort();

  it("continues a scan stopped by SIGINT and ends with the same inventory as one whole scan", async () => {
    const targets = [...lab.devices.map((d) => d.address), "127.76.2.100", "127.76.2.101"];
    const common = ["-p", labPortSpec(lab), "-T5", "--concurrency", "1", "--no-progress"];
    const whole = join(dir, "whole");
    expect((await runCli(["scan", ...targets, ...common, "--data-dir", whole])).code).toBe(0);

    const cut = join(dir, "cut");
    const saved = join(dir, "cut.jsonl");
    const child = spawn(
      process.execPath,
      [
        packagePath("bin/camsweep.js"),
        "scan",
        ...targets,
        ...common,
        "--data-dir",
        cut,
        "--save-observations",
        saved,
      ],
      {
        env: { ...process.env, CAMSWEEP_CONFIG: "/nonexistent/camsweep-test-config.yaml" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    // Interrupt once the first device is on disk.
    const partial = `${saved}.partial`;
    for (let i = 0; i < 600 && !(existsSync(partial) && statSync(partial).size > 0); i++)
      await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("close", r));
    expect(code).toBe(130);
    const id = /camsweep scan --resume (\S+)/.exec(stderr)?.[1];
    expect(id).toBeDefined();

    // The inventory shows how far the interrupted scan got.
    const before = jsonLines<{ id: string; status: string; done: number; targets: number }>(
      (await runCli(["scans", "--json", "--data-dir", cut])).stdout,
    );
    expect(before[0]).toMatchObject({ id, status: "interrupted", targets: targets.length });
    expect(before[0]!.done).toBeLessThan(targets.length);

    const resumed = await runCli(["scan", "--resume", "--no-progress", "--json", "--data-dir", cut]);
    expect(resumed.stderr).toContain(`resuming scan ${id}`);
    expect(resumed.stderr).toMatch(/\d+ hosts were finished by the interrupted run and not probed again/);
    expect(resumed.code).toBe(0);
    expect(await devices(cut)).toEqual(await devices(whole));
    expect((await devices(whole)).length).toBe(lab.devices.length);

    const after = await runCli(["scans", "--data-dir", cut]);
    expect(after.stdout).toMatch(
      new RegExp(
        `${id}\\s+scan\\s+\\S+ \\S+\\s+done\\s+${targets.length}/${targets.length}\\s+${lab.devices.length}`,
      ),
    );

    const nothing = await runCli(["scan", "--resume", "--data-dir", cut]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("no interrupted scan to resume");
  }, 120_000);
});

describe("scan with authorized credentials", () => {
  let lab: RunningLab;
  beforeAll(async () => {
    lab = await startLab({ range: "127.76.8.0/24", personas: ["hikvision-nvr", "hikvision-ipc-current"] });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it("reads deviceInfo and an NVR's channel list with a credential from the environment, never printing it", async () => {
    const saved = join(dir, "auth.jsonl");
    const password = lab.devices[0]!.persona.vars["password"]!;
    const r = await runCli(
      [
        "scan",
        ...lab.devices.map((d) => d.address),
        "-p",
        labPortSpec(lab),
        "-T5",
        "--json",
        "--no-store",
        "--save-observations",
        saved,
      ],
      { env: { CAMSWEEP_USERNAME: "admin", CAMSWEEP_PASSWORD: password } },
    );
    expect(r.code).toBe(0);
    const obs = readFileSync(saved, "utf8");
    expect(obs).not.toContain(password);
    expect(r.stdout + r.stderr).not.toContain(password);
    const lines = jsonLines<{
      target: string;
      request?: { path?: string; auth?: string; via?: string };
      response?: { status?: number };
    }>(obs);
    const nvr = lab.devices.find((d) => d.persona.id === "hikvision-nvr")!.address;
    const authed = lines.filter((o) => o.request?.auth === "digest");
    expect(authed.filter((o) => o.target === nvr).map((o) => o.request?.path)).toEqual([
      "/ISAPI/System/deviceInfo",
      "/ISAPI/ContentMgmt/InputProxy/channels",
    ]);
    expect(authed.every((o) => o.response?.status === 200)).toBe(true);
    // The cameras behind the NVR are observations of their own addresses, by way of the NVR.
    expect(lines.filter((o) => o.request?.via === nvr).length).toBeGreaterThan(0);
    // ...and do not change what the NVR itself is.
    const devices = jsonLines<{ address: string; model: string | null }>(r.stdout);
    expect(devices.find((d) => d.address === nvr)?.model).toBe("DS-7608NI-K2");
  }, 60_000);

  it("the dry run says which hosts a credential covers, without the password", async () => {
    const r = await runCli(["scan", "127.76.8.1", "127.76.8.2", "--dry-run", "--no-store"], {
      env: { CAMSWEEP_USERNAME: "admin", CAMSWEEP_PASSWORD: "Not-Shown-123" },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Credentials: 2 hosts covered (Credential(admin from environment))");
    expect(r.stdout).not.toContain("Not-Shown-123");
  });
});
