// The device-list API at scale on PostgreSQL: a fresh database of N devices (bench/api/fill.mjs), the real server
// in this process (buildServer, listening on 127.0.0.1, a random port), and GET /api/v1/devices timed per case
// over real HTTP, one client and then C at once. The bar: p95 under 50 ms. Each list case's SQL is EXPLAINed.
//   node bench/api/bench.mjs [--devices 1000000] [--requests 300] [--clients 8] [--keep] [--reuse] [--try C::SQL]
// (bench/api/run.sh checks the build and the server first). Writes JSON on stdout or --out. Loopback only.
import { git } from "../estate.mjs";
import { cpus, loadavg } from "node:os";
import { writeFileSync } from "node:fs";
import pg from "pg";
import { buildServer, createToken, openInventory } from "./camsweep.mjs";
import { fill, sitePlan } from "./fill.mjs";
import { get, run } from "./load.mjs";
import { cases as makeCases, listPath } from "./cases.mjs";
import { explain, spy } from "./explain.mjs";
import http from "node:http";

const BAR_P95_MS = 50;

/**
 * --try "CASES::SQL; SQL": a proposal tried in the bench database. Only new indexes named bench_* (and the pg_trgm
 * extension they may need) are allowed; each is dropped after. CASES: a pattern of the case names measured again.
 */
function trial(text) {
  const [cases, sql] = text.includes("::") ? text.split(/::(.*)/s) : ["", text];
  const statements = sql
    .split(";")
    .map((x) => x.trim())
    .filter(Boolean);
  for (const st of statements)
    if (
      !/^CREATE INDEX bench_\w+ ON devices\b/i.test(st) &&
      !/^CREATE EXTENSION IF NOT EXISTS pg_trgm$/i.test(st)
    )
      throw new Error(
        `--try: CREATE INDEX bench_<name> ON devices ... or CREATE EXTENSION IF NOT EXISTS pg_trgm, not: ${st}`,
      );
  return { cases: cases ? new RegExp(cases) : null, statements };
}

function options(argv) {
  const o = {
    devices: 1_000_000,
    requests: undefined,
    clients: 8,
    warmup: undefined,
    deepPage: 5000,
    orgDeepPage: 50,
    phaseSeconds: 60,
    pg: "postgres://postgres@127.0.0.1:5432",
    database: "camsweep_bench_api",
    keep: false,
    reuse: false,
    tryIndex: [],
    only: undefined,
    out: undefined,
  };
  const num = (v, name) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: a positive whole number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [name, v] = [argv[i], argv[i + 1]];
    const take = () => (i++, v);
    if (name === "--devices") o.devices = num(take(), name);
    else if (name === "--requests") o.requests = num(take(), name);
    else if (name === "--clients") o.clients = num(take(), name);
    else if (name === "--warmup") o.warmup = num(take(), name);
    else if (name === "--deep-page") o.deepPage = num(take(), name);
    else if (name === "--org-deep-page") o.orgDeepPage = num(take(), name);
    else if (name === "--phase-seconds") o.phaseSeconds = num(take(), name);
    else if (name === "--pg") o.pg = take();
    else if (name === "--database") o.database = take();
    else if (name === "--keep") o.keep = true;
    else if (name === "--reuse") o.reuse = o.keep = true;
    else if (name === "--try") o.tryIndex.push(trial(take()));
    else if (name === "--only") o.only = new RegExp(take());
    else if (name === "--out") o.out = take();
    else throw new Error(`unknown option ${name}`);
  }
  // A small inventory is a smoke check: a few requests a case, so that it takes seconds.
  const smoke = o.devices < 100_000;
  o.requests ??= smoke ? 30 : 300;
  o.warmup ??= smoke ? 3 : 20;
  const u = new URL(o.pg);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(u.hostname))
    throw new Error("--pg must name a loopback server");
  // Our own database only: never `test` or another's.
  if (!/^camsweep_bench_[a-z0-9_]+$/.test(o.database)) throw new Error("--database: camsweep_bench_<name>");
  return o;
}

const log = (s) => process.stderr.write(`${s}\n`);
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);
const dbUrl = (o, db) => `${o.pg.replace(/\/+$/, "")}/${db}`;

