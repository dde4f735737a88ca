import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { InputError } from "../shared/errors.js";
import { listFiles } from "../shared/files.js";
import type { LineFields } from "./evidence.js";
import type { LineVerdict, ScreenContext, ScreenResult } from "./screen.js";
import { screenLine } from "./screen.js";

/**
 * The procurement corpus (corpus/procurement, docs/procurement-corpus.md): real listing strings, each labelled with
 * what a procurement officer should be told and cited to where it was found. Loading checks every case; scoring
 * screens each one and counts what the screen got right, with every miss listed for the record (docs/accuracy.md).
 */

const COVERED = ["hikvision", "dahua", "huawei", "zte", "hytera"];
const Text = z.string().trim().min(1);

const SourceSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).optional(),
    repo: z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, "owner/name")
      .optional(),
    path: Text.optional(),
    index_id: z
      .string()
      .regex(/^\d{1,12}$/, "the search index's numeric file id")
      .optional(),
    title: Text,
    kind: z.enum(["retail", "distributor", "manufacturer", "government", "fcc", "press", "forum", "code"]),
  })
  .strict()
  .refine((s) => (s.repo === undefined) === (s.path === undefined), { message: "repo and path go together" })
  .refine((s) => s.url || s.repo || s.index_id, {
    message: "a source needs a url, a repo and path, or an index_id",
  });

export const ProcurementCaseSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
    text: z.string().min(1).max(500),
    fields: z
      .object({ manufacturer: Text, brand: Text, model: Text, sku: Text, description: Text })
      .partial()
      .strict()
      .optional(),
    expect: z.enum(["prohibited", "needs-attestation", "clear"]),
    maker: z.string().min(1).nullable(),
    relation: z.enum(["own", "sub-brand", "oem-relabel", "model-pattern", "component", "none"]),
    component: z.enum(["hisilicon", "huawei", "zte"]).optional(),
    source: SourceSchema,
    basis: Text.optional(),
    note: Text.optional(),
  })
  .strict()
  // The label and the relation tell one story.
  .refine((c) => c.expect !== "prohibited" || (c.maker !== null && COVERED.includes(c.maker)), {
    message: "a prohibited case names a covered maker",
  })
  .refine((c) => c.expect !== "clear" || c.relation === "none", {
    message: "a clear case's relation is none",
  })
  .refine((c) => (c.relation === "component") === (c.component !== undefined), {
    message: "relation component and the component field go together",
  })
  .refine((c) => c.expect !== "needs-attestation" || c.basis || c.note, {
    message: "a needs-attestation case says why (basis or note)",
  });
export type ProcurementCase = z.output<typeof ProcurementCaseSchema> & { file: string };

export function loadProcurementCorpus(dir: string, makers: ReadonlySet<string>): ProcurementCase[] {
  const cases: ProcurementCase[] = [];
  const ids = new Map<string, string>();
  const texts = new Map<string, string>();
  for (const path of listFiles(dir, /\.ya?ml$/)) {
    const file = basename(path);
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(path, "utf8"));
    } catch (e) {
      throw new InputError(`not valid YAML: ${(e as Error).message.split("\n")[0]}`, path);
    }
    const list = z.object({ cases: z.array(z.unknown()) }).safeParse(doc);
    if (!list.success) throw new InputError("expected a top-level 'cases' list", path);
    list.data.cases.forEach((raw, i) => {
      const r = ProcurementCaseSchema.safeParse(raw);
      const where = `case ${i}${(raw as { id?: string })?.id ? ` (${(raw as { id: string }).id})` : ""}`;
      if (!r.success)
        throw new InputError(
          `${where}: ${r.error.issues.map((x) => `${x.path.join(".") || "(case)"}: ${x.message}`).join("; ")}`,
          path,
        );
      if (r.data.maker !== null && !makers.has(r.data.maker))
        throw new InputError(
          `${where}: maker ${r.data.maker} is not in knowledge/vocabulary/manufacturers.yaml`,
          path,
        );
      const prev = ids.get(r.data.id) ?? texts.get(r.data.text);
      if (prev) throw new InputError(`${where}: its id or text is also in ${prev}`, path);
      ids.set(r.data.id, file);
      texts.set(r.data.text, `${file} (${r.data.id})`);
      cases.push({ ...r.data, file });
    });
  }
  return cases;
}

export interface CaseOutcome {
  case: ProcurementCase;
  result: ScreenResult;
}

export interface CorpusScore {
  cases: number;
  /** expected label -> screen's verdict -> count */
  confusion: Record<LineVerdict, Record<LineVerdict, number>>;
  /** of lines labelled prohibited, the share the screen called prohibited */
  recall: number;
  /** of lines the screen called prohibited, the share labelled prohibited */
  precision: number;
  /** lines a procurement officer would have let through: labelled prohibited or needs-attestation, screened clear */
  missed: CaseOutcome[];
  /** every line whose verdict differs from its label */
  wrong: CaseOutcome[];
}

const VERDICTS: readonly LineVerdict[] = ["prohibited", "needs-attestation", "clear"];

/**
 * The listing as a purchase line gives it: the string as found in the description, and, when the source was a
 * table, its other columns (a brand or model column the string itself does not repeat).
 */
export const caseInput = (c: ProcurementCase): LineFields => ({ text: c.text, ...(c.fields ?? {}) });

/** `textOnly`: the string as found and nothing else, to see what the columns add. */
export function scoreCorpus(
  ctx: ScreenContext,
  cases: readonly ProcurementCase[],
  o: { textOnly?: boolean } = {},
): CorpusScore {
  const confusion = Object.fromEntries(
    VERDICTS.map((v) => [v, Object.fromEntries(VERDICTS.map((w) => [w, 0]))]),
  ) as CorpusScore["confusion"];
  const outcomes = cases.map((c) => ({
    case: c,
    result: screenLine(ctx, o.textOnly ? { text: c.text } : caseInput(c)),
  }));
  for (const o of outcomes) confusion[o.case.expect][o.result.verdict]++;
  const tp = confusion.prohibited.prohibited;
  const called = VERDICTS.reduce((n, v) => n + confusion[v].prohibited, 0);
  const labelled = VERDICTS.reduce((n, v) => n + confusion.prohibited[v], 0);
  return {
    cases: cases.length,
    confusion,
    recall: labelled ? tp / labelled : 1,
    precision: called ? tp / called : 1,
    missed: outcomes.filter((o) => o.case.expect !== "clear" && o.result.verdict === "clear"),
    wrong: outcomes.filter((o) => o.case.expect !== o.result.verdict),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The figures as docs/accuracy.md records them, with every line screened otherwise than labelled. */
export function formatScore(title: string, s: CorpusScore): string {
  const rows = VERDICTS.map(
    (v) => `  ${v.padEnd(18)} ${VERDICTS.map((w) => String(s.confusion[v][w]).padStart(17)).join(" ")}`,
  );
  return [
    `${title}: ${s.cases} lines`,
    `  prohibited: recall ${pct(s.recall)}, precision ${pct(s.precision)}`,
    `  ${"label \\ screen".padEnd(18)} ${VERDICTS.map((w) => w.padStart(17)).join(" ")}`,
    ...rows,
    ...(s.wrong.length ? ["  screened otherwise than labelled:"] : []),
    ...s.wrong.map(
      (o) => `    ${o.case.id} (${o.case.file}): ${o.case.expect} -> ${o.result.verdict}: ${o.result.reason}`,
    ),
  ].join("\n");
}
