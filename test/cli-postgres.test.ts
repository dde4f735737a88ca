import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labPortSpec } from "../src/cli/lab-scan.js";
import { freshSchema, postgresSkipped } from "../src/inventory/__fixtures__/backends.js";
import { openInventory } from "../src/inventory/index.js";
import { startLab, type RunningLab } from "../src/lab/index.js";
import { jsonLines, runCli } from "./cli.js";

// This file owns 127.76.40.0/24. The CLI's inventory is a PostgreSQL schema of its own, given as DATABASE_URL.
describe.skipIf(postgresSkipped)("the CLI with DATABASE_URL (PostgreSQL inventory)", () => {
  const dir = mkdtempSync(join(tmpdir(), "camsweep-cli-pg-"));
  let lab: RunningLab | undefined;
  let schema: Awaited<ReturnType<typeof freshSchema>> | undefined;
  let url = "";
  beforeAll(async () => {
    schema = await freshSchema();
    // A password the server never asks for (it trusts loopback), to show it is never printed.
    const u = new URL(schema.url);
    u.password = "Hunter2-NotShown";
    url = u.toString();
    lab = await startLab({ range: "127.76.40.0/24", personas: ["hikvision-ipc-current"] });
  });
  afterAll(async () => {
    try {
      await lab?.stop();
    } finally {
      await schema?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const cli = (args: string[]) => runCli(args, { env: { DATABASE_URL: url } });
  const dataDir = () => join(dir, "data"); // must stay unused: the inventory is on the server

  it("lists an empty inventory from an empty schema, creating its tables", async () => {
    const r = await cli(["devices", "--json", "--data-dir", dataDir()]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
  });

  it("records a scanned lab device into PostgreSQL, where `devices` finds it", async () => {
    const device = lab!.devices[0]!;
    const scan = await cli([
      "scan",
      device.address,
      "-p",
      labPortSpec(lab!),
      "-T5",
      "--no-progress",
      "--data-dir",
      dataDir(),
    ]);
    expect(scan.code).toBe(0);
    const listed = jsonLines<{ address: string; manufacturer: string | null; restricted: boolean }>(
      (await cli(["devices", "--json", "--data-dir", dataDir()])).stdout,
    );
    expect(listed.map((d) => [d.address, d.manufacturer, d.restricted])).toEqual([
      [device.address, "hikvision", true],
    ]);
    const scans = jsonLines<{ status: string; devices: number }>((await cli(["scans", "--json"])).stdout);
    expect(scans).toMatchObject([{ status: "done", devices: 1 }]);
    expect(existsSync(dataDir())).toBe(false);
  }, 120_000);

  it("refuses a second writer while one holds the schema, naming the server without the password", async () => {
    const holder = await openInventory("", { databaseUrl: url });
    try {
      const r = await cli([
        "scan",
        lab!.devices[0]!.address,
        "-p",
        labPortSpec(lab!),
        "-T5",
        "--no-progress",
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `the inventory in PostgreSQL postgres://postgres:\\*\\*\\*@.* \\(schema ${schema!.name}\\) is in use ` +
            `by another camsweep process \\(pid ${process.pid} on `,
        ),
      );
      expect(r.stdout + r.stderr).not.toContain("Hunter2");
    } finally {
      await holder.close();
    }
  });
});
