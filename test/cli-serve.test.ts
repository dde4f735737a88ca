import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packagePath } from "../src/shared/paths.js";
import { runCli } from "./cli.js";

/**
 * The first admin made from the CLI, a token printed once, and `camsweep serve` answering it on loopback, then
 * stopping cleanly on SIGTERM.
 */
const data = mkdtempSync(join(tmpdir(), "camsweep-serve-"));
const run = (args: string[], input?: string) => runCli([...args, "--data-dir", data], input ? { input } : {});

describe("camsweep user, token and serve", () => {
  it("makes the first admin from standard input, never from the command line", async () => {
    const weak = await run(["user", "add", "ada", "--role", "admin"], "short\n");
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/password: at least 12 characters/);
    const ok = await run(["user", "add", "ada", "--role", "admin"], "correct horse battery staple\n");
    expect(ok.stdout).toMatch(/^user ada added: admin, every organization/);
    const auditor = await run(["user", "add", "dana", "--role", "auditor"], "correct horse battery staple\n");
    expect(auditor.stderr).toMatch(/an auditor acts for one organization: --org/);
    expect((await run(["user", "list"])).stdout).toMatch(/ada\s+admin\s+\(all\)/);
  });

  it("serves the API to a token and stops on SIGTERM", async () => {
    const made = await run(["token", "create", "--user", "ada", "--name", "test"]);
    expect(made.code).toBe(0);
    const secret = made.stdout.trim();
    expect(secret).toMatch(/^csw_[A-Za-z0-9_-]{43}$/);
    expect(made.stderr).toMatch(/not shown again/);
    const child = spawn(
      process.execPath,
      [packagePath("bin/camsweep.js"), "serve", "--port", "0", "--data-dir", data],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const address = await new Promise<string>((resolve, reject) => {
      let err = "";
      child.stderr.on("data", (d: Buffer) => {
        err += d.toString();
        const m = /serving the web app and API on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
        if (m) resolve(m[1]!);
      });
      child.on("exit", () => reject(new Error(`serve exited: ${err}`)));
    });
    const me = await fetch(`${address}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ name: "ada", role: "admin", organizationId: null, scope: "read" });
    expect(me.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect((await fetch(`${address}/api/v1/me`)).status).toBe(401);
    const code = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    expect(await code).toBe(0);
  });
});
