// Prints an API benchmark result (bench/results/api-<N>.json) as Markdown tables: the fill, then each case's
// latency with 1 client and with C, the SQL's own time, and whether it meets the bar; then any index trials.
//   node bench/api/summarize.mjs bench/results/api-1000000.json
import { readFileSync } from "node:fs";

const r = JSON.parse(readFileSync(process.argv[2], "utf8"));
const n = (x) => (x === undefined || x === null ? "" : x.toLocaleString("en"));
const lines = [];
const f = r.fill;
lines.push(
  `${n(r.options.devices)} devices, ${f.sites.length - 1} sites; PostgreSQL ${r.postgres.version} ` +
    `(shared_buffers ${r.postgres.shared_buffers}); ${r.machine.cpus} × ${r.machine.cpu}; Node ${r.machine.node}; ` +
    `commit ${r.commit}; load average at start ${r.loadAverage.start.join(", ")}, at end ${r.loadAverage.end?.join(", ")}`,
  "",
);
if (f.seconds)
  lines.push(
    `Fill: ${f.seconds.total} s (organizations, sites, users ${f.seconds.ownersAndTokens} s; devices ` +
      `${f.seconds.insert} s; indexes ${f.seconds.indexes} s; verdicts and workflow ${f.seconds.verdictsAndWorkflow} s; ` +
      `vacuum analyze ${f.seconds.vacuumAnalyze} s)`,
    "",
  );
const bar = (p95) => (p95 < r.barP95Ms ? "yes" : "**no**");
const table = (cases) => {
  const c = r.options.clients;
  lines.push(
    `| case | devices | 1 client p50 / p95 / p99 ms | req/s | ${c} clients p50 / p95 / p99 ms | req/s | SQL ms | ` +
      `p95 < ${r.barP95Ms} ms (1 / ${c}) |`,
    "|---|---|---|---|---|---|---|---|",
  );
  for (const x of cases.filter((c) => !c.skipped)) {
    const s = x.sequential;
    const k = x.concurrent;
    lines.push(
      `| ${x.name} | ${x.what} | ${s.p50} / ${s.p95} / ${s.p99} | ${n(s.perSecond)} | ${k.p50} / ${k.p95} / ${k.p99} | ` +
        `${n(k.perSecond)} | ${x.explain?.executionMs ?? ""} | ${bar(s.p95)} / ${bar(k.p95)} |`,
    );
  }
};
table(r.cases);
for (const x of r.cases.filter((c) => c.skipped)) lines.push("", `${x.name}: skipped (${x.skipped}).`);
for (const x of r.cases.filter((c) => c.walk))
  lines.push(
    "",
    `Walking to ${x.name}: ${x.walk.reached} pages in ${x.walk.seconds} s (${x.walk.pagesPerSecond} pages/s).`,
  );
for (const t of r.trials ?? []) {
  lines.push("", `With \`${t.sql.join("; ")}\` (built in ${t.buildSeconds} s):`, "");
  table(t.cases);
}
console.log(lines.join("\n"));
