import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labPortSpec } from "../cli/lab-scan.js";
import { openInventory } from "../inventory/index.js";
import { startLab, type RunningLab } from "../lab/index.js";
import { parsePorts } from "../targets/index.js";
import { timing } from "./index.js";
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
  // The lab's devices and three addresses where nothing listens (they refuse every port: no device).
  const empty = ["127.77.220.200", "127.77.220.201", "127.77.220.202"];
  const base = () => ({
    hosts: [...lab.devices.map((d) => ({ address: d.address })), ...empty.map((address) => ({ address }))],
    timing: timing("T5", { hosts: 1 }),
    args: {},
    probe: { ports: parsePorts(labPortSpec(lab)) },
  });
  const inventoryOf = async (dataDir: string) => {
    const inv = await openInventory(dataDir);
    try {
      const devices = await inv.store.listDevices();
      return Promise.all(
        devices.map(async (d) => ({
          address: d.address,
          manufacturer: d.manufacturer,
          model: d.model,
          restricted: d.restricted,
          openPorts: d.openPorts,
          observations: (await inv.store.observationsOf(d.id)).length,
        })),
      );
    } finally {
      await inv.close();
    }
  };

  it("resumes an interrupted scan: finished hosts are not probed again, and the inventory ends as a whole scan's", async () => {
    const whole = join(dir, "whole");
    const full = await runRecordedScan({ ...base(), timing: timing("T5", { hosts: 8 }), dataDir: whole });
    expect(full.status).toBe("done");

    const dataDir = join(dir, "resumed");
    const stop = new AbortController();
    const first: string[] = [];
    const cut = await runRecordedScan({
      ...base(),
      dataDir,
      signal: stop.signal,
      onDevice: (h) => {
        first.push(h.address);
        if (first.length === 2) stop.abort();
      },
    });
    expect(cut.status).toBe("interrupted");
    expect(cut.scanId).toBeDefined();

    const again = await runRecordedScan({
      ...base(),
      timing: timing("T5", { hosts: 8 }),
      dataDir,
      resumeId: cut.scanId,
    });
    expect(again.status).toBe("done");
    expect(again.scanId).toBe(cut.scanId);
    expect(again.skipped).toBeGreaterThanOrEqual(2);
    // Nothing finished before the interruption was probed again.
    expect(again.found.map((h) => h.address).filter((a) => first.includes(a))).toEqual([]);
    expect(await inventoryOf(dataDir)).toEqual(await inventoryOf(whole));

    // The scan now counts as done: there is nothing left to resume.
    const inv = await openInventory(dataDir);
    try {
      expect(await inv.store.resumableScan()).toBeNull();
      expect((await inv.store.doneHosts(cut.scanId!)).size).toBe(base().hosts.length);
    } finally {
      await inv.close();
    }
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
