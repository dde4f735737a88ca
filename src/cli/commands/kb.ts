import { formatAccuracy, measureCorpus } from "../../accuracy/index.js";
import { verifyKnowledge } from "../../identify/index.js";
import { formatScore, loadProcurementCorpus, scoreCorpus } from "../../procure/corpus.js";
import { loadScreenKnowledge } from "../../procure/index.js";
import { packagePath } from "../../shared/paths.js";
import { err, out } from "../output.js";

export async function kbVerifyCommand(dir?: string): Promise<number> {
  const issues = verifyKnowledge(dir);
  for (const i of issues) err(`${i.file}${i.rule ? ` [${i.rule}]` : ""}: ${i.message}`);
  out(issues.length ? `${issues.length} problems` : "knowledge base OK");
  return issues.length ? 1 : 0;
}

/** Measures, never fails on a miss: the figures are the output. Bad corpus files are errors (exit 2). */
export async function kbAccuracyCommand(paths: string[], flags: { json?: boolean }): Promise<number> {
  const report = measureCorpus(paths.length ? paths : [packagePath("corpus")]);
  if (flags.json) {
    const { misses, unexplained, staleKnown, ...figures } = report;
    const brief = (r: (typeof misses)[number]) => ({
      id: r.id,
      file: r.file,
      silent: r.silent,
      toCheck: r.identification.suspected.length > 0,
      known: r.known,
      mismatches: r.mismatches,
    });
    out(
      JSON.stringify({
        ...figures,
        misses: misses.map(brief),
        unexplained: unexplained.length,
        staleKnown: staleKnown.map((s) => s.id),
      }),
    );
  } else out(formatAccuracy(report));
  return 0;
}

/** The procurement screen against its corpus: as purchase lines, and the listing string alone. */
export async function kbScreenAccuracyCommand(
  dir: string | undefined,
  flags: { json?: boolean },
): Promise<number> {
  const knowledge = loadScreenKnowledge({});
  const cases = loadProcurementCorpus(
    dir ?? packagePath("corpus/procurement"),
    new Set(knowledge.kb.manufacturers.map((m) => m.slug)),
  );
  const ctx = { ...knowledge, organization: null, lists: [] };
  const line = scoreCorpus(ctx, cases);
  const text = scoreCorpus(ctx, cases, { textOnly: true });
  if (flags.json) {
    const brief = (s: typeof text) => ({
      cases: s.cases,
      recall: s.recall,
      precision: s.precision,
      confusion: s.confusion,
      wrong: s.wrong.map((o) => ({
        id: o.case.id,
        expect: o.case.expect,
        got: o.result.verdict,
        reason: o.result.reason,
      })),
    });
    out(JSON.stringify({ line: brief(line), text: brief(text) }));
  } else
    out(
      [
        formatScore("As purchase lines (the string as found, with its source's other columns)", line),
        "",
        formatScore("The string alone", text),
      ].join("\n"),
    );
  return 0;
}
