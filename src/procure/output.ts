import { safeCell, toCsv } from "../report/exports/cells.js";
import { forTerminal } from "../report/escape.js";
import { columns } from "../shared/columns.js";
import type { LineFields } from "./evidence.js";
import type { ScreenResult } from "./screen.js";

/**
 * A screening's three outputs: a table for a person, JSON Lines for a pipeline, and the purchase order itself as CSV
 * with the verdict columns added. Every cell of the file written back is made inert (a leading ' before = + - @):
 * a purchase order's cells are someone else's text, and a formula in one is never handed on executable.
 */

export interface ScreenedLine {
  /** 1-based line or row in the file; 0 for a --product string */
  line: number;
  sheet?: string;
  input: LineFields;
  /** the file's own cells, by header (CSV output keeps them) */
  cells?: Record<string, string>;
  result: ScreenResult;
}

export const VERDICT_COLUMNS = [
  "camsweep_verdict",
  "camsweep_reason",
  "camsweep_maker",
  "camsweep_brand",
  "camsweep_relation",
  "camsweep_confidence",
  "camsweep_policies",
  "camsweep_evidence",
  "camsweep_sources",
] as const;

const sourceText = (s: unknown) =>
  typeof s === "string"
    ? s
    : Object.values(s as Record<string, string>)
        .filter(Boolean)
        .join(" ");

function verdictCells(r: ScreenResult): string[] {
  return [
    r.verdict,
    r.reason,
    r.maker ?? "",
    r.brand ?? "",
    r.relation,
    r.confidence.toFixed(2),
    r.policies.map((p) => `${p.id}${p.binding ? "" : " (advice)"}`).join("; "),
    r.evidence.map((e) => `${e.kind} ${e.field} "${e.text}": ${e.says}`).join(" | "),
    [...new Set(r.evidence.flatMap((e) => e.sources.map(sourceText)))].join(" | "),
  ];
}

/** The file's own columns, then the verdict's: a CSV a spreadsheet opens safely. */
export function screenedCsv(headers: readonly string[], lines: readonly ScreenedLine[]): string {
  const own = headers.length ? headers : ["product"];
  const rows = lines.map((l) => [
    ...own.map((h) => safeCell(l.cells ? (l.cells[h] ?? "") : (l.input.text ?? ""), 4000)),
    ...verdictCells(l.result).map((c) => safeCell(c, 8000)),
  ]);
  return toCsv([[...own.map((h) => safeCell(h)), ...VERDICT_COLUMNS], ...rows]);
}

export function screenedJsonLines(file: string | null, lines: readonly ScreenedLine[]): string {
  return lines
    .map((l) =>
      JSON.stringify({
        ...(file ? { file } : {}),
        line: l.line,
        ...(l.sheet ? { sheet: l.sheet } : {}),
        input: l.input,
        ...l.result,
      }),
    )
    .join("\n");
}

/** What a purchase line buys, in one line of text: its maker, brand, model, SKU, description and free text. */
export const productText = (i: LineFields) =>
  [i.manufacturer, i.brand, i.model, i.sku, i.description, i.text].filter(Boolean).join(" ");

/** Lines by verdict. */
export function verdictCounts(lines: readonly ScreenedLine[]) {
  const n = (v: string) => lines.filter((l) => l.result.verdict === v).length;
  return { prohibited: n("prohibited"), needsAttestation: n("needs-attestation"), clear: n("clear") };
}

export function screenedTable(lines: readonly ScreenedLine[]): string {
  return columns(
    ["LINE", "VERDICT", "MAKER", "RELATION", "PRODUCT", "WHY"],
    lines.map((l) => [
      String(l.line),
      l.result.verdict,
      forTerminal(l.result.maker ?? "-", 14),
      l.result.relation,
      forTerminal(productText(l.input), 40),
      forTerminal(l.result.reason, 160),
    ]),
  );
}

/** "3 lines: 1 prohibited, 1 needs attestation, 1 clear". */
export function screenedSummary(lines: readonly ScreenedLine[]): string {
  const n = verdictCounts(lines);
  return `${lines.length} line(s): ${n.prohibited} prohibited, ${n.needsAttestation} needing attestation, ${n.clear} clear`;
}
