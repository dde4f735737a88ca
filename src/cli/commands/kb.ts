import { formatAccuracy, measureCorpus } from "../../accuracy/index.js";
import { verifyKnowledge } from "../../identify/index.js";
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
