// The overview's first render at N devices (issue 10: under 1 s at 100,000), on the embedded PGlite (a temporary
// data directory) and on PostgreSQL (a database of its own, dropped at the end): the inventory filled in bulk
// (bench/web/fill.mjs), opened again as `camsweep serve` would, the real server in this process on 127.0.0.1, then
// Chromium signs in and times the overview (bench/web/browser.mjs), GET /api/v1/overview is timed over HTTP, and
// each statement the route sends is timed alone and EXPLAINed (bench/web/queries.mjs).
//   node bench/web/bench.mjs [--devices 100000] [--backend both|pglite|postgres] [--warm 10] [--requests 50]
//                            [--pg postgres://postgres@127.0.0.1:5432] [--database camsweep_bench_web] [--keep]
//                            [--out FILE]
// Writes JSON on stdout or --out. Loopback only.
import { git } from "../estate.mjs";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openInventory } from "../../dist/inventory/index.js";
import { buildServer } from "../../dist/server/app.js";
import { measureBrowser } from "./browser.mjs";
import { ADMIN, adminToken, fill } from "./fill.mjs";
import { explainAll, spy } from "./queries.mjs";

export const BAR_MS = 1000;

function options(argv) {
  const o = {
    devices: 100_000,
    backend: "both",
    warm: undefined,
    requests: undefined,
    keep: false,
    pg: "postgres://postgres@127.0.0.1:5432",
    database: "camsweep_bench_web",
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
    else if (name === "--backend") o.backend = take();
    else if (name === "--warm") o.warm = num(take(), name);
    else if (name === "--requests") o.requests = num(take(), name);
    else if (name === "--pg") o.pg = take();
    else if (name === "--database") o.database = take();
    else if (name === "--out") o.out = take();
    else if (name === "--keep") o.keep = true;
    else throw new Error(`unknown option ${name}`);
  }
  // A small inventory is a smoke check: fewer visits and requests, so that it takes seconds.
  const smoke = o.devices < 10_000;
  o.warm ??= smoke ? 3 : 10;
  o.requests ??= smoke ? 10 : 50;
  if (!["both", "pglite", "postgres"].includes(o.backend))
    throw new Error("--backend: both, pglite or postgres");
  if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(o.pg).hostname))
    throw new Error("--pg must name a loopback server");
  // Our own database only: never `test` or another's.
  if (!/^camsweep_bench_web[a-z0-9_]*$/.test(o.database))
    throw new Error("--database: camsweep_bench_web<name>");
  return o;
}

const log = (s) => process.stderr.write(`${s}\n`);
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);
const dbUrl = (o, db) => `${o.pg.replace(/\/+$/, "")}/${db}`;
const r1 = (x) => Math.round(x * 10) / 10;

async function admin(o, sql) {
  const c = new pg.Client({ connectionString: dbUrl(o, "postgres") });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

/** One GET with the admin's read token over a keep-alive connection: status, time to the last byte, size. */
function get(agent, url, token) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks = [];
      res.on("data", (b) => chunks.push(b));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode, ms: performance.now() - t0, bytes: body.length, body });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(120_000, () => req.destroy(new Error("timed out")));
  });
}

/** Longest the API timing runs: a slow overview gets fewer requests (at least 10). */
const API_SECONDS = 60;

/** GET /api/v1/overview `n` times in a row (after 3 unmeasured; fewer after a minute): p50, p95, worst. */
async function measureApi(base, token, n) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = `${base}/api/v1/overview`;
  const times = [];
  let bytes = 0;
  try {
    const t0 = performance.now();
    for (let i = 0; i < n + 3; i++) {
      if (times.length >= 10 && performance.now() - t0 > API_SECONDS * 1000) break;
      const r = await get(agent, url, token);
      if (r.status !== 200) throw new Error(`GET /api/v1/overview: ${r.status}`);
      if (i >= 3) times.push(r.ms);
      bytes = r.bytes;
    }
  } finally {
    agent.destroy();
  }
  const s = [...times].sort((a, b) => a - b);
  const at = (p) => r1(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]);
  return { requests: times.length, p50: at(50), p95: at(95), worst: r1(s.at(-1)), bytes };
}

