import { expect, it } from "vitest";
import { describeBackends } from "./__fixtures__/backends.js";
import { browseDevices, browseQuery, countDevices } from "./device-browse.js";
import { DEVICE_SORTS, type DeviceFilter, deviceQuery, type DeviceSort } from "./device-list.js";
import type { OpenInventory } from "./index.js";
import { addUser, createToken, principalForToken } from "./users.js";

/**
 * The device list's pages against the plain query it replaces: for every filter and sort, paging through all of a
 * small inventory (browseDevices and the store's eachDevicePage, a few devices a page) gives exactly the rows, in
 * exactly the order, of one unpaged query with the filter written plainly (the list before its faster forms).
 */

/** The list's query as it was before the key ranges and the per-site merge: the reference. */
function reference(f: DeviceFilter, sort: DeviceSort): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (f.restricted !== undefined) where.push(`d.restricted = ${p(f.restricted)}`);
  if (f.manufacturer) where.push(`d.manufacturer = ${p(f.manufacturer.toLowerCase())}`);
  if (f.site) where.push(`d.site_id = ${p(f.site)}`);
  if (f.organization)
    where.push(`d.site_id IN (SELECT id FROM sites WHERE organization_id = ${p(f.organization)})`);
  const text = f.text?.trim();
  if (text) {
    const lit = text.replace(/[\\%_]/g, (c) => `\\${c}`);
    const [starts, holds] = [p(`${lit}%`), p(`%${lit}%`)];
    where.push(
      `(d.address LIKE ${starts} OR ${["hostname", "model", "manufacturer", "brand", "serial", "mac"]
        .map((c) => `d.${c} ILIKE ${holds}`)
        .join(" OR ")})`,
    );
  }
  const order = {
    default: `camsweep_list_key(d.restricted, d.manufacturer, d.address) COLLATE "C", d.id`,
    address: `camsweep_address_key(d.address) COLLATE "C", d.id`,
    "last-seen": "d.last_seen DESC, d.id DESC",
  }[sort];
  const sql = `SELECT d.id, d.model, d.site_id, a.status, r.state FROM devices d
                 LEFT JOIN device_assessments a ON a.device_id = d.id LEFT JOIN remediation r ON r.device_id = d.id
                ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ${order}`;
  return { sql, params };
}

const MAKERS = [
  { manufacturer: "hikvision", restricted: true, models: ["DS-2CD2142FWD-I", "DS-7608NI"] },
  { manufacturer: "dahua", restricted: true, models: ["IPC-HDW2431T", "DS-2CD_Like%"] },
  { manufacturer: "axis", restricted: false, models: ["P3245-LV", "M3106"] },
  { manufacturer: "hanwha", restricted: false, models: ["XNV-6080"] },
  { manufacturer: null, restricted: false, models: [null] },
];

/** 3 organizations (one without sites), 5 sites, 160 devices, some on no site, with verdicts and workflow. */
async function seed(inv: OpenInventory): Promise<void> {
  for (const [id, n] of [
    ["big", 3],
    ["small", 2],
    ["empty", 0],
  ] as const) {
    await inv.store.addOrganization({ id, name: `Org ${id}`, type: "municipal", jurisdiction: "CA" });
    for (let k = 1; k <= n; k++)
      await inv.store.addSite({ id: `${id}-${k}`, organizationId: id, name: `${id} ${k}` });
  }
  const sites = ["big-1", "big-2", "big-3", "small-1", "small-2", null];
  // Deterministic variety: addresses that sort as numbers and as text, none; equal last_seen in groups (ties).
  for (let i = 0; i < 160; i++) {
    const m = MAKERS[(i * 7) % MAKERS.length]!;
    const address =
      i % 23 === 0 ? null : i % 11 === 0 ? `cam-${i % 5}.Example` : `10.${i % 3}.${(i * 37) % 256}.${i % 9}`;
    await inv.db.query(
      `INSERT INTO devices (id, address, hostname, mac, serial, manufacturer, brand, model, device_type, confidence,
         restricted, identification, first_seen, last_seen, site_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'camera', 0.9, $9, '{}', $10, $11, $12)`,
      [
        `dev-${((i * 53) % 160).toString().padStart(3, "0")}-${i}`,
        address,
        i % 4 === 0 ? null : `host-${i}`,
        i % 6 === 0
          ? null
          : `aa:bb:cc:00:${(i >> 4).toString(16).padStart(2, "0")}:${(i % 16).toString(16)}0`,
        i % 5 === 0 ? null : `SN${String(1000 + i * 13).padStart(10, "0")}`,
        m.manufacturer,
        m.manufacturer && i % 3 === 0 ? `${m.manufacturer}-brand` : null,
        m.models[i % m.models.length],
        m.restricted,
        new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        new Date(Date.UTC(2026, 5, 1, i % 4, 0, 0, i % 7)).toISOString(),
        sites[(i * 5) % sites.length],
      ],
    );
  }
  await inv.db.query(
    `INSERT INTO assessments (id, started_at, finished_at, status, packs, knowledge, day, device_count)
     VALUES ('run', now(), now(), 'done', '[]', '{}', '2026-06-01', 160)`,
  );
  await inv.db.query(
    `INSERT INTO device_assessments (device_id, assessment_id, site_id, status, risk, risk_level, kev, findings,
       assessed_at)
     SELECT id, 'run', site_id, CASE WHEN restricted THEN 'prohibited' ELSE 'allowed' END, 50, 'medium', 0, '{}', now()
       FROM devices WHERE right(id, 1) <> '7'`,
  );
  await inv.db.query(
    `INSERT INTO remediation (device_id, state, storage, updated_at)
     SELECT id, 'scheduled', 'unknown', now() FROM devices WHERE restricted AND right(id, 1) IN ('1', '4')`,
  );
}

