import { expect, it } from "vitest";
import { GONE_STATES } from "../remediation/states.js";
import { complianceTotals } from "../report/compliance.js";
import { describeBackends } from "./__fixtures__/backends.js";
import { clearanceOf, siteClearance } from "./clearance.js";
import type { OpenInventory } from "./index.js";

/**
 * The overview's one pass (complianceCounts: per site and per manufacturer through grouping sets) against the same
 * counts computed here, device by device, from the raw rows: every verdict, workflow state and exception case, on
 * devices in sites and on none, for every organization and for one.
 */

const TODAY = "2026-11-22";
const STATES = ["identified", "scheduled", "removed", "sanitized", "closed", "reopened", null] as const;
const STATUSES = ["prohibited", "advisory", "allowed", "unowned", null] as const;
const MAKERS = ["hikvision", "dahua", "axis", null] as const;
const SITES = ["n-1", "n-2", "s-1", null] as const;

/** A deterministic spread of each device's properties, independent of one another (unlike i mod n for each). */
function pick<T>(list: readonly T[], i: number, salt: number): T {
  let h = Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca6b); // murmur3's finalizer mixes the bits
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return list[((h ^ (h >>> 16)) >>> 0) % list.length]!;
}

async function seed(inv: OpenInventory): Promise<void> {
  for (const [org, sites] of [
    ["north", ["n-1", "n-2", "n-3"]],
    ["south", ["s-1"]],
  ] as const) {
    await inv.store.addOrganization({ id: org, name: `Org ${org}`, type: "municipal", jurisdiction: "CA" });
    for (const id of sites) await inv.store.addSite({ id, organizationId: org, name: `Site ${id}` });
  }
  await inv.db.query(
    `INSERT INTO assessments (id, started_at, finished_at, status, packs, knowledge, day, device_count)
     VALUES ('run', now(), now(), 'done', '[]', '{}', $1, 0)`,
    [TODAY],
  );
  for (let i = 0; i < 140; i++) {
    const id = `dev-${i}`;
    const site = pick(SITES, i, 1);
    await inv.db.query(
      `INSERT INTO devices (id, address, manufacturer, identification, first_seen, last_seen, site_id)
       VALUES ($1, $2, $3, '{}', '2026-01-01T00:00:00Z', $4, $5)`,
      [
        id,
        `10.9.${i >> 8}.${i & 255}`,
        pick(MAKERS, i, 2),
        i % 9 === 0 ? "2026-11-01T00:00:00Z" : "2026-06-01T00:00:00Z",
        site,
      ],
    );
    const status = pick(STATUSES, i, 3);
    if (status)
      await inv.db.query(
        `INSERT INTO device_assessments (device_id, assessment_id, site_id, status, risk, risk_level, kev, findings,
           assessed_at)
         VALUES ($1, 'run', $2, $3, 50, 'medium', $4, '{}', '2026-07-01T00:00:00Z')`,
        // Every eleventh verdict was made at another site: stale.
        [id, i % 11 === 0 ? "s-1" : site, status, i % 4 === 0 ? 2 : 0],
      );
    const state = pick(STATES, i, 4);
    if (state)
      await inv.db.query(
        `INSERT INTO remediation (device_id, state, storage, removed_at, updated_at) VALUES ($1, $2, 'unknown', $3, now())`,
        [
          id,
          state,
          ["removed", "sanitized", "closed", "reopened"].includes(state)
            ? `2026-0${1 + (i % 9)}-15T10:00:00Z`
            : null,
        ],
      );
    // Exceptions: approved and current, approved and past, expired, requested; some devices have two.
    const kinds = [
      ["approved", "2026-12-31"],
      ["approved", "2026-10-01"],
      ["expired", "2026-09-01"],
      ["requested", "2027-01-01"],
    ] as const;
    for (const [k, [state, until]] of kinds.entries())
      if (pick([true, false, false], i, 5 + k))
        await inv.db.query(
          `INSERT INTO exceptions (device_id, state, justification, expires_on, requested_by, requested_at)
           VALUES ($1, $2, 'test', $3, 'ada', now())`,
          [id, state, until],
        );
  }
  await inv.store.analyze();
}

interface Raw {
  id: string;
  site_id: string | null;
  organization_id: string | null;
  manufacturer: string | null;
  last_seen: Date | string;
  status: string | null;
  a_site: string | null;
  assessed_at: Date | string | null;
  kev: number | null;
  state: string | null;
  removed_at: Date | string | null;
  exceptions: { state: string; until: string }[] | null;
}

