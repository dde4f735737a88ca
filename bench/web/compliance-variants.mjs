// complianceBySite (src/inventory/assessments.ts), the overview's costliest query once sweptSince is fixed, timed
// as it is and in the forms proposed in bench/web/RESULTS.md, on a filled inventory of N devices:
//   V0 as it is; V1 the same with JIT off (PostgreSQL); V2 the exceptions aggregated once and joined instead of
//   three EXISTS per device (same rows, checked); V3 V2 aggregated per site_id first (the sites joined after).
//   node bench/web/compliance-variants.mjs [--devices 100000] [--pg postgres://postgres@127.0.0.1:5432]
// Without --pg: PGlite in a temporary directory. With it: a database camsweep_bench_web_variants, dropped after.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openInventory } from "../../dist/inventory/index.js";
import { gatherSummary } from "../../dist/report/document/gather.js";
import { fill } from "./fill.mjs";
import { spy } from "./queries.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : process.argv[i + 1];
};
const devices = Number(arg("--devices", "100000"));
const server = arg("--pg", null);
if (server && !["127.0.0.1", "localhost", "[::1]"].includes(new URL(server).hostname))
  throw new Error("--pg must name a loopback server");
const DB = "camsweep_bench_web_variants";

const EXCEPTED =
  /EXISTS \(SELECT 1 FROM exceptions e WHERE e\.device_id = d\.id AND e\.state = 'approved'\s+AND e\.expires_on >= \$1\)/g;
const LAPSED =
  /EXISTS \(SELECT 1 FROM exceptions e WHERE e\.device_id = d\.id AND \(e\.state = 'expired'\s+OR \(e\.state = 'approved' AND e\.expires_on < \$1\)\)\)/g;
const JOINED = `LEFT JOIN remediation r ON r.device_id = d.id LEFT JOIN (SELECT device_id,
  bool_or(state = 'approved' AND expires_on >= $1) AS excepted,
  bool_or(state = 'expired' OR (state = 'approved' AND expires_on < $1)) AS lapsed
  FROM exceptions GROUP BY device_id) x ON x.device_id = d.id`;
/** V2: one pass over the exceptions, hash-joined, in place of the correlated EXISTS. */
const joined = (sql) =>
  sql
    .replace(EXCEPTED, "COALESCE(x.excepted, false)")
    .replace(LAPSED, "COALESCE(x.lapsed, false)")
    .replace("LEFT JOIN remediation r ON r.device_id = d.id", () => JOINED);
/** V3: the devices' counts per site_id (from the statement for the siteless), to be joined to the sites after. */
const perSite = (sql) =>
  sql
    .replace(/SELECT NULL AS org_id,[\s\S]*?NULL AS criticality,/, "SELECT d.site_id,")
    .replace("WHERE d.site_id IS NULL", "GROUP BY d.site_id");

async function admin(sql) {
  const c = new pg.Client({ connectionString: `${server.replace(/\/+$/, "")}/postgres` });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const dir = server ? null : mkdtempSync(join(tmpdir(), "camsweep-bench-web-variants-"));
if (server) {
  await admin(`DROP DATABASE IF EXISTS ${DB}`);
  await admin(`CREATE DATABASE ${DB}`);
}
const inv = await openInventory(dir ? join(dir, "data") : "/nonexistent-unused", {
  databaseUrl: server ? `${server.replace(/\/+$/, "")}/${DB}` : null,
});
try {
  await fill(inv, { devices, log: (s) => process.stderr.write(`${s}\n`) });
  const s = spy(inv.db);
  s.on = true;
  await gatherSummary(inv, { organizationId: null, today: new Date().toISOString().slice(0, 10) });
  s.on = false;
  const main = s.calls.find((c) => c.name === "complianceBySite");
  const loose = s.calls.find((c) => c.name === "complianceBySite (no site)");
  // Each variant on one connection (a transaction), so that SET LOCAL holds for all its runs.
  const time = (label, sql, params, setup) =>
    inv.db.transaction(async (tx) => {
      if (setup) await tx.query(setup);
      const t = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await tx.query(sql, params);
        t.push(performance.now() - t0);
      }
      const { rows } = await tx.query(`EXPLAIN ${sql}`, params);
      const cost = /cost=[\d.]+\.\.([\d.]+)/.exec(rows[0]["QUERY PLAN"])?.[1];
      t.sort((a, b) => a - b);
      console.log(`${label.padEnd(40)} median ${t[2].toFixed(1)} ms (planner's cost ${cost})`);
    });
  await time("V0 as it is", main.sql, main.params);
  if (server) await time("V1 as it is, SET LOCAL jit = off", main.sql, main.params, "SET LOCAL jit = off");
  await time("V2 exceptions joined", joined(main.sql), main.params);
  await time("V3 V2 per site_id", perSite(joined(loose.sql)), loose.params);
  const rows = async (sql) => JSON.stringify((await s.query(sql, main.params)).rows);
  console.log(`V2 gives the same rows as V0: ${(await rows(main.sql)) === (await rows(joined(main.sql)))}`);
} finally {
  await inv.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  else await admin(`DROP DATABASE IF EXISTS ${DB}`);
}