const FILTERS: DeviceFilter[] = [
  {},
  { restricted: true },
  { restricted: false },
  { organization: "big" },
  { organization: "small" },
  { organization: "empty" },
  { organization: "nobody" },
  { organization: "small", restricted: false },
  { organization: "big", restricted: true, manufacturer: "HIKVISION" },
  { organization: "big", site: "big-2" },
  { organization: "big", site: "small-1" },
  { organization: "big", text: "ds-2cd" },
  { site: "small-2" },
  { site: "small-2", restricted: true },
  { manufacturer: "axis" },
  { manufacturer: "axis", restricted: true },
  { text: "DS-2CD2142" },
  { text: "10.1." },
  { text: "cam-3" },
  { text: "SN0000001" },
  { text: "aa:bb:cc:00:03" },
  { text: "_like%" },
  { text: "  hik  " },
  { text: "no such thing" },
  { text: "DS", restricted: false },
  // The searched columns are stored joined: a term must not match across two of them (a hostname's end and a model's
  // start here: host-10, host-30, ... then DS-2CD2142FWD-I).
  { text: "0DS-2CD" },
  // ... nor within either joined text: a model's end and its maker (DS-7608NI, hikvision), a hostname's end and its
  // serial (host-1, SN0000001013).
  { text: "NIHIK" },
  { text: "1SN0" },
  { text: "hikvision", restricted: true },
  { text: "axis-brand" },
  { text: "HOST-2" },
];