async function sizes(db) {
  const { rows } = await db.query(`
    SELECT c.relname AS name, pg_total_relation_size(c.oid)::bigint AS bytes
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind = 'r'
       AND c.relname IN ('devices', 'device_assessments', 'remediation', 'remediation_steps', 'plans', 'scan_hosts')
     ORDER BY 2 DESC`);
  return Object.fromEntries(rows.map((r) => [r.name, Math.round(Number(r.bytes) / 1024 / 102.4) / 10]));
}

/**
 * The server on the filled inventory, opened as `camsweep serve` would (nothing of it in this process's memory):
 * the browser first (its first visit is the server's first overview), then the API, then the route's statements.
 */
async function served(open, o) {
  const out = { loadAverage: { start: load() } };
  let inv;
  let app;
  try {
    const t0 = performance.now();
    inv = await open();
    out.openMs = r1(performance.now() - t0);
    const caught = spy(inv.db);
    const token = await adminToken(inv);
    app = await buildServer({ inv });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const base = `http://127.0.0.1:${app.server.address().port}`;
    out.browser = await measureBrowser(base, { devices: o.devices, warm: o.warm, admin: ADMIN, log });
    out.api = await measureApi(base, token, o.requests);
    log(
      `  GET /api/v1/overview: p50 ${out.api.p50} ms, p95 ${out.api.p95} ms (${out.api.requests} requests)`,
    );
    caught.on = true;
    const agent = new http.Agent();
    const answer = await get(agent, `${base}/api/v1/overview`, token);
    agent.destroy();
    caught.on = false;
    // The whole answer by digest, and the sites it calls verified clear: what a change to the queries must keep.
    out.answerSha256 = createHash("sha256").update(answer.body).digest("hex");
    out.verifiedClearSites = JSON.parse(answer.body.toString()).organizations.flatMap((x) =>
      x.sites.filter((y) => y.verifiedClear),
    ).length;
    out.statements = caught.calls.length;
    out.queries = await explainAll(caught.query, caught.calls);
    for (const x of out.queries)
      log(`  ${x.name.padEnd(28)} x${x.count} alone ${x.aloneMs} ms, EXPLAIN ${x.executionMs} ms`);
    const b = out.browser;
    out.meetsBar = b.cold.renderedMs < BAR_MS && b.warm.rendered.worst < BAR_MS;
    out.loadAverage.end = load();
    return out;
  } finally {
    await app?.close();
    await inv?.close();
  }
}

/** Fill, then measure, for one backend; its database or directory is removed. */
async function runBackend(kind, o) {
  const out = { backend: kind };
  let dir;
  let url = null;
  if (kind === "pglite") dir = mkdtempSync(join(tmpdir(), "camsweep-bench-web-"));
  else {
    url = dbUrl(o, o.database);
    await admin(o, `DROP DATABASE IF EXISTS ${o.database}`);
    await admin(o, `CREATE DATABASE ${o.database}`);
  }
  const open = () =>
    openInventory(dir ? join(dir, "data") : "/nonexistent-unused", {
      databaseUrl: url,
      audit: { actor: "bench-web" },
    });
  try {
    log(`${kind}: filling with ${o.devices.toLocaleString("en")} devices ...`);
    const inv = await open();
    try {
      const filled = await fill(inv, { devices: o.devices, log });
      out.fill = { seconds: filled.seconds, counts: filled.counts, sizesMiB: await sizes(inv.db) };
      if (kind === "postgres") {
        const { rows } = await inv.db.query(
          "SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS shared_buffers",
        );
        out.postgres = rows[0];
      }
    } finally {
      await inv.close();
    }
    log(`${kind}: as it is`);
    out.asIs = await served(open, o);
    return out;
  } finally {
    if (o.keep) log(`kept ${dir ? join(dir, "data") : url}`);
    else if (dir) rmSync(dir, { recursive: true, force: true });
    else await admin(o, `DROP DATABASE IF EXISTS ${o.database}`);
  }
}

async function main() {
  const o = options(process.argv.slice(2));
  const result = {
    date: new Date().toISOString(),
    commit: git("rev-parse", "--short", "HEAD"),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    options: o,
    barMs: BAR_MS,
    backends: [],
  };
  const kinds = o.backend === "both" ? ["pglite", "postgres"] : [o.backend];
  for (const k of kinds) result.backends.push(await runBackend(k, o));
  const text = JSON.stringify(result, null, 1);
  if (o.out) writeFileSync(o.out, `${text}\n`);
  else process.stdout.write(`${text}\n`);
}

main().catch((e) => {
  log(`bench/web: ${e.stack ?? e}`);
  process.exit(1);
});
