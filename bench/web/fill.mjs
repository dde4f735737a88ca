// Fills a fresh inventory (PGlite or PostgreSQL, through inv.db) with the estate the overview reads: organizations,
// sites and segments through the store (as the CLI makes them), then in bulk SQL the devices, their latest verdicts,
// a saved plan made six weeks ago by the real planner, a few thousand workflow records whose steps are spread over
// the past seven weeks (the burn-down's points), some exceptions, and a finished sweep of every segment (the sites'
// verified clearance). A real import of 100,000 rows takes minutes (docs/benchmarks.md); this takes seconds.
import { planForInventory, loadCostModel } from "../../dist/plan/index.js";
import { addUser, createToken } from "../../dist/inventory/users.js";
import { ORGANIZATIONS } from "../estate.mjs";
import { deviceMix, sitePlan } from "./mix.mjs";

export const ADMIN = { name: "bench-admin", password: "bench web admin password" };
const DAY = 86_400_000;
const day = (ms) => new Date(ms).toISOString().slice(0, 10);

/** One site's devices: every column from a hash of the device's global index g. */
const INSERT_DEVICES = `
INSERT INTO devices (id, site_id, address, hostname, mac, serial, manufacturer, brand, model, firmware, device_type,
  confidence, restricted, policies, open_ports, identification, first_seen, last_seen, last_scan_id)
SELECT md5('bench-web:' || x.g)::uuid::text, $1, a.address,
  CASE WHEN x.r % 10 < 6 THEN coalesce(m.manufacturer, 'host') || '-' || x.g END,
  CASE WHEN (x.r / 10) % 10 < 8 THEN regexp_replace(lpad(to_hex(x.g + 3145728), 12, '0'), '(..)(?!$)', '\\1:', 'g') END,
  CASE WHEN (x.r / 100) % 10 < 7 THEN upper(left(coalesce(m.manufacturer, 'x'), 2)) || lpad(x.g::text, 10, '0') END,
  m.manufacturer, m.brand, a.model, CASE WHEN (x.r / 13) % 2 = 0 THEN 'V5.' || (x.r % 9) || '.' || (x.r % 7) END,
  m.device_type, CASE WHEN m.manufacturer IS NULL THEN 0 ELSE 0.9 END, m.restricted,
  CASE WHEN m.restricted THEN '["ndaa-889"]'::jsonb ELSE '[]'::jsonb END, '[80, 443, 554]'::jsonb,
  t.doc || jsonb_build_object('target', a.address, 'manufacturer', m.manufacturer, 'brand', m.brand,
    'model', a.model, 'deviceType', m.device_type, 'restricted', m.restricted),
  now() - ((x.r / 1000) % 365) * interval '1 day', now() - ((x.r / 100000) % 48) * interval '1 hour', $5
FROM generate_series($2::int, $2::int + $3::int - 1) gs(g)
CROSS JOIN LATERAL (SELECT gs.g AS g, abs(hashint8extended(gs.g, 11)) AS r, gs.g - $2::int + 1 + $4::int AS ip) x
JOIN bench_web_mix m ON m.slot = x.r % 100
JOIN bench_web_template t ON t.id = m.template0 + (x.r / 1000) % m.ntemplates
CROSS JOIN LATERAL (SELECT
  '10.' || ((x.ip >> 16) & 255) || '.' || ((x.ip >> 8) & 255) || '.' || (x.ip & 255) AS address,
  m.models[1 + (x.r / 7) % cardinality(m.models)] AS model) a`;

async function owners(inv, plan) {
  for (const [id, name, type, jurisdiction] of ORGANIZATIONS)
    await inv.store.addOrganization({ id, name, type, jurisdiction });
  for (const s of plan.filter((x) => x.id)) {
    await inv.store.addSite({
      id: s.id,
      organizationId: s.org,
      name: `Site ${s.id}`,
      criticality: s.criticality,
    });
    await inv.store.addSegment(s.id, s.cidr);
  }
  await inv.db.transaction((tx) =>
    addUser(tx, { actor: "bench-web" }, { ...ADMIN, role: "admin", organizationId: null }),
  );
}