describeBackends("device list pages", (inv) => {
  it("seeds a small inventory", async () => {
    await seed(inv());
    await inv().store.analyze();
  });

  for (const filter of FILTERS)
    for (const sort of DEVICE_SORTS)
      it(`pages ${JSON.stringify(filter)} sorted by ${sort} exactly as the plain query`, async () => {
        const ref = reference(filter, sort);
        const want = (
          await inv().db.query<{ id: string; status: string | null; state: string | null }>(
            ref.sql,
            ref.params,
          )
        ).rows;

        // The API's pages, 7 at a time, following next.
        const got: { id: string; status: string | null; workflow: string }[] = [];
        let after: string | undefined;
        for (let n = 0; n < 100; n++) {
          const page = await browseDevices(inv().db, filter, { limit: 7, sort, ...(after ? { after } : {}) });
          got.push(...page.devices);
          expect(page.devices.length).toBeLessThanOrEqual(7);
          if (!page.next) break;
          expect(page.devices.length).toBe(7);
          after = page.next;
        }
        expect(got.map((d) => d.id)).toEqual(want.map((r) => r.id));
        expect(got.map((d) => [d.status, d.workflow])).toEqual(
          want.map((r) => [r.status ?? null, r.state ?? "identified"]),
        );

        // The store's pages (whole records), 5 at a time through its cursor, and its list unpaged.
        const stored: string[] = [];
        let cursor: string | null = null;
        for (let n = 0; n < 100; n++) {
          cursor = await inv().store.eachDevicePage(
            filter,
            (p) => void stored.push(...p.map((d) => d.record.id)),
            {
              limit: 5,
              sort,
              pageSize: 2,
              details: false,
              ...(cursor ? { after: cursor } : {}),
            },
          );
          if (!cursor) break;
        }
        expect(stored).toEqual(want.map((r) => r.id));
        const all = await inv().store.listDevices(filter, { sort });
        expect(all.map((d) => d.id)).toEqual(want.map((r) => r.id));
        expect(await countDevices(inv().db, filter)).toBe(want.length);
      });

  it("has devices for most filters, so the comparisons above compare something", async () => {
    const sizes = await Promise.all(FILTERS.map((f) => countDevices(inv().db, f)));
    expect(sizes.filter((n) => n > 7).length).toBeGreaterThan(15);
    expect(sizes[FILTERS.findIndex((f) => f.text === "no such thing")]).toBe(0);
  });

  it("lists whole records from the store and only the listed columns in a browsed page", async () => {
    const [stored] = await inv().store.listDevices({ restricted: true }, { limit: 1 });
    expect(stored?.identification).toEqual({});
    const { sql } = browseQuery({ restricted: true }, { limit: 1 });
    expect(sql).not.toMatch(/\bd\.\*|identification/);
    const page = await browseDevices(inv().db, { restricted: true }, { limit: 1 });
    expect(page.devices[0]?.id).toBe(stored?.id);
    expect(page.devices[0]).not.toHaveProperty("identification");
  });

  it("has the search's trigram index on both backends (PGlite loads pg_trgm; the test server has it)", async () => {
    const { rows } = await inv().db.query<{ def: string }>(
      "SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'devices_search' AND schemaname = current_schema()",
    );
    expect(rows[0]?.def).toMatch(
      /USING gin \(address \S*gin_trgm_ops, search_names \S*gin_trgm_ops, search_ident \S*gin_trgm_ops\)/,
    );
  });

  it("finds a device by a model and maker it was given after it was first written", async () => {
    // The maker's part of the list is walked only when device_idents names it: the update must have noted it.
    const [first] = await inv().store.listDevices({}, { limit: 1 });
    await inv().db.query("UPDATE devices SET manufacturer = 'zz-maker', model = 'ZZ-9000' WHERE id = $1", [
      first!.id,
    ]);
    try {
      const page = await browseDevices(inv().db, { text: "zz-9000" }, { limit: 5 });
      expect(page.devices.map((d) => d.id)).toEqual([first!.id]);
    } finally {
      await inv().db.query("UPDATE devices SET manufacturer = $2, model = $3 WHERE id = $1", [
        first!.id,
        first!.manufacturer,
        first!.model,
      ]);
    }
  });

  it("refuses a search with a control character, which could match across the joined columns", async () => {
    await expect(browseDevices(inv().db, { text: "host-1\nDS" }, { limit: 5 })).rejects.toThrow(
      /control characters/,
    );
  });

  it("reads an organization's default-order page site by site and restricted as a range of the key", () => {
    const org = deviceQuery({ organization: "big" }, { limit: 101 });
    expect(org.sql).toMatch(/CROSS JOIN LATERAL/);
    // Without a page (a whole listing) or in another order, the plain filter.
    expect(deviceQuery({ organization: "big" }).sql).not.toMatch(/LATERAL/);
    expect(deviceQuery({ organization: "big" }, { limit: 9, sort: "address" }).sql).not.toMatch(/LATERAL/);
    expect(deviceQuery({ restricted: false }, { limit: 9 }).sql).toMatch(/COLLATE "C" >= '1'/);
    expect(deviceQuery({ restricted: true }, { limit: 9 }).sql).toMatch(/COLLATE "C" < '1'/);
  });
});

describeBackends("a token's last use", (inv) => {
  it("is written once a minute at most, not on every request", async () => {
    const ctx = { actor: "test" };
    await inv().db.transaction((tx) =>
      addUser(tx, ctx, {
        name: "reader",
        role: "viewer",
        organizationId: null,
        password: "a long test password",
      }),
    );
    const t = await inv().db.transaction((tx) =>
      createToken(tx, ctx, { user: "reader", name: "t", scope: "read", expiresAt: null }),
    );
    const used = async () =>
      (
        await inv().db.query<{ at: string | null }>(
          "SELECT last_used_at::text AS at FROM api_tokens WHERE id = $1",
          [t.id],
        )
      ).rows[0]?.at;
    expect(await used()).toBeNull();
    expect((await principalForToken(inv().db, t.secret))?.tokenId).toBe(t.id);
    const first = await used();
    expect(first).not.toBeNull();
    await new Promise((r) => setTimeout(r, 20));
    await principalForToken(inv().db, t.secret);
    expect(await used()).toBe(first);
    // Older than a minute: written again.
    await inv().db.query("UPDATE api_tokens SET last_used_at = now() - interval '61 seconds' WHERE id = $1", [
      t.id,
    ]);
    const old = await used();
    await principalForToken(inv().db, t.secret);
    expect(await used()).not.toBe(old);
  });
});
