import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIdentification, buildObservation } from "../../test/factories.js";
import { backends } from "./__fixtures__/backends.js";
import { openInventory, type OpenInventory } from "./index.js";

// The same tests on every backend (PGlite, and PostgreSQL when reachable: see __fixtures__/backends.ts).
for (const backend of backends())
  describe(`inventory store (${backend.name})`, () => {
    let inv: OpenInventory;
    beforeAll(async () => {
      inv = await backend.open();
    });
    afterAll(() => backend.close(inv));

    const host = (address: string, over: Parameters<typeof buildIdentification>[0] = {}) => ({
      address,
      openPorts: [80],
      observations: [buildObservation({ target: address })],
      identification: buildIdentification({ target: address, ...over }),
    });

    it("updates a device seen again at the same address instead of duplicating it", async () => {
      const scan1 = await inv.store.beginScan("scan", {});
      const a = await inv.store.recordHost(scan1, host("127.0.0.10", { manufacturer: "axis" }));
      const scan2 = await inv.store.beginScan("scan", {});
      const b = await inv.store.recordHost(
        scan2,
        host("127.0.0.10", { manufacturer: "axis", model: "M3045-V" }),
      );
      expect(a.created).toBe(true);
      expect(b.created).toBe(false);
      expect(b.deviceId).toBe(a.deviceId);
      const [d] = await inv.store.listDevices({ manufacturer: "axis" });
      expect(d?.model).toBe("M3045-V");
      expect(await inv.store.observationsOf(a.deviceId)).toHaveLength(2);
    });

    it("follows a device that changed address by its MAC", async () => {
      const s = await inv.store.beginScan("scan", {});
      const mac = "44:47:cc:37:ce:81";
      const a = await inv.store.recordHost(s, host("127.0.0.20", { mac, manufacturer: "hikvision" }));
      const b = await inv.store.recordHost(s, host("127.0.0.21", { mac, manufacturer: "hikvision" }));
      expect(b.deviceId).toBe(a.deviceId);
      const d = (await inv.store.listDevices()).find((x) => x.id === a.deviceId);
      expect(d?.address).toBe("127.0.0.21");
    });

    it("keeps a different device at a reused address apart when the MACs differ", async () => {
      const s = await inv.store.beginScan("scan", {});
      const a = await inv.store.recordHost(s, host("127.0.0.30", { mac: "00:40:8c:00:00:01" }));
      const b = await inv.store.recordHost(s, host("127.0.0.30", { mac: "00:40:8c:00:00:02" }));
      expect(b.deviceId).not.toBe(a.deviceId);
    });

    it("matches by serial when there is no MAC", async () => {
      const s = await inv.store.beginScan("scan", {});
      const serial = "DS-2CD2320D-I20180919AACHC52932642";
      const a = await inv.store.recordHost(s, host("127.0.0.40", { serial }));
      const b = await inv.store.recordHost(s, host("127.0.0.41", { serial }));
      expect(b.deviceId).toBe(a.deviceId);
    });

    it("writes nothing of a host whose recording fails half-way", async () => {
      const before = await inv.store.countDevices();
      const s = await inv.store.beginScan("scan", {});
      const bad = host("127.0.0.50");
      bad.observations.push(buildObservation({ target: "127.0.0.50", time: "not a time" }));
      await expect(inv.store.recordHost(s, bad)).rejects.toThrow();
      expect(await inv.store.countDevices()).toBe(before);
    });

    it("filters restricted devices", async () => {
      const s = await inv.store.beginScan("scan", {});
      await inv.store.recordHost(
        s,
        host("127.0.0.60", { manufacturer: "dahua", restricted: true, policies: ["US-NDAA-FY2019-S889"] }),
      );
      const r = await inv.store.listDevices({ restricted: true });
      expect(r.map((d) => d.address)).toContain("127.0.0.60");
      expect(r.every((d) => d.restricted)).toBe(true);
    });

    it("keeps a scan's coverage with it and lists it", async () => {
      const id = await inv.store.beginScan("scan", {});
      const before = (await inv.store.listScans()).find((s) => s.id === id);
      expect(before?.coverage).toBeUndefined();
      const coverage = [{ cidr: "10.83.0.0/24", coverage: "local", interface: "br0" }];
      await inv.store.setScanCoverage(id, coverage);
      expect((await inv.store.listScans()).find((s) => s.id === id)?.coverage).toEqual(coverage);
    });

    it("reads back what it wrote in the same shapes (numbers, times, JSON)", async () => {
      const s = await inv.store.beginScan("scan", { ports: [80, 554] });
      await inv.store.startScan(s, 3);
      await inv.store.recordHost(s, host("127.0.0.70", { manufacturer: "axis", confidence: 0.75 }));
      await inv.store.markHostsDone(s, ["127.0.0.71", "127.0.0.72"]);
      await inv.store.finishScan(s, "done", 3);
      const summary = (await inv.store.listScans()).find((x) => x.id === s);
      expect(summary).toMatchObject({ kind: "scan", status: "done", targets: 3, done: 3, devices: 1 });
      expect(typeof summary?.done).toBe("number");
      expect(summary?.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const d = (await inv.store.listDevices({ manufacturer: "axis" })).find(
        (x) => x.address === "127.0.0.70",
      );
      expect(d).toMatchObject({ confidence: 0.75, openPorts: [80], policies: [], restricted: false });
      expect(typeof (await inv.store.countDevices())).toBe("number");
      expect((await inv.store.resumableScan(s))?.args).toEqual({ ports: [80, 554] });
    });
  });

describe("inventory store (PGlite data directory)", () => {
  it("refuses a second process on the same data directory", async () => {
    // Same process re-locking is allowed by pid; simulate another live pid holding the lock.
    const other = mkdtempSync(join(tmpdir(), "camsweep-lock-"));
    try {
      writeFileSync(join(other, "camsweep.lock"), String(process.ppid));
      // The lock is taken synchronously, before any database work starts.
      expect(() => openInventory(other, { databaseUrl: null })).toThrow(/in use by another camsweep process/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
