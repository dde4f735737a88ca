// Fills a fresh PostgreSQL inventory with N devices for the API benchmark, fast: organizations, sites, segments,
// users and tokens through the store (audited, as the CLI makes them), then the devices in bulk SQL
// (INSERT ... SELECT generate_series over a plan of sites and a table of the maker mix), since a real import of a
// million rows takes most of an hour (docs/benchmarks.md). Addresses are text in 10.0.0.0/8: nothing is sent.
import { addUser, createToken } from "./camsweep.mjs";
import { ORGANIZATIONS, siteCounts } from "../estate.mjs";
import { deviceMix } from "./mix.mjs";

/** Each site owns a /14 (10.<4·block>.0.0/14): 262,142 devices at most. */
export const SITE_BLOCK = 262_144;

/** Which site holds how many devices (bench/estate.mjs), each site's block after the one before. */
export function sitePlan(devices) {
  const sites = siteCounts(devices).map(({ id, org, n }) => ({ id, org, n }));
  let start = 0;
  sites.forEach((s, block) => {
    if (s.n > SITE_BLOCK - 2)
      throw new Error(`--devices ${devices}: site ${s.id} would need more than a /14`);
    Object.assign(s, { block, start, cidr: `10.${4 * block}.0.0/14` });
    start += s.n;
  });
  if (sites.length * 4 > 256) throw new Error("too many sites for 10.0.0.0/8");
  return sites;
}

/** Organizations, sites and segments through the store, as `camsweep org add` / `site add` / `segment add` do. */
async function owners(inv, plan) {
  for (const [id, name, type, jurisdiction] of ORGANIZATIONS)
    await inv.store.addOrganization({ id, name, type, jurisdiction });
  for (const s of plan.filter((x) => x.id)) {
    await inv.store.addSite({ id: s.id, organizationId: s.org, name: `Site ${s.id}`, criticality: "normal" });
    await inv.store.addSegment(s.id, s.cidr);
  }
}

/**
 * Users and their tokens (createToken): an admin with a write token for the sequential runs, and one viewer of
 * every organization per concurrent client with a read token each (separate people, not one token shared).
 */
async function tokens(inv, clients) {
  const ctx = { actor: "bench-api" };
  const make = async (name, role, scope) => {
    await inv.db.transaction((tx) =>
      addUser(tx, ctx, { name, role, organizationId: null, password: `bench api password ${name}` }),
    );
    return (
      await inv.db.transaction((tx) =>
        createToken(tx, ctx, { user: name, name: "bench", scope, expiresAt: null }),
      )
    ).secret;
  };
  const admin = await make("bench-admin", "admin", "write");
  const readers = [];
  for (let c = 0; c < clients; c++) readers.push(await make(`bench-viewer-${c + 1}`, "viewer", "read"));
  return { admin, readers };
}

/** The devices of rows [lo, hi) of the plan: one statement, every column computed from a hash of the device. */
const INSERT_DEVICES = `
INSERT INTO devices (id, site_id, address, hostname, mac, serial, manufacturer, brand, model, firmware, device_type,
  confidence, restricted, policies, open_ports, identification, first_seen, last_seen, last_scan_id)
SELECT gen_random_uuid()::text, p.site_id, a.address,
  CASE WHEN x.r % 10 < 6 THEN m.host || '-' || x.h END,
  a.mac,
  CASE WHEN (x.r / 10) % 10 < 7 THEN upper(left(coalesce(m.manufacturer, 'x'), 2)) || lpad(x.h::text, 10, '0') END,
  m.manufacturer, m.brand, a.model, a.firmware, m.device_type,
  CASE WHEN m.manufacturer IS NULL THEN 0 ELSE 0.9 END, m.restricted, m.policies, m.ports,
  t.doc || jsonb_build_object(
    'target', a.address, 'manufacturer', m.manufacturer, 'brand', m.brand, 'model', a.model,
    'firmware', a.firmware, 'deviceType', m.device_type, 'restricted', m.restricted, 'policies', m.policies,
    'mac', a.mac, 'confidence', CASE WHEN m.manufacturer IS NULL THEN 0 ELSE 0.9 END),
  now() - ((x.r / 100000) % 365) * interval '1 day', now() - ((x.r / 1000000) % 30) * interval '1 hour', $3
FROM bench_plan p
CROSS JOIN LATERAL generate_series(greatest(p.start, $1::bigint), least(p.start + p.n, $2::bigint) - 1) g
CROSS JOIN LATERAL (SELECT g - p.start + 1 AS j) jj
CROSS JOIN LATERAL (SELECT p.block * ${SITE_BLOCK} + jj.j AS h,
                           abs(hashint8extended(p.block * ${SITE_BLOCK} + jj.j, 7)) AS r) x
JOIN bench_mix m ON m.slot = x.r % 100
JOIN bench_template t ON t.id = m.template0 + (x.r / 1000) % m.ntemplates
CROSS JOIN LATERAL (SELECT
  '10.' || (4 * p.block + (jj.j >> 16)) || '.' || ((jj.j >> 8) & 255) || '.' || (jj.j & 255) AS address,
  CASE WHEN (x.r / 100) % 100 < 85 THEN regexp_replace(m.ouis[1 + (x.r / 7) % cardinality(m.ouis)]
    || lpad(to_hex(x.h & 16777215), 6, '0'), '(..)(?!$)', '\\1:', 'g') END AS mac,
  m.models[1 + (x.r / 11) % greatest(cardinality(m.models), 1)] AS model,
  CASE WHEN (x.r / 13) % 2 = 0 THEN nullif(m.firmware[1 + (x.r / 17) % cardinality(m.firmware)], '') END AS firmware
) a`;

