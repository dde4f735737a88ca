import { identify, partsOf } from "../identify/index.js";
import type { Observation } from "../observations/observation.js";
import type { KnowledgeBase } from "../knowledge/load.js";
import { forTerminal } from "../report/escape.js";
import { caseObservations, loadCorpus, type CorpusCase } from "./corpus.js";
import { compareCase, summarize, type AccuracyReport, type CaseResult, type Rate } from "./evaluate.js";

export { loadCorpus, parseCorpusFile, caseObservations, type CorpusCase } from "./corpus.js";
export { compareCase, summarize, type AccuracyReport, type CaseResult, type Mismatch } from "./evaluate.js";

/** Parts that carry nothing the device said: nmap's service name guessed from the port number. */
const SILENT_PARTS = new Set(["nmap.service"]);

/** A capture of open port numbers only (no reply, banner, product, MAC or name) cannot name any maker. */
export function silentCapture(observations: Observation[]): boolean {
  return observations.every((o, i) => partsOf(o, i).every((p) => SILENT_PARTS.has(p.name)));
}

/** Identify every case and compare it with what its source states. */
export function evaluateCases(cases: CorpusCase[], kb?: KnowledgeBase): CaseResult[] {
  return cases.map((c) => {
    const obs = caseObservations(c);
    return compareCase(c, identify(obs, kb), silentCapture(obs));
  });
}

export function measureCorpus(paths: string[], kb?: KnowledgeBase): AccuracyReport {
  return summarize(evaluateCases(loadCorpus(paths), kb));
}

function pct(r: Rate): string {
  return r.rate === null ? "n/a" : `${(r.rate * 100).toFixed(1)}% (${r.hit}/${r.of})`;
}
const shown = (v: string | boolean | null) => (v === null ? "null" : forTerminal(String(v), 80));

/** The human report `camsweep kb accuracy` prints. Device text is escaped. */
export function formatAccuracy(r: AccuracyReport): string {
  const lines = [
    `corpus: ${r.cases} cases`,
    `restricted recall:     ${pct(r.restrictedRecall)}`,
    `restricted precision:  ${pct(r.restrictedPrecision)}`,
    `  without ${r.cases - r.informative.cases} silent captures (port numbers only): recall ${pct(r.informative.restrictedRecall)}, precision ${pct(r.informative.restrictedPrecision)}`,
    `  counting "to check" (restricted maker suspected) as flagged: recall ${pct(r.withCheck.restrictedRecall)}, precision ${pct(r.withCheck.restrictedPrecision)}`,
    `manufacturer accuracy: ${pct(r.manufacturer)}`,
    `brand accuracy:        ${pct(r.brand)}`,
    `device type accuracy:  ${pct(r.deviceType)}`,
    `model extraction:      ${pct(r.model)}`,
    `firmware extraction:   ${pct(r.firmware)}`,
    `serial extraction:     ${pct(r.serial)}`,
    "",
    "by signal: " +
      Object.entries(r.bySignal)
        .map(([s, v]) => `${s} ${v.cases - v.misses}/${v.cases}`)
        .join(", "),
  ];
  if (r.misses.length) {
    lines.push("", `misses (${r.misses.length}, ${r.unexplained.length} unexplained):`);
    for (const m of r.misses) {
      const what = m.mismatches
        .map((x) => `${x.field} expected ${shown(x.expected)} got ${shown(x.got)}`)
        .join("; ");
      const tags = [
        m.silent ? "silent capture" : "",
        m.identification.suspected.length ? "to check" : "",
      ].filter(Boolean);
      lines.push(`  ${m.id} (${m.file})${tags.length ? ` [${tags.join(", ")}]` : ""}: ${what}`);
      lines.push(`    ${m.known ? `known: ${forTerminal(m.known, 200)}` : "UNEXPLAINED"}`);
    }
  }
  if (r.staleKnown.length)
    lines.push(
      "",
      `marked known but now right (remove the mark): ${r.staleKnown.map((s) => s.id).join(", ")}`,
    );
  return lines.join("\n");
}
