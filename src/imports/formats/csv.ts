import { parse, type CsvError } from "csv-parse";
import { InputError } from "../../shared/errors.js";
import type { ImportFormat, ImportItem, ImportReadOptions } from "../record.js";
import { assetItem, mapColumns, type ColumnMap } from "./asset-columns.js";
import { decodedText, detectEncoding, type DetectedEncoding } from "./asset-text.js";
import { rowError } from "./common.js";
import { reportOf } from "./read-report.js";

/**
 * An asset list as CSV (a CMDB export): the first row is the header, columns are recognised by their names or
 * mapped with `--columns` (asset-columns.ts). Encoding: asset-text.ts (UTF-8 with or without BOM, UTF-16 with BOM,
 * Windows-1252 fallback; the choice goes into the read report). Delimiter: comma, semicolon (French Excel), tab or
 * pipe, whichever the header line has most of outside quotes. Cells are text and stay text: a cell starting with
 * "=" is not a formula to anyone here.
 */

/** A record (row) longer than this is unreadable: csv-parse stops buffering there. */
const MAX_RECORD = 1024 * 1024;

export const DELIMITERS = [",", ";", "\t", "|"] as const;

/**
 * How a spreadsheet's CSV export is read, here and by the procurement screen (src/procure/sheet/csv.ts): ragged
 * rows kept, stray quotes tolerated, an unreadable record skipped (the caller's on_skip reports it), a record at
 * most MAX_RECORD, each with its raw text so the caller can count lines.
 */
export const LENIENT_CSV = {
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
  skip_records_with_error: true,
  max_record_size: MAX_RECORD,
  info: true,
  raw: true,
} as const;

/** The delimiter the header line uses most outside double quotes (comma when none). */
export function sniffDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const c of headerLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && counts.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best = ",";
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** The text up to the first line break, from the file's first chunk (decoded). */
async function firstLine(file: string, enc: DetectedEncoding): Promise<string> {
  const stream = decodedText(file, enc);
  let text = "";
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      text += chunk;
      const nl = text.search(/\r?\n/);
      if (nl >= 0) return text.slice(0, nl);
      if (text.length > MAX_RECORD) break;
    }
  } finally {
    (stream as unknown as { destroy(): void }).destroy();
  }
  return text.slice(0, MAX_RECORD);
}

interface Parsed {
  record: string[];
  info: { lines: number };
  raw?: string;
}

async function* readCsv(file: string, opts: ImportReadOptions = {}): AsyncGenerator<ImportItem> {
  const enc = await detectEncoding(file, opts.signal);
  const report = reportOf(opts);
  if (report) report.encoding = enc.how;
  const delimiter = sniffDelimiter(await firstLine(file, enc));
  // Rows csv-parse could not read (a stray quote) are skipped by it and reported here, by line.
  const skipped: ImportItem[] = [];
  const parser = parse({
    delimiter,
    ...LENIENT_CSV,
    on_skip: (err: CsvError | undefined) => {
      const line = (err as { lines?: number } | undefined)?.lines ?? 0;
      skipped.push(
        rowError(
          line,
          `not readable as CSV (${err?.code ?? "error"}: ${err?.message.split(/[.:]/)[0] ?? ""})`,
        ),
      );
      return undefined;
    },
  });
  const input = decodedText(file, enc);
  input.on("error", (e) => parser.destroy(e));
  input.pipe(parser);
  let map: ColumnMap | undefined;
  try {
    for await (const p of parser as AsyncIterable<Parsed>) {
      opts.signal?.throwIfAborted();
      while (skipped.length) yield skipped.shift() as ImportItem;
      // The line a row starts on: csv-parse counts lines to the row's end; a quoted cell may hold line breaks.
      const breaks = p.raw ? (p.raw.match(/\n/g)?.length ?? 0) - (/\n$/.test(p.raw) ? 1 : 0) : 0;
      const line = Math.max(1, p.info.lines - breaks);
      if (!map) {
        map = mapColumns(p.record, file, opts.columns, line);
        continue;
      }
      const item = assetItem(p.record, map, line, "csv");
      if (item) yield item;
    }
    while (skipped.length) yield skipped.shift() as ImportItem;
  } catch (e) {
    if (e instanceof InputError || opts.signal?.aborted) throw e;
    const err = e as CsvError & { lines?: number };
    throw new InputError(`not readable as CSV (${err.code ?? err.message})`, file, err.lines);
  } finally {
    (input as unknown as { destroy(): void }).destroy();
    parser.destroy();
  }
  if (!map) throw new InputError("empty: no header row", file);
}

export const assetCsv: ImportFormat = {
  id: "csv",
  description: "asset list as CSV (a CMDB export): columns by header name or --columns mapping",
  read: readCsv,
};