/** A read token of the admin, for timing the API without the browser. */
export async function adminToken(inv) {
  const t = await inv.db.transaction((tx) =>
    createToken(
      tx,
      { actor: "bench-web" },
      { user: ADMIN.name, name: "bench", scope: "read", expiresAt: null },
    ),
  );
  return t.secret;
}

async function mixTables(q) {
  await q(`CREATE TABLE bench_web_mix (slot INT PRIMARY KEY, manufacturer TEXT, brand TEXT, device_type TEXT,
    restricted BOOLEAN, models TEXT[], template0 INT, ntemplates INT)`);
  await q(`CREATE TABLE bench_web_template (id INT PRIMARY KEY, doc JSONB)`);
  let slot = 0;
  let template = 0;
  for (const m of deviceMix()) {
    for (const [k, doc] of m.templates.entries())
      await q(`INSERT INTO bench_web_template VALUES ($1, $2)`, [template + k, JSON.stringify(doc)]);
    for (let k = 0; k < m.share; k++, slot++)
      await q(`INSERT INTO bench_web_mix VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        slot,
        m.manufacturer,
        m.brand,
        m.deviceType,
        m.restricted,
        m.models,
        template,
        m.templates.length,
      ]);
    template += m.templates.length;
  }
}

/**
 * Each device's latest verdict, as one `camsweep assess` over all of them writes it: a restricted device of a
 * government owner is prohibited (with a dated deadline), of another owner advisory; a device on no site is unowned.
 */
async function verdicts(q, devices) {
  const run = "bench-web-assessment";
  await q(
    `INSERT INTO assessments (id, started_at, finished_at, status, packs, knowledge, day, device_count)
     VALUES ($1, now() - interval '50 days', now() - interval '50 days', 'done', '[{"id": "ndaa-889"}]', '{}',
             to_char(now() - interval '50 days', 'YYYY-MM-DD'), $2)`,
    [run, devices],
  );
  await q(
    `INSERT INTO device_assessments (device_id, assessment_id, organization_id, site_id, status, risk, risk_level,
       kev, findings, assessed_at)
     SELECT d.id, $1, s.organization_id, d.site_id, v.status, v.risk,
       CASE WHEN v.risk >= 70 THEN 'high' WHEN v.risk >= 40 THEN 'medium' ELSE 'low' END,
       CASE WHEN d.restricted AND abs(hashtext(d.id)) % 10 = 0 THEN 1 ELSE 0 END,
       jsonb_build_object('status', v.status, 'verdict', jsonb_build_object('findings',
         CASE WHEN v.status IN ('prohibited', 'advisory') THEN jsonb_build_array(jsonb_build_object(
           'policyId', 'ndaa-889', 'binding', v.status = 'prohibited',
           'deadline', jsonb_build_object('date', '2027-08-13'))) ELSE '[]'::jsonb END)),
       now() - interval '1 day'
       FROM devices d LEFT JOIN sites s ON s.id = d.site_id LEFT JOIN organizations o ON o.id = s.organization_id
       CROSS JOIN LATERAL (SELECT
         CASE WHEN d.site_id IS NULL THEN 'unowned'
              WHEN d.restricted AND o.type IN ('federal-department', 'agency', 'crown-corporation') THEN 'prohibited'
              WHEN d.restricted THEN 'advisory' ELSE 'allowed' END AS status,
         CASE WHEN d.restricted THEN 60 + abs(hashtext(d.id)) % 40 ELSE abs(hashtext(d.id)) % 40 END AS risk) v`,
    [run],
  );
}

/**
 * The plan the program office saved six weeks ago, by the real planner over every prohibited device: three phases
 * of 30 days from then, so the first has ended, the second is under way and the third is ahead.
 */
async function savedPlan(inv, now) {
  const start = day(now - 42 * DAY);
  const { plan } = await planForInventory(
    inv,
    { organizationId: null, advisory: false, phases: 3, phaseDays: 30, start, budget: null },
    await loadCostModel(),
  );
  const id = await inv.workflow.savePlan(null, plan);
  await inv.db.query(`UPDATE plans SET created_at = now() - interval '42 days' WHERE id = $1`, [id]);
  return { devices: plan.phases.reduce((n, p) => n + p.deviceCount, 0), bytes: JSON.stringify(plan).length };
}

/**
 * Workflow records for one prohibited device in six, states spread over the workflow; each record's steps in
 * order, the last one 0 to 41 days ago and each earlier one three days before the next.
 */
async function workflow(q) {
  await q(`CREATE TABLE bench_web_wf AS
    SELECT a.device_id, w.h, w.state, CASE w.state
        WHEN 'confirmed' THEN ARRAY['confirmed']
        WHEN 'scheduled' THEN ARRAY['confirmed', 'scheduled']
        WHEN 'isolated' THEN ARRAY['confirmed', 'scheduled', 'isolated']
        WHEN 'removed' THEN ARRAY['confirmed', 'scheduled', 'removed']
        WHEN 'sanitized' THEN ARRAY['confirmed', 'scheduled', 'removed', 'sanitized']
        WHEN 'closed' THEN ARRAY['confirmed', 'scheduled', 'removed', 'sanitized', 'closed']
        ELSE ARRAY['confirmed', 'scheduled', 'removed', 'reopened'] END AS path
      FROM device_assessments a
      CROSS JOIN LATERAL (SELECT abs(hashtext(a.device_id || ':wf')) AS h) hh
      CROSS JOIN LATERAL (SELECT hh.h, (ARRAY['confirmed', 'confirmed', 'confirmed', 'confirmed', 'scheduled',
        'scheduled', 'scheduled', 'scheduled', 'isolated', 'removed', 'removed', 'removed', 'removed', 'removed',
        'sanitized', 'sanitized', 'closed', 'closed', 'closed', 'reopened'])[1 + (hh.h / 6) % 20] AS state) w
     WHERE a.status = 'prohibited' AND hh.h % 6 = 0`);
  await q(`INSERT INTO remediation_steps (device_id, from_state, to_state, at, actor, reason, data)
    SELECT w.device_id, coalesce(w.path[p.k - 1], 'identified'), p.step,
           now() - ((w.h % 42) + 3 * (cardinality(w.path) - p.k)) * interval '1 day' - interval '1 hour',
           'bench-web', NULL,
           CASE WHEN p.step = 'scheduled' THEN jsonb_build_object('date', to_char(now() + interval '20 days', 'YYYY-MM-DD'))
                ELSE '{}'::jsonb END
      FROM bench_web_wf w CROSS JOIN LATERAL unnest(w.path) WITH ORDINALITY AS p(step, k)
     ORDER BY 4`);
  await q(`INSERT INTO remediation (device_id, state, storage, scheduled_for, removed_at, reopened_at, updated_at)
    SELECT w.device_id, w.state, 'unknown',
           CASE WHEN 'scheduled' = ANY(w.path) THEN to_char(now() + interval '20 days', 'YYYY-MM-DD') END,
           (SELECT max(st.at) FROM remediation_steps st WHERE st.device_id = w.device_id AND st.to_state = 'removed'),
           (SELECT max(st.at) FROM remediation_steps st WHERE st.device_id = w.device_id AND st.to_state = 'reopened'),
           (SELECT max(st.at) FROM remediation_steps st WHERE st.device_id = w.device_id)
      FROM bench_web_wf w`);
  await q(`DROP TABLE bench_web_wf`);
  // Exceptions on other prohibited devices: most approved and running, some lapsed.
  await q(`INSERT INTO exceptions (device_id, state, justification, controls, expires_on, requested_by, requested_at,
      decided_by, decided_at, decision)
    SELECT a.device_id, CASE WHEN h % 5 = 0 THEN 'expired' ELSE 'approved' END, 'replacement on order',
           '["isolated VLAN, no internet"]'::jsonb,
           to_char(now() + CASE WHEN h % 5 = 0 THEN interval '-3 days' ELSE interval '90 days' END, 'YYYY-MM-DD'),
           'bench-web', now() - interval '30 days', 'bench-approver', now() - interval '29 days', 'approved'
      FROM device_assessments a CROSS JOIN LATERAL (SELECT abs(hashtext(a.device_id || ':ex')) AS h) hh
     WHERE a.status = 'prohibited' AND hh.h % 60 = 1
       AND NOT EXISTS (SELECT 1 FROM remediation r WHERE r.device_id = a.device_id)`);
}

/** A finished sweep of every segment, every address recorded (silent ones too, as a scan records them). */
async function sweep(q, plan, scan) {
  for (const s of plan.filter((x) => x.id)) {
    const hosts = 2 ** (32 - s.prefix) - 2;
    await q(
      `INSERT INTO scan_hosts (scan_id, address, done_at)
       SELECT $1, '10.' || ((x >> 16) & 255) || '.' || ((x >> 8) & 255) || '.' || (x & 255), now() - interval '30 minutes'
         FROM generate_series($2::int + 1, $2::int + $3::int) x`,
      [scan, s.base, hosts],
    );
  }
  const { rows } = await q(`SELECT count(*)::int AS n FROM scan_hosts WHERE scan_id = $1`, [scan]);
  await q(
    `UPDATE scans SET status = 'done', finished_at = now() - interval '30 minutes', host_count = $2 WHERE id = $1`,
    [scan, rows[0].n],
  );
  return rows[0].n;
}

/** Fills inv (freshly migrated, empty) with `devices` devices; returns the plan of sites, counts and timings. */
export async function fill(inv, { devices, log }) {
  const q = (sql, params) => inv.db.query(sql, params);
  const now = Date.now();
  const t = [performance.now()];
  const mark = (name) => (t.push(performance.now()), log(`  ${name}: ${secs(t.at(-2), t.at(-1))} s`));
  const plan = sitePlan(devices);
  await owners(inv, plan);
  const scan = "bench-web-sweep";
  await q(
    `INSERT INTO scans (id, kind, started_at, status, args) VALUES ($1, 'scan', now() - interval '2 hours', 'running', '{}')`,
    [scan],
  );
  await mixTables(q);
  mark("organizations, sites, segments, admin");
  for (const s of plan) {
    if (s.n > 0) await q(INSERT_DEVICES, [s.id, s.start, s.n, s.base, scan]);
  }
  await q(`DROP TABLE bench_web_mix`);
  await q(`DROP TABLE bench_web_template`);
  mark("devices");
  await verdicts(q, devices);
  mark("verdicts");
  const saved = await savedPlan(inv, now);
  mark("saved plan");
  await workflow(q);
  mark("workflow and exceptions");
  const swept = await sweep(q, plan, scan);
  mark("sweep");
  await q(`UPDATE scans SET device_count = $2 WHERE id = $1`, [scan, devices]);
  // What autovacuum would have done by the time anyone looks: statistics and the visibility map.
  await q(`VACUUM ANALYZE`);
  mark("vacuum analyze");
  const { rows: c } = await q(`SELECT
      (SELECT count(*)::int FROM devices) AS devices,
      (SELECT count(*)::int FROM device_assessments WHERE status = 'prohibited') AS prohibited,
      (SELECT count(*)::int FROM remediation) AS workflow,
      (SELECT count(*)::int FROM remediation_steps) AS steps,
      (SELECT count(*)::int FROM remediation WHERE state IN ('removed', 'sanitized', 'closed')) AS gone,
      (SELECT count(*)::int FROM exceptions) AS exceptions`);
  return {
    plan,
    counts: {
      ...c[0],
      sites: plan.length - 1,
      planDevices: saved.devices,
      planJsonBytes: saved.bytes,
      swept,
    },
    seconds: { total: secs(t[0], t.at(-1)) },
  };
}

const secs = (a, b) => Math.round((b - a) / 10) / 100;
