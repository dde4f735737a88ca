import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { packagePath } from "../src/shared/paths.js";
import { jsonLines, runCli } from "./cli.js";

/**
 * Issue 6: "an import killed with SIGKILL leaves no partial batch visible and can be re-run without duplicates".
 * A masscan -oL list of 3,000 hosts imported 100 records per transaction, killed with SIGKILL after a few batches,
 * then run again.
 */
const dir = mkdtempSync(join(tmpdir(), "camsweep-import-kill-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HOSTS = 3000;
const BATCH = 100;

describe("an import killed with SIGKILL", () => {
  it("keeps whole batches only, and its re-run continues without duplicates", async () => {
    const file = join(dir, "scan.list");
    const lines = ["#masscan"];
    for (let i = 0; i < HOSTS; i++)
      lines.push(
        `open tcp 80 10.${50 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256} 1607123941`,
      );
    lines.push("# end");
    writeFileSync(file, lines.join("\n") + "\n");
    const inv = join(dir, "inv");
    const args = ["import", "masscan-list", file, "--batch", String(BATCH), "--progress", "--data-dir", inv];

    // Killed as soon as the third batch is committed: the process gets no chance to tidy up.
    const killedAt = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [packagePath("bin/camsweep.js"), ...args]);
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        const done = [...stderr.matchAll(/committed up to line (\d+)/g)];
        if (done.length >= 3 && child.exitCode === null) child.kill("SIGKILL");
      });
      child.on("error", reject);
      child.on("close", (_code, signal) => {
        const last = [...stderr.matchAll(/committed up to line (\d+)/g)].at(-1);
        if (signal !== "SIGKILL") reject(new Error(`not killed (${signal}): ${stderr}`));
        else resolve(Number(last?.[1]));
      });
    });
    expect(killedAt).toBeGreaterThan(0);

    // What the killed run left: whole batches, their progress with them.
    const scans = jsonLines<{ kind: string; status: string; devices: number }>(
      (await runCli(["scans", "--json", "--data-dir", inv])).stdout,
    );
    const run = scans.find((s) => s.kind === "import")!;
    expect(run.status).toBe("running"); // never finished: the next run takes it up
    const partial = jsonLines((await runCli(["devices", "--json", "--data-dir", inv])).stdout);
    expect(partial.length % BATCH).toBe(0);
    expect(partial.length).toBeGreaterThanOrEqual(3 * BATCH);
    expect(partial.length).toBeLessThan(HOSTS);

    const again = await runCli(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/continued after line \d+/);
    const devices = jsonLines<{ address: string }>(
      (await runCli(["devices", "--json", "--data-dir", inv])).stdout,
    );
    expect(devices).toHaveLength(HOSTS);
    expect(new Set(devices.map((d) => d.address)).size).toBe(HOSTS);
    const verify = await runCli(["audit", "verify", "--data-dir", inv]);
    expect(verify.code, verify.stderr).toBe(0);
  }, 240_000);
});