async function admin(o, sql) {
  const c = new pg.Client({ connectionString: dbUrl(o, "postgres") });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

async function databaseExists(o) {
  const { rows } = await admin(o, `SELECT 1 FROM pg_database WHERE datname = '${o.database}'`);
  return rows.length > 0;
}

/** Reuse: the database holds the plan's devices already; fresh tokens for its users. */
async function reuse(inv, o) {
  const { rows } = await inv.db.query("SELECT count(*)::int AS n FROM devices");
  if (rows[0].n !== o.devices)
    throw new Error(`--reuse: ${o.database} holds ${rows[0].n} devices, not ${o.devices}`);
  const ctx = { actor: "bench-api" };
  const t = (user, scope) =>
    inv.db.transaction((tx) => createToken(tx, ctx, { user, name: "bench", scope, expiresAt: null }));
  const readers = [];
  for (let c = 0; c < o.clients; c++) readers.push((await t(`bench-viewer-${c + 1}`, "read")).secret);
  return {
    plan: sitePlan(o.devices),
    tokens: { admin: (await t("bench-admin", "write")).secret, readers },
    seconds: null,
  };
}

/** Follows `next` from the first page to `page` (or the last there is); the cursor of that page and the walk's pace. */
async function walk(base, token, filter, page) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let after;
  let reached = 1;
  const t0 = performance.now();
  while (reached < page) {
    const r = await get(agent, base, listPath(filter, after), token);
    if (r.status !== 200) throw new Error(`walk: ${r.status}`);
    if (!r.body.next) break;
    after = r.body.next;
    reached++;
  }
  const ms = performance.now() - t0;
  agent.destroy();
  return {
    after,
    reached,
    seconds: Math.round(ms / 10) / 100,
    pagesPerSecond: Math.round(((reached - 1) * 1e5) / ms) / 100,
  };
}

/** The check of every answer, and of the first one's devices against the case's filter. */
function checker(c) {
  let first = true;
  return (body) => {
    if (c.filter === null) {
      if (!body.name) throw new Error(`${c.name}: no principal in ${JSON.stringify(body).slice(0, 100)}`);
      return;
    }
    if (!Array.isArray(body.devices) || body.devices.length === 0 || body.devices.length > 100)
      throw new Error(`${c.name}: ${body.devices?.length} devices in a page`);
    if (c.filter.count && typeof body.total !== "number") throw new Error(`${c.name}: no total`);
    if (first && c.match && !body.devices.every(c.match))
      throw new Error(`${c.name}: a device outside the filter`);
    first = false;
  };
}

/** One case: its cursor (walked), its plan, warm-up, then sequential and concurrent runs. */
async function measure(c, ctx) {
  const { base, tokens, o, inv } = ctx;
  const out = { name: c.name, what: c.what, loadAverage: load() };
  let after;
  if (c.page > 1) {
    const w = await walk(base, tokens.admin, c.filter, c.page);
    after = w.after;
    out.walk = w;
    out.page = w.reached;
  }
  const path = c.path ?? listPath(c.filter, after);
  out.path = path.replace(/after=[^&]+/, "after=<cursor>");
  const check = checker(c);
  const base1 = { base, path, check, maxSeconds: o.phaseSeconds };
  if (c.optional) {
    const r = await get(new http.Agent(), base, path, tokens.admin);
    if (r.status === 400) {
      log(`  ${c.name.padEnd(36)} skipped: ${r.body.error}`);
      return { ...out, skipped: String(r.body.error).slice(0, 200) };
    }
  }
  ctx.seen.last = null;
  await run({
    ...base1,
    tokens: [tokens.admin],
    clients: 1,
    requests: o.warmup,
    maxSeconds: Math.min(20, o.phaseSeconds),
  });
  if (c.filter && ctx.seen.last) out.explain = await explain(inv.db, ctx.seen.last);
  out.sequential = await run({ ...base1, tokens: [tokens.admin], clients: 1, requests: o.requests });
  out.concurrent = await run({ ...base1, tokens: tokens.readers, clients: o.clients, requests: o.requests });
  out.meetsBar = out.sequential.p95 < BAR_P95_MS && out.concurrent.p95 < BAR_P95_MS;
  log(
    `  ${c.name.padEnd(36)} 1 client p50 ${out.sequential.p50} p95 ${out.sequential.p95} p99 ${out.sequential.p99} ` +
      `${out.sequential.perSecond}/s | ${o.clients} clients p50 ${out.concurrent.p50} p95 ${out.concurrent.p95} ` +
      `p99 ${out.concurrent.p99} ${out.concurrent.perSecond}/s | SQL ${out.explain?.executionMs ?? "-"} ms`,
  );
  return out;
}

async function sizes(db) {
  const { rows } = await db.query(`
    SELECT c.relname AS name, pg_size_pretty(pg_total_relation_size(c.oid)) AS total,
           pg_size_pretty(pg_relation_size(c.oid)) AS own
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND (c.relname = 'devices' OR c.oid IN
           (SELECT indexrelid FROM pg_index WHERE indrelid = 'devices'::regclass))
     ORDER BY pg_total_relation_size(c.oid) DESC`);
  return rows;
}

