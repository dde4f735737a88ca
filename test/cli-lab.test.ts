import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { packagePath } from "../src/shared/paths.js";

// This file owns 127.77.250.0/24.
describe("camsweep lab (real CLI)", () => {
  it("prints what it started and stops cleanly on Ctrl-C, freeing its ports", async () => {
    const child = spawn(
      process.execPath,
      [
        packagePath("bin/camsweep.js"),
        "lab",
        "--range",
        "127.77.250.0/24",
        "--personas",
        "axis-camera,dahua-ipc",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`lab did not start: ${stdout}${stderr}`)), 20_000);
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes("127.77.250.2")) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    expect(stdout).toMatch(/2 simulated devices/);
    expect(stdout).toMatch(/127\.77\.250\.1\s+axis-camera/);
    expect(stdout).toMatch(/127\.77\.250\.2\s+dahua-ipc/);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    expect(stderr).toMatch(/stopped/);
    // Nothing left listening: the same address and port bind again.
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: "127.77.250.1", port: 80, exclusive: true }, resolve);
    });
    await new Promise((r) => server.close(r));
  });
});
