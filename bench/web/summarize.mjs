// Prints a result of bench/web/bench.mjs as the tables of docs/benchmarks.md.
import { readFileSync } from "node:fs";

const r = JSON.parse(readFileSync(process.argv[2], "utf8"));
const n = (x) => (x === null || x === undefined ? "" : Number(x).toLocaleString("en"));
const yes = (ok) => (ok ? "yes" : "**no**");
const runs = r.backends.map((b) => [b.backend, r.commit, b.asIs]);
console.log(`${r.date} ${r.commit} ${r.options.devices.toLocaleString("en")} devices, bar ${r.barMs} ms\n`);
console.log(
  "| backend | code | cold: rendered (overview answered) ms | warm ×N: median / worst ms | in-app click: median / worst ms | API p50 / p95 ms (requests) | under 1 s |",
);
console.log("|---|---|---|---|---|---|---|");
for (const [backend, code, x] of runs) {
  const b = x.browser;
  console.log(
    `| ${backend} | ${code} | ${n(b.cold.renderedMs)} (${n(b.cold.overviewResponseMs)}) | ` +
      `${n(b.warm.rendered.median)} / ${n(b.warm.rendered.worst)} | ${n(b.inApp.median)} / ${n(b.inApp.worst)} | ` +
      `${n(x.api.p50)} / ${n(x.api.p95)} (${x.api.requests}) | ${yes(x.meetsBar)} |`,
  );
}
for (const [backend, code, x] of runs) {
  console.log(`\n${backend}, ${code}: ${x.statements} statements per overview\n`);
  console.log("| query | runs | alone ms (each) | EXPLAIN ms |");
  console.log("|---|---|---|---|");
  for (const q of x.queries)
    console.log(`| ${q.name} | ${q.count} | ${n(q.aloneMs)} | ${n(q.executionMs)} |`);
}