async function main() {
  const o = options(process.argv.slice(2));
  const result = {
    date: new Date().toISOString(),
    commit: git("rev-parse", "--short", "HEAD"),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    options: { ...o, only: o.only?.source, pg: o.pg },
    barP95Ms: BAR_P95_MS,
    loadAverage: { start: load() },
  };
  const exists = await databaseExists(o);
  const reusing = o.reuse && exists;
  if (!reusing) {
    if (exists) await admin(o, `DROP DATABASE ${o.database}`);
    await admin(o, `CREATE DATABASE ${o.database}`);
  }
  let inv;
  let app;
  try {
    // The real schema: openInventory runs the migrations on the fresh database.
    inv = await openInventory("/nonexistent-unused", {
      databaseUrl: dbUrl(o, o.database),
      audit: { actor: "bench-api" },
    });
    const { rows: v } = await inv.db.query(
      "SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS shared_buffers, " +
        "current_setting('work_mem') AS work_mem",
    );
    result.postgres = v[0];
    log(
      `${reusing ? "reusing" : "filling"} ${o.database} with ${o.devices.toLocaleString("en")} devices ...`,
    );
    const filled = reusing
      ? await reuse(inv, o)
      : await fill(inv, { devices: o.devices, clients: o.clients, log });
    result.fill = { reused: reusing, seconds: filled.seconds, loadAverageAfter: load() };
    result.fill.sites = filled.plan.map(({ id, org, n, cidr }) => ({ id, org, devices: n, cidr }));
    const { rows: mix } = await inv.db.query(
      `SELECT coalesce(manufacturer, '(unknown)') AS manufacturer, restricted, count(*)::int AS devices
         FROM devices GROUP BY 1, 2 ORDER BY 3 DESC`,
    );
    result.fill.manufacturers = mix;
    result.fill.sizes = await sizes(inv.db);
    if (filled.seconds) log(`  filled in ${filled.seconds.total} s (${JSON.stringify(filled.seconds)})`);

    const seen = spy(inv.db);
    app = await buildServer({ inv });
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const port = new URL(address).port;
    const base = `http://127.0.0.1:${port}`;
    const pages = Math.floor(o.devices / 100);
    const deepPage = Math.max(2, Math.min(o.deepPage, Math.floor(pages / 2)));
    const { rows: serial } = await inv.db.query(
      `SELECT substr(serial, 3) AS s FROM devices WHERE serial IS NOT NULL AND site_id = $1 ORDER BY address LIMIT 1`,
      [filled.plan[Math.floor(filled.plan.length / 2)].id],
    );
    let list = makeCases(filled.plan, {
      deepPage,
      orgDeepPage: o.orgDeepPage,
      rareSerial: serial[0]?.s ?? "none",
    });
    if (o.only) list = list.filter((c) => o.only.test(c.name));
    const ctx = { base, tokens: filled.tokens, o, inv, seen };
    log(`measuring on ${base} (${o.requests} requests a case, 1 and ${o.clients} clients) ...`);
    result.cases = [];
    for (const c of list) result.cases.push(await measure(c, ctx));

    // Trials: an index made by hand, then the plans and the cases that missed the bar again; dropped after.
    result.trials = [];
    for (const t of o.tryIndex) {
      log(`trying: ${t.statements.join("; ")}`);
      const t0 = performance.now();
      for (const st of t.statements) await inv.db.query(st);
      await inv.db.query("ANALYZE devices");
      const trial = {
        sql: t.statements,
        buildSeconds: Math.round((performance.now() - t0) / 10) / 100,
        cases: [],
      };
      const missed = (x) => result.cases.find((r) => r.name === x.name && !r.skipped && !r.meetsBar);
      for (const c of list.filter((x) => (t.cases ? t.cases.test(x.name) : missed(x))))
        trial.cases.push(await measure(c, ctx));
      result.trials.push(trial);
      // Indexes first, then the extension they use.
      for (const st of [...t.statements].reverse()) {
        const name = /^CREATE INDEX (bench_\w+)/i.exec(st)?.[1];
        await inv.db.query(name ? `DROP INDEX ${name}` : "DROP EXTENSION pg_trgm");
      }
    }
    result.loadAverage.end = load();
    result.missedBar = result.cases.filter((c) => !c.skipped && !c.meetsBar).map((c) => c.name);
  } finally {
    await app?.close();
    await inv?.close();
    if (!o.keep) await admin(o, `DROP DATABASE IF EXISTS ${o.database}`);
    else
      log(
        `kept ${dbUrl(o, o.database)} (drop it with: psql ${dbUrl(o, "postgres")} -c 'DROP DATABASE ${o.database}')`,
      );
  }
  const text = JSON.stringify(result, null, 1);
  if (o.out) writeFileSync(o.out, `${text}\n`);
  else process.stdout.write(`${text}\n`);
}

main().catch((e) => {
  log(`bench/api: ${e.stack ?? e}`);
  process.exit(1);
});
