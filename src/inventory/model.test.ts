import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIdentification } from "../../test/factories.js";
import type { ImportFormat, ImportItem } from "../imports/record.js";
import { runImport } from "../imports/run.js";
import type { Observation } from "../observations/observation.js";
import { backends } from "./__fixtures__/backends.js";
import { listAudit, verifyAudit } from "./audit.js";
import { type OpenInventory, Store } from "./index.js";

/** Organizations, sites and segments; identity resolution with history and conflicts; import runs. On both backends. */
for (const backend of backends()) {
  describe(`inventory model (${backend.name})`, () => {
    let inv: OpenInventory;
    beforeAll(async () => {
      inv = await backend.open();
      await inv.store.addOrganization({
        id: "dnd",
        name: "National Defence",
        type: "federal-department",
        jurisdiction: "CA",
      });
      await inv.store.addOrganization({
        id: "acme",
        name: "Acme Inc.",
        type: "private",
        jurisdiction: "CA-QC",
      });
      await inv.store.addSite({
        id: "hq",
        organizationId: "dnd",
        name: "Headquarters",
        criticality: "critical",
      });
      await inv.store.addSite({ id: "depot", organizationId: "dnd", name: "Depot" });
      await inv.store.addSite({ id: "plant", organizationId: "acme", name: "Plant" });
      await inv.store.addSegment("hq", "10.1.0.7/16");
      // the same private range at two other sites
      await inv.store.addSegment("depot", "192.168.1.0/24");
      await inv.store.addSegment("plant", "192.168.1.0/24");
    });
    afterAll(() => backend.close(inv));

    const host = (address: string | null, over: Parameters<typeof buildIdentification>[0] = {}) => ({
      address,
      openPorts: [],
      observations: [] as Observation[],
      identification: buildIdentification({ target: address ?? "x", ...over }),
    });
    const deviceAt = async (address: string, site?: string) =>
      (await inv.store.listDevices(site ? { site } : {})).filter((d) => d.address === address);

    it("names the bad field of an organization or site, and refuses unknown owners", async () => {
      await expect(
        inv.store.addOrganization({ id: "x", name: "X", type: "ministry", jurisdiction: "CA" }),
      ).rejects.toThrow(/type/);
      await expect(
        inv.store.addOrganization({ id: "y", name: "Y", type: "agency", jurisdiction: "Canada" }),
      ).rejects.toThrow(/jurisdiction: an ISO 3166 code/);
      await expect(inv.store.addSite({ id: "s", organizationId: "nobody", name: "S" })).rejects.toThrow(
        /organization "nobody" is not in the inventory/,
      );
      await expect(inv.store.addSegment("hq", "10.1.0.0/33")).rejects.toThrow(/not a CIDR/);
      await expect(
        inv.store.addOrganization({ id: "dnd", name: "again", type: "agency", jurisdiction: "CA" }),
      ).rejects.toThrow(/exists already/);
    });

    it("puts a device on the site whose segment holds its address, and only when exactly one does", async () => {
      const scan = await inv.store.beginScan("scan", {});
      await inv.store.recordHost(scan, host("10.1.2.3", { manufacturer: "axis" }));
      expect((await deviceAt("10.1.2.3"))[0]?.siteId).toBe("hq");
      await inv.store.recordHost(scan, host("192.168.1.50", { manufacturer: "axis" }));
      expect((await deviceAt("192.168.1.50"))[0]?.siteId).toBeNull(); // depot or plant: not guessed
      const sites = await inv.store.listSites("dnd");
      expect(sites.find((s) => s.id === "hq")).toMatchObject({
        segments: ["10.1.0.0/16"],
        criticality: "critical",
      });
    });

    it("keeps devices at the same private address on two sites apart", async () => {
      const scan = await inv.store.beginScan("scan", {});
      const a = await inv.store.recordHost(scan, host("192.168.1.10", { manufacturer: "hikvision" }), {
        siteId: "depot",
      });
      const b = await inv.store.recordHost(scan, host("192.168.1.10", { manufacturer: "dahua" }), {
        siteId: "plant",
      });
      expect(a.deviceId).not.toBe(b.deviceId);
      expect((await deviceAt("192.168.1.10", "plant"))[0]?.manufacturer).toBe("dahua");
      expect((await inv.store.listDevices({ organization: "acme" })).map((d) => d.address)).toEqual([
        "192.168.1.10",
      ]);
    });

    it("follows a device that changed address by its MAC, and keeps the change in its history", async () => {
      const scan1 = await inv.store.beginScan("scan", {});
      const a = await inv.store.recordHost(scan1, host("10.1.5.5", { mac: "44:47:cc:00:00:01" }));
      const scan2 = await inv.store.beginScan("scan", {});
      const b = await inv.store.recordHost(scan2, host("10.1.9.9", { mac: "44:47:cc:00:00:01" }));
      expect(b).toMatchObject({ deviceId: a.deviceId, created: false });
      const moves = (await inv.store.historyOf(a.deviceId)).filter((h) => h.field === "address");
      // the first address is the device's row; history holds the change
      expect(moves.map((h) => [h.previous, h.value, h.scanId])).toEqual([["10.1.5.5", "10.1.9.9", scan2]]);
    });

    it("lists the devices a page at a time, in the same order as the whole list", async () => {
      const whole = (await inv.store.listDevices()).map((d) => d.id);
      const pages: string[][] = [];
      const next = await inv.store.eachDevicePage(
        {},
        (page) => void pages.push(page.map((d) => d.record.id)),
        {
          pageSize: 2,
        },
      );
      expect(next).toBeNull();
      expect(pages.flat()).toEqual(whole);
      expect(pages.length).toBe(Math.ceil(whole.length / 2));
      expect(whole.length).toBeGreaterThan(2);
    });

    it("pages with a limit and the cursor it returns, and the pages join up to the whole list", async () => {
      const whole = (await inv.store.listDevices()).map((d) => d.id);
      const seen: string[] = [];
      let after: string | null | undefined;
      let pages = 0;
      do {
        after = await inv.store.eachDevicePage({}, (p) => void seen.push(...p.map((d) => d.record.id)), {
          limit: 3,
          pageSize: 2,
          ...(after ? { after } : {}),
        });
        pages++;
      } while (after && pages < 100);
      expect(seen).toEqual(whole);
      expect(pages).toBe(Math.ceil(whole.length / 3) + (whole.length % 3 === 0 ? 1 : 0));
      await expect(inv.store.listDevices({}, { after: "not-a-cursor" })).rejects.toThrow(
        /not a device-list cursor/,
      );
    });

    it("orders restricted devices first, then by manufacturer, then IPv4 addresses numerically", async () => {
      const scan = await inv.store.beginScan("scan", {});
      // As text, 10.1.0.10 < 10.1.0.100 < 10.1.0.9; as addresses, 9 < 10 < 100.
      for (const a of ["10.1.0.10", "10.1.0.100", "10.1.0.9"])
        await inv.store.recordHost(scan, host(a, { manufacturer: "axis" }));
      const list = await inv.store.listDevices();
      const mine = list.filter((d) => d.address?.startsWith("10.1.0.")).map((d) => d.address);
      expect(mine).toEqual(["10.1.0.9", "10.1.0.10", "10.1.0.100"]);
      const firstFree = list.findIndex((d) => !d.restricted);
      expect(list.slice(firstFree).some((d) => d.restricted)).toBe(false);
      const axis = list.filter((d) => d.manufacturer === "axis" && d.address?.startsWith("10.1."));
      const octets = (a: string) => a.split(".").map(Number);
      const sorted = [...axis].sort((x, y) => {
        const [a, b] = [octets(x.address!), octets(y.address!)];
        return a.reduce((c, v, i) => c || v - b[i]!, 0);
      });
      expect(axis.map((d) => d.address)).toEqual(sorted.map((d) => d.address));
    });

    it("keeps a disagreeing MAC as a conflict instead of overwriting the device's", async () => {
      const scan = await inv.store.beginScan("scan", {});
      const a = await inv.store.recordHost(
        scan,
        host("10.1.6.6", { serial: "DS-2CD2385G1-I20190805AAWRD71839274", mac: "58:50:ed:00:00:01" }),
      );
      const b = await inv.store.recordHost(
        scan,
        host("10.1.6.7", { serial: "DS-2CD2385G1-I20190805AAWRD71839274", mac: "58:50:ed:00:00:02" }),
      );
      expect(b.deviceId).toBe(a.deviceId);
      expect(b.conflicts).toEqual([
        { field: "mac", held: "58:50:ed:00:00:01", offered: "58:50:ed:00:00:02" },
      ]);
      expect((await inv.store.listDevices()).find((d) => d.id === a.deviceId)?.mac).toBe("58:50:ed:00:00:01");
      expect((await inv.store.conflictsOf([a.deviceId])).get(a.deviceId)).toMatchObject([
        { field: "mac", offered: "58:50:ed:00:00:02" },
      ]);
    });
  });

  /** A line format for the runner's tests: "ADDRESS MAC" per line; "bad" lines are row errors. */
  const lines: ImportFormat = {
    id: "test-lines",
    description: "test",
    async *read(file, o): AsyncIterable<ImportItem> {
      let line = 0;
      for await (const text of createInterface({ input: createReadStream(file) })) {
        line++;
        if (o?.signal?.aborted) return;
        const [address, mac] = text.split(" ");
        if (text === "bad" || !address) {
          yield { error: { line, field: "address", message: `"${text}" is no address` } };
          continue;
        }
        const obs: Observation = {
          target: address,
          protocol: "dhcp",
          ...(mac ? { mac } : {}),
          request: { line },
          time: "2026-11-22T00:00:00.000Z",
        };
        yield { record: { line, address, ...(mac ? { mac } : {}), observations: [obs] } };
      }
    },
  };

  describe(`import runs (${backend.name})`, () => {
    let dir: string;
    let inv: OpenInventory;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "camsweep-import-"));
      inv = await backend.open();
      await inv.store.addOrganization({ id: "org", name: "Org", type: "agency", jurisdiction: "CA" });
      await inv.store.addSite({ id: "s1", organizationId: "org", name: "Site 1" });
    });
    afterAll(async () => {
      await backend.close(inv);
      rmSync(dir, { recursive: true, force: true });
    });
    const file = (name: string, rows: string[]) => {
      const f = join(dir, name);
      writeFileSync(f, rows.join("\n") + "\n");
      return f;
    };
    const identify = () => buildIdentification({});
    const count = async () => (await inv.store.listDevices({ site: "s1" })).length;

    it("skips bad rows by default, rejects the whole file with --strict, and imports a file only once", async () => {
      const f = file("a.txt", ["10.9.0.1 00:11:22:33:44:01", "bad", "10.9.0.2"]);
      const errors: number[] = [];
      const strict = await runImport({
        format: lines,
        file: f,
        store: inv.store,
        identify,
        siteId: "s1",
        strict: true,
        onError: (e) => errors.push(e.line),
      });
      expect(strict).toMatchObject({ status: "rejected", errors: 1 });
      expect(errors).toEqual([2]);
      expect(await count()).toBe(0);
      const r = await runImport({ format: lines, file: f, store: inv.store, identify, siteId: "s1" });
      expect(r).toMatchObject({ status: "done", records: 2, errors: 1, created: 2, rows: 3 });
      const again = await runImport({ format: lines, file: f, store: inv.store, identify, siteId: "s1" });
      expect(again).toMatchObject({ status: "already-imported", id: r.id });
      expect(await count()).toBe(2);
      const d = (await inv.store.listDevices({ site: "s1" })).find((x) => x.address === "10.9.0.1")!;
      expect((await inv.store.sourcesOf([d.id])).get(d.id)).toMatchObject([
        { kind: "import", format: "test-lines", file: "a.txt" },
      ]);
    });

    it("continues an interrupted import after its last whole batch, without duplicates", async () => {
      const rows = Array.from(
        { length: 50 },
        (_, i) => `10.8.0.${i + 1} 00:11:22:33:55:${(i + 16).toString(16)}`,
      );
      const f = file("b.txt", rows);
      const abort = new AbortController();
      const first = await runImport({
        format: lines,
        file: f,
        store: inv.store,
        identify,
        siteId: "s1",
        batchSize: 10,
        signal: abort.signal,
        onProgress: (done) => done >= 20 && abort.abort(),
      });
      expect(first.status).toBe("interrupted");
      const mid = (await inv.store.listDevices({ site: "s1" })).filter((d) =>
        d.address?.startsWith("10.8."),
      ).length;
      expect(mid).toBe(20); // two whole batches, nothing of the third
      const second = await runImport({
        format: lines,
        file: f,
        store: inv.store,
        identify,
        siteId: "s1",
        batchSize: 10,
      });
      expect(second).toMatchObject({ status: "done", id: first.id, resumedAfter: 20, created: 30 });
      const all = (await inv.store.listDevices({ site: "s1" })).filter((d) => d.address?.startsWith("10.8."));
      expect(all).toHaveLength(50);
    });

    it("audits every change in one chain that verifies: owners, runs, devices and their batches", async () => {
      const entries = await listAudit(inv.db, 1000);
      const kinds = new Set(entries.map((e) => `${e.entity}:${e.action}`));
      for (const k of [
        "organization:create",
        "site:create",
        "import:start",
        "import:finish",
        "import:resume",
        "device:update",
      ])
        expect(kinds, k).toContain(k);
      // a batch is one entry naming the devices it created
      const batch = entries.find((e) => e.entity === "device" && e.entityId === null);
      expect((batch?.data as { created: string[] }).created.length).toBeGreaterThan(0);
      expect(await verifyAudit(inv.db)).toMatchObject({ ok: true });
    });

    it("writes the store's actor and reason into every entry it appends: runs, devices, batches, owners", async () => {
      const store = new Store(inv.db, { actor: "auditor-7", reason: "CHG-42" });
      const before = (await listAudit(inv.db, 1))[0]!.seq;
      await store.addSite({ id: "annex", organizationId: "org", name: "Annex" });
      const host = (address: string, serial: string) => ({
        address,
        openPorts: [],
        observations: [] as Observation[],
        identification: buildIdentification({ target: address, serial }),
      });
      const scan = await store.beginScan("scan", {});
      await store.recordHost(scan, host("10.1.9.9", "WHO-1"));
      await store.recordBatch(scan, [host("10.1.9.10", "WHO-2")], 1);
      await store.finishScan(scan, "done", 2);
      const mine = (await listAudit(inv.db, 50)).filter((e) => e.seq > before);
      expect(mine.map((e) => `${e.entity}:${e.action}`).sort()).toEqual(
        ["site:create", "scan:start", "device:create", "device:update", "scan:finish"].sort(),
      );
      for (const e of mine) expect([e.actor, e.reason]).toEqual(["auditor-7", "CHG-42"]);
      expect(await verifyAudit(inv.db)).toMatchObject({ ok: true });
    });

    it("refuses a site that is not in the inventory, naming the file", async () => {
      const f = file("c.txt", ["10.7.0.1"]);
      await expect(
        runImport({ format: lines, file: f, store: inv.store, identify, siteId: "nope" }),
      ).rejects.toThrow(/c\.txt: site "nope" is not in the inventory/);
    });
  });
}