/**
 * Fills inv (freshly migrated, empty) with `devices` devices. Returns the plan, tokens and timings. The list's
 * indexes are dropped for the load and built again from their own definitions (bulk loading's usual order, and the
 * build then runs in parallel); the definitions after are checked to be those of the migrations.
 */
export async function fill(inv, { devices, clients, log }) {
  const t0 = performance.now();
  const plan = sitePlan(devices);
  await owners(inv, plan);
  const tok = await tokens(inv, clients);
  const scan = await inv.store.beginImport("bench-api-fill", { file: "bench/api (generated)" }, undefined);
  const tOwners = performance.now();

  const mix = deviceMix();
  const q = (sql, params) => inv.db.query(sql, params);
  // The templates in their own table, one per row: a row of the mix holding them all would be read whole (and
  // decompressed) for every device.
  await q(`CREATE TABLE bench_mix (slot INT PRIMARY KEY, manufacturer TEXT, brand TEXT, device_type TEXT,
    restricted BOOLEAN, policies JSONB, ports JSONB, host TEXT, models TEXT[], firmware TEXT[], ouis TEXT[],
    template0 INT, ntemplates INT)`);
  await q(`CREATE TABLE bench_template (id INT PRIMARY KEY, doc JSONB)`);
  let slot = 0;
  let template = 0;
  for (const m of mix) {
    for (const doc of m.templates)
      await q(`INSERT INTO bench_template VALUES ($1, $2)`, [
        template + m.templates.indexOf(doc),
        JSON.stringify(doc),
      ]);
    for (let k = 0; k < m.share; k++, slot++)
      await q(`INSERT INTO bench_mix VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, [
        slot,
        m.manufacturer,
        m.brand,
        m.deviceType,
        m.restricted,
        JSON.stringify(m.policies),
        JSON.stringify(m.ports),
        m.host,
        m.models,
        m.firmware,
        m.ouis,
        template,
        m.templates.length,
      ]);
    template += m.templates.length;
  }
  await q(`CREATE TABLE bench_plan (block INT, site_id TEXT, start BIGINT, n BIGINT)`);
  for (const s of plan)
    await q(`INSERT INTO bench_plan VALUES ($1, $2, $3, $4)`, [s.block, s.id, s.start, s.n]);

  const indexes = await listIndexes(q);
  for (const ix of indexes) await q(`DROP INDEX ${ix.name}`);
  const tInsert = performance.now();
  // Two connections at once, one per core: PostgreSQL runs an INSERT ... SELECT on one.
  const chunk = 50_000;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < devices) {
      const lo = next;
      const hi = (next = Math.min(devices, next + chunk));
      await q(INSERT_DEVICES, [lo, hi, scan]);
      done += hi - lo;
      log(`  ${done.toLocaleString("en")} / ${devices.toLocaleString("en")} devices`);
    }
  };
  await Promise.all([worker(), worker()]);
  const tIndex = performance.now();
  for (const ix of indexes) {
    log(`  index ${ix.name}`);
    await q(ix.def);
  }
  const tVerdicts = performance.now();
  await verdicts(q, log);
  const after = await listIndexes(q);
  if (JSON.stringify(after) !== JSON.stringify(indexes))
    throw new Error("the devices' indexes differ after the fill");
  const tVacuum = performance.now();
  await q(`DROP TABLE bench_mix`);
  await q(`DROP TABLE bench_template`);
  await q(`DROP TABLE bench_plan`);
  await q(`UPDATE scans SET status = 'done', finished_at = now(), device_count = $2 WHERE id = $1`, [
    scan,
    devices,
  ]);
  // What autovacuum would have done by the time anyone lists: statistics, and the visibility map.
  for (const t of ["devices", "device_assessments", "remediation"]) await q(`VACUUM (ANALYZE) ${t}`);
  // And the small tables: autovacuum analyzes a table after 50 changes, so an estate of 58 sites gets its
  // statistics within a minute; one with fewer never would (RESULTS.md: the plans of an organization's list).
  await q(`ANALYZE`);
  const tEnd = performance.now();
  const s = (a, b) => Math.round((b - a) / 10) / 100;
  return {
    plan,
    tokens: tok,
    seconds: {
      ownersAndTokens: s(t0, tOwners),
      insert: s(tInsert, tIndex),
      indexes: s(tIndex, tVerdicts),
      verdictsAndWorkflow: s(tVerdicts, tVacuum),
      vacuumAnalyze: s(tVacuum, tEnd),
      total: s(t0, tEnd),
    },
  };
}

/**
 * What the list joins (src/inventory/device-browse.ts): each device's latest verdict, as one `camsweep assess` run
 * over all of them writes it (a restricted device of a government owner is prohibited, of another owner advisory;
 * a device on no site is unowned), and a workflow record for a third of the prohibited ones, spread over the steps.
 */
async function verdicts(q, log) {
  log("  verdicts and workflow");
  const run = "bench-api-assessment";
  await q(
    `INSERT INTO assessments (id, started_at, finished_at, status, packs, knowledge, day, device_count)
     VALUES ($1, now(), now(), 'done', '[]', '{}', to_char(now(), 'YYYY-MM-DD'), (SELECT count(*) FROM devices))`,
    [run],
  );
  await q(
    `INSERT INTO device_assessments (device_id, assessment_id, organization_id, site_id, status, risk, risk_level,
       kev, findings, assessed_at)
     SELECT d.id, $1, s.organization_id, d.site_id, v.status, v.risk,
       CASE WHEN v.risk >= 70 THEN 'high' WHEN v.risk >= 40 THEN 'medium' ELSE 'low' END, 0,
       jsonb_build_object('status', v.status, 'policies', d.policies, 'manufacturer', d.manufacturer,
         'chain', jsonb_build_array(jsonb_build_object('step', 'identification', 'confidence', d.confidence),
           jsonb_build_object('step', 'owner', 'organization', s.organization_id, 'type', o.type))),
       now()
       FROM devices d LEFT JOIN sites s ON s.id = d.site_id LEFT JOIN organizations o ON o.id = s.organization_id
       CROSS JOIN LATERAL (SELECT
         CASE WHEN d.site_id IS NULL THEN 'unowned'
              WHEN d.restricted AND o.type IN ('federal-department', 'agency', 'crown-corporation') THEN 'prohibited'
              WHEN d.restricted THEN 'advisory' ELSE 'allowed' END AS status,
         CASE WHEN d.restricted THEN 60 + abs(hashtext(d.id)) % 40 ELSE abs(hashtext(d.id)) % 40 END AS risk) v`,
    [run],
  );
  await q(
    `INSERT INTO remediation (device_id, state, storage, updated_at)
     SELECT device_id, (ARRAY['confirmed', 'scheduled', 'isolated', 'removed', 'sanitized', 'closed'])
              [1 + abs(hashtext(device_id)) / 3 % 6], 'unknown', now()
       FROM device_assessments WHERE status = 'prohibited' AND abs(hashtext(device_id)) % 3 = 0`,
  );
}

/** The devices table's indexes but its primary key, by name, with their definitions. */
async function listIndexes(q) {
  const { rows } = await q(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.tablename = 'devices' AND i.schemaname = current_schema() AND i.indexname <> 'devices_pkey'
      ORDER BY i.indexname`,
  );
  return rows;
}
