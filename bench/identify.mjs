// Identification throughput on one core: observations identified per second, and the cost per device as the
// knowledge base grows. Input: the real captures of corpus/ (docs/corpus.md), replayed as many devices.
// Usage (after `npm run build`): taskset -c 0 node bench/identify.mjs [--devices 20000] [--json]
//   [--observations FILE.jsonl] (replay saved observations, grouped by target, instead of the corpus) [--no-growth]
import { loadKnowledge, identify } from "../dist/identify/index.js";
import { loadCorpus, caseObservations } from "../dist/accuracy/index.js";
import { compileRule } from "../dist/knowledge/compile.js";
import { packagePath } from "../dist/shared/paths.js";
import { readObservationsFile } from "../dist/observations/index.js";

const args = process.argv.slice(2);
const devices = Number(args[args.indexOf("--devices") + 1]) || 20000;
const json = args.includes("--json");
const obsFile = args.includes("--observations") ? args[args.indexOf("--observations") + 1] : undefined;

const kb = loadKnowledge();
let groups;
let source;
if (obsFile) {
  const byTarget = new Map();
  for (const o of await readObservationsFile(obsFile)) {
    const k = o.target ?? "";
    if (!byTarget.has(k)) byTarget.set(k, []);
    byTarget.get(k).push(o);
  }
  groups = [...byTarget.values()];
  source = `${groups.length} scanned hosts`;
} else {
  const cases = loadCorpus([packagePath("corpus")]);
  groups = cases.map((c) => caseObservations(c));
  source = `${cases.length} real captures`;
}
const perDevice = groups.reduce((n, g) => n + g.length, 0) / groups.length;

/**
 * A knowledge base `factor` times the size of the bundled one. Extra rules are copies of real rules (same parts,
 * same regex shape) in their own files, with a literal prefix no device sends, so they are tried and fail as most
 * rules do on most parts; shrinking keeps the first rules of every part.
 */
function scaled(factor) {
  if (factor <= 1) {
    const keep = Math.max(1, Math.round(kb.rules.length * factor));
    return { ...kb, rules: kb.rules.slice(0, keep) };
  }
  const rules = [...kb.rules];
  for (let copy = 1; rules.length < kb.rules.length * factor; copy++) {
    for (const r of kb.rules) {
      if (rules.length >= kb.rules.length * factor) break;
      const rule = {
        ...r.rule,
        id: `${r.rule.id}.x${copy}`,
        pattern: `zz${copy}q${r.rule.pattern.replace(/^\^/, "")}`,
        requires: undefined,
      };
      rules.push(compileRule(rule, `${r.file}#x${copy}`, rules.length));
    }
  }
  return { ...kb, rules };
}

function run(k, n) {
  let observations = 0;
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const g = groups[i % groups.length];
    identify(g, k);
    observations += g.length;
  }
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  return { devices: n, observations, seconds: s, obsPerSec: observations / s, usPerDevice: (s / n) * 1e6 };
}

run(kb, Math.max(5000, devices)); // warm-up as long as the run: JIT tiers, the lazily loaded OUI registry
const main = run(kb, devices);
const growth = (args.includes("--no-growth") ? [] : [0.25, 0.5, 1, 2, 4, 8]).map((f) => {
  const k = scaled(f);
  run(k, 500);
  const r = run(k, Math.max(2000, Math.round(devices / 4)));
  return { factor: f, rules: k.rules.length, usPerDevice: r.usPerDevice, obsPerSec: r.obsPerSec };
});
const result = {
  node: process.version,
  input: source,
  observationsPerDevice: Number(perDevice.toFixed(2)),
  rules: kb.rules.length,
  ...main,
  growth,
};
if (json) console.log(JSON.stringify(result));
else {
  console.log(
    `${main.observations} observations (${main.devices} devices from ${source}) in ${main.seconds.toFixed(2)} s`,
  );
  console.log(
    `=> ${Math.round(main.obsPerSec)} observations/s, ${main.usPerDevice.toFixed(1)} µs per device, ${kb.rules.length} rules`,
  );
  if (growth.length) console.log("knowledge-base growth (rules -> µs per device):");
  for (const g of growth)
    console.log(
      `  x${g.factor}  ${String(g.rules).padStart(5)} rules  ${g.usPerDevice.toFixed(1)} µs  ${Math.round(g.obsPerSec)} obs/s`,
    );
}