/** The counts from the raw rows, device by device, as SiteCompliance and ManufacturerCount describe them. */
function expected(rows: Raw[], org: string | null) {
  const ms = (v: Date | string | null) => (v === null ? null : new Date(v).getTime());
  const sites = new Map<string | null, { n: Record<string, number>; lastRemoval: number | null }>();
  const makers = new Map<string | null, { devices: number; prohibited: number }>();
  for (const d of rows) {
    if (org !== null && d.organization_id !== org) continue;
    const gone = (GONE_STATES as readonly string[]).includes(d.state ?? "");
    const ex = d.exceptions ?? [];
    const excepted = ex.some((e) => e.state === "approved" && e.until >= TODAY);
    const lapsed = ex.some((e) => e.state === "expired" || (e.state === "approved" && e.until < TODAY));
    const s = sites.get(d.site_id) ?? { n: {}, lastRemoval: null };
    const inc = (k: string, yes = true) => void (s.n[k] = (s.n[k] ?? 0) + (yes ? 1 : 0));
    inc("devices");
    const judged = d.status !== null && !gone;
    inc("prohibited", judged && d.status === "prohibited" && !excepted);
    for (const st of ["advisory", "allowed", "unowned"]) inc(st, judged && d.status === st);
    inc("excepted", judged && d.status === "prohibited" && excepted);
    inc("lapsed", judged && d.status === "prohibited" && !excepted && lapsed);
    inc("removed", gone);
    inc("reopened", d.state === "reopened");
    inc("unassessed", d.status === null);
    inc("stale", judged && ((ms(d.assessed_at) ?? 0) < (ms(d.last_seen) ?? 0) || d.a_site !== d.site_id));
    inc("kev", judged && (d.kev ?? 0) > 0);
    if (gone && d.removed_at) s.lastRemoval = Math.max(s.lastRemoval ?? 0, ms(d.removed_at)!);
    sites.set(d.site_id, s);
    if (!gone) {
      const m = makers.get(d.manufacturer) ?? { devices: 0, prohibited: 0 };
      m.devices++;
      if (d.status === "prohibited") m.prohibited++;
      makers.set(d.manufacturer, m);
    }
  }
  return { sites, makers };
}

describeBackends("the overview's counts in one pass", (inv) => {
  it("seeds devices with every verdict, workflow state and exception case", async () => {
    await seed(inv());
  });

  for (const org of [null, "north", "south"])
    it(`counts per site and per manufacturer as the devices say (${org ?? "every organization"})`, async () => {
      const { rows } = await inv().db.query<Raw>(
        `SELECT d.id, d.site_id, s.organization_id, d.manufacturer, d.last_seen, a.status, a.site_id AS a_site,
                a.assessed_at, a.kev, r.state, r.removed_at,
                (SELECT json_agg(json_build_object('state', e.state, 'until', e.expires_on)) FROM exceptions e
                  WHERE e.device_id = d.id) AS exceptions
           FROM devices d LEFT JOIN sites s ON s.id = d.site_id LEFT JOIN device_assessments a ON a.device_id = d.id
           LEFT JOIN remediation r ON r.device_id = d.id`,
      );
      const want = expected(rows, org);
      const got = await inv().store.complianceCounts(org, TODAY);

      const siteIds = got.sites.map((s) => s.siteId);
      const allSites =
        org === null ? ["n-1", "n-2", "n-3", "s-1", null] : org === "north" ? ["n-1", "n-2", "n-3"] : ["s-1"];
      expect(siteIds).toEqual(allSites);
      for (const s of got.sites) {
        const w = want.sites.get(s.siteId);
        const n = (k: string) => w?.n[k] ?? 0;
        const flat = complianceTotals([s]); // the counts as one flat record, as the report sums them
        expect({ site: s.siteId, ...flat }).toEqual({
          site: s.siteId,
          ...Object.fromEntries(Object.keys(flat).map((k) => [k, n(k)])),
        });
        expect(s.lastRemoval && new Date(s.lastRemoval).getTime()).toEqual(w?.lastRemoval ?? null);
      }
      // An empty site shows zeros; the counts compare something in every column that has a case.
      if (org !== "south") expect(got.sites.find((s) => s.siteId === "n-3")?.devices).toBe(0);
      expect(got.manufacturers.map((m) => [m.manufacturer, m.devices, m.prohibited]).sort()).toEqual(
        [...want.makers].map(([k, v]) => [k, v.devices, v.prohibited]).sort(),
      );
      expect(got.manufacturers.map((m) => m.devices)).toEqual(
        [...got.manufacturers.map((m) => m.devices)].sort((a, b) => b - a),
      );
    });

  it("has a case of every count, so the comparison above compares something", async () => {
    const { sites } = await inv().store.complianceCounts(null, TODAY);
    for (const k of ["excepted", "lapsed", "removed", "reopened", "unassessed", "stale", "kev"] as const)
      expect(
        sites.some((s) => s[k] > 0),
        k,
      ).toBe(true);
    expect(sites.some((s) => s.counts.advisory > 0 && s.counts.unowned > 0)).toBe(true);
  });

  it("gives site clearance from the counts exactly as from the sites alone", async () => {
    const { sites } = await inv().store.complianceCounts(null, TODAY);
    const placed = sites.flatMap((s) => (s.siteId ? [s] : []));
    // A whole sweep of n-1 after its removals: the one-statement form must find it as the per-site one does.
    await inv().db.query(
      `INSERT INTO scans (id, kind, started_at, finished_at, status, args) VALUES ('sweep', 'scan', now(), now(), 'done', '{}')`,
    );
    await inv().db.query(
      `INSERT INTO scan_hosts (scan_id, address)
       SELECT 'sweep', d.address FROM devices d WHERE d.site_id = 'n-1'`,
    );
    const fromCounts = await clearanceOf(
      inv().db,
      placed.map((s) => ({ siteId: s.siteId!, lastRemoval: s.lastRemoval, reopened: s.reopened })),
    );
    const alone = await siteClearance(
      inv().db,
      placed.map((s) => s.siteId!),
    );
    expect(fromCounts).toEqual(alone);
    expect(fromCounts.some((c) => c.lastSweep !== null)).toBe(true);
  });
});
