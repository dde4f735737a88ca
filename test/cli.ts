import { spawn } from "node:child_process";
import { packagePath } from "../src/shared/paths.js";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real, built CLI (bin/camsweep.js -> dist/) as a child process. Asynchronous on purpose:
 * the lab under test runs in this process and must keep answering while the CLI scans it.
 */
export function runCli(
  args: string[],
  opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [packagePath("bin/camsweep.js"), ...args], {
      env: { ...process.env, CAMSWEEP_CONFIG: "/nonexistent/camsweep-test-config.yaml", ...opts.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}

export function jsonLines<T = Record<string, unknown>>(s: string): T[] {
  return s
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}
