import { parse, type CsvError, type Options } from "csv-parse/sync";
import { DELIMITERS, LENIENT_CSV } from "../../imports/formats/csv.js";
import { InputError } from "../../shared/errors.js";
import { HEADER_SCAN, blank, type RawRow } from "./table.js";
import { lineList } from "./text.js";

/**
 * A procurement list as CSV text (already decoded, text.ts) -> its rows. Fields are text and stay text: nothing is
 * cast, a cell starting with "=" is not a formula to anyone here.
 */

/** How much of the top the delimiter is sniffed from. */
const SNIFF_CHARS = 64 * 1024;

/**
 * The delimiter the table uses: of comma, semicolon (French Excel), tab and pipe, the one whose count per line
 * (outside double quotes) is the same on the most of the first lines, the larger count breaking a tie. Counting
 * several lines, not only the first, copes with a title above the table and with commas inside descriptions of a
 * semicolon file; asset lists' sniffDelimiter (src/imports/formats/csv.ts) reads only the first line, which here
 * is often a title. Comma when no line has any (a one-column list).
 */
export function sniffDelimiter(text: string): string {
  const perLine: Record<string, number>[] = [];
  let cur: Record<string, number> = {};
  let content = false;
  let quoted = false;
  const end = Math.min(text.length, SNIFF_CHARS);
  for (let i = 0; i < end && perLine.length < HEADER_SCAN * 2; i++) {
    const c = text[i] as string;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) {
      if (content || Object.keys(cur).length) perLine.push(cur);
      cur = {};
      content = false;
    } else if (!quoted && (DELIMITERS as readonly string[]).includes(c)) cur[c] = (cur[c] ?? 0) + 1;
    else if (c.trim()) content = true;
  }
  if (content || Object.keys(cur).length) perLine.push(cur);
  let best = ",";
  let bestFreq = 0;
  let bestMode = 0;
  for (const d of DELIMITERS) {
    const tally = new Map<number, number>();
    for (const l of perLine) if (l[d]) tally.set(l[d] as number, (tally.get(l[d] as number) ?? 0) + 1);
    for (const [mode, freq] of tally)
      if (freq > bestFreq || (freq === bestFreq && mode > bestMode)) {
        best = d;
        bestFreq = freq;
        bestMode = mode;
      }
  }
  return best;
}

interface Parsed {
  record: string[];
  raw?: string;
}

const breaks = (s: string) => s.match(/\r\n|\n|\r/g)?.length ?? 0;

/**
 * The rows of CSV text, blank ones dropped, each with the line it starts on. A record csv-parse cannot read (an
 * unclosed quote) is skipped and warned about by line. Stops with an InputError once the rows exceed what
 * `maxRows` lines under a header near the top can be (buildTable reports the exact line over).
 */
export function csvRows(
  text: string,
  file: string,
  maxRows: number,
): { rows: RawRow[]; delimiter: string; warnings: string[] } {
  const delimiter = sniffDelimiter(text);
  const skipped: number[] = [];
  const rows: RawRow[] = [];
  const limit = maxRows + HEADER_SCAN;
  // Line numbers are counted here from each record's raw text, which holds everything read since the record before
  // (blank lines skipped, the record's own quoted line breaks, its end of line): csv-parse's own count is off after
  // a CRLF inside quotes.
  let consumed = 0;
  const startLine = (raw: string | undefined): number => {
    const start = consumed + breaks(/^[\r\n]*/.exec(raw ?? "")?.[0] ?? "") + 1;
    consumed += breaks(raw ?? "");
    return start;
  };
  try {
    parse(text, {
      delimiter,
      ...LENIENT_CSV,
      on_skip: (_err: CsvError | undefined, raw: string | undefined) => {
        skipped.push(startLine(raw));
        return undefined;
      },
      on_record: (record: unknown) => {
        const p = record as Parsed;
        const row: RawRow = { line: startLine(p.raw), cells: p.record, fields: p.record.length };
        if (blank(row)) return null;
        if (rows.length >= limit)
          throw new InputError(
            `over ${maxRows.toLocaleString("en-US")} rows to screen: split the list`,
            file,
            row.line,
          );
        rows.push(row);
        return null;
      },
    } as Options);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const err = e as CsvError & { lines?: number };
    throw new InputError(`not readable as CSV (${err.code ?? err.message})`, file, err.lines);
  }
  const warnings = skipped.length
    ? [
        `not readable as CSV on line${skipped.length > 1 ? "s" : ""} ${lineList(skipped)} (a stray or unclosed quote?): skipped`,
      ]
    : [];
  return { rows, delimiter, warnings };
}
