import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labPortSpec } from "../cli/lab-scan.js";
import { openInventory } from "../inventory/index.js";
import { startLab, type RunningLab } from "../lab/index.js";
import { parsePorts } from "../targets/index.js";
import { runRecordedScan } from "./recorded.js";

// This file owns 127.77.220.0/24.
describe("recorded scan", () => {
  let lab: RunningLab;
  let dir: string;
  beforeAll(async () => {
    lab = await startLab({
      range: "127.77.220.0/24",
      personas: ["axis-camera", "dahua-ipc", "printer", "router", "hikvision-nvr"],
    });
    dir = mkdtempSync(join(tmpdir(), "camsweep-recorded-"));
  });
  afterAll(async () => {
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const base = () => ({
    hosts: lab.devices.map((d) => ({ address: d.address })),
    concurrency: 1,
    args: {},
    probe: { ports: parsePorts(labPortSpec(lab)), connectTimeoutMs: 500, readTimeoutMs: 500 },
  });

  it("keeps exactly the hosts finished before an interruption, each whole", async () => {
    const dataDir = join(dir, "interrupted");
    const stop = new AbortController();
    const recorded: string[] = [];
    const r = await runRecordedScan({
      ...base(),
      dataDir,
      signal: stop.signal,
      onDevice: (h) => {
        recorded.push(h.address);
        if (recorded.length === 2) stop.abort();
      },
    });
    expect(r.status).toBe("interrupted");
    const inv = await openInventory(dataDir);
    try {
      const devices = await inv.store.listDevices();
      expect(devices.map((d) => d.address).sort()).toEqual(recorded.sort());
      for (const d of devices) expect((await inv.store.observationsOf(d.id)).length).toBeGreaterThan(0);
    } finally {
      await inv.close();
    }
  });

  it("refuses to start when the inventory is held by another live process", async () => {
    const dataDir = join(dir, "locked");
    rmSync(dataDir, { recursive: true, force: true });
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, "camsweep.lock"), String(process.ppid));
    await expect(runRecordedScan({ ...base(), dataDir })).rejects.toThrow(
      /in use by another camsweep process/,
    );
  });
});
