import ExcelJS from "exceljs";
import { quote } from "../../imports/formats/common.js";
import { cellText as plainCellText } from "../../imports/formats/xlsx.js";
import { InputError } from "../../shared/errors.js";
import type { ColumnMap } from "./columns.js";
import { HEADER_SCAN, blank, chooseHeader, headerError, type HeaderChoice, type RawRow } from "./table.js";

/**
 * A procurement list as an .xlsx workbook -> the rows of one worksheet, streamed with exceljs' WorkbookReader (rows
 * as they are unzipped, never the whole workbook in memory).
 *
 * Cells are read as the text Excel shows, never evaluated: a formula cell gives its cached result (the formula is
 * dropped; no cached result, or an error such as #N/A, is an empty cell); rich text is its plain text, a hyperlink
 * its text; a date is ISO (2025-06-27, with the time when it has one); a number is written as its format shows it
 * for plain formats ("00000" keeps 02143's zero, "0.00" two decimals, "0%"), and otherwise as Excel's General
 * does (2143, never 2143.0; at most 15 significant digits, so no floating-point noise).
 *
 * The worksheet: the one named by `sheet`, else the first visible one whose top rows hold a recognisable header
 * (hidden sheets are only read by name); other sheets with data are named in a warning.
 */

/** Columns read per row: a hostile sheet can claim a cell in column XFD; no order has a thousand columns. */
const MAX_COLUMNS = 1000;

/** "General", "@", or a format with date or time parts (quoted text, escapes and [colour] sections aside). */
function isDateFormat(fmt: string): boolean {
  const f = fmt.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, "");
  return !/^general$/i.test(f) && /[dmyhs]/i.test(f);
}

function dateText(d: Date): string | undefined {
  if (Number.isNaN(d.getTime())) return undefined;
  const iso = d.toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.slice(0, 19);
}

/** A number as Excel shows it under `fmt` (its first, positive section), for the plain formats; General otherwise. */
export function numberText(n: number, fmt?: string, date1904 = false): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  const f = (fmt ?? "").split(";")[0]?.trim() ?? "";
  if (f && isDateFormat(f)) {
    const epoch = date1904 ? 24107 : 25569;
    return dateText(new Date(Math.round((n - epoch) * 86_400_000)));
  }
  const fixed = /^(0+)(?:\.(0+))?(%?)$/.exec(f);
  if (fixed) {
    const v = fixed[3] ? n * 100 : n;
    const [int = "", frac] = Math.abs(v)
      .toFixed(fixed[2]?.length ?? 0)
      .split(".");
    const digits = int.padStart(fixed[1]?.length ?? 1, "0") + (frac !== undefined ? `.${frac}` : "");
    return (v < 0 ? "-" : "") + digits + fixed[3];
  }
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15)));
}

/** A cell's value as the text it shows, never evaluated (see the file's comment). */
export function cellText(v: unknown, fmt?: string, date1904 = false): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number") return numberText(v, fmt, date1904);
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (v instanceof Date) return dateText(v);
  if (typeof v !== "object") return undefined;
  const o = v as Record<string, unknown>;
  if ("formula" in o || "sharedFormula" in o) {
    const r = o.result;
    // An error result ({error: "#N/A"}, or NaN from the stream reader) is not a value anyone saw.
    return r !== null && typeof r === "object" && !(r instanceof Date)
      ? undefined
      : cellText(r, fmt, date1904);
  }
  // Rich text, hyperlinks, errors: as the asset-list import reads them.
  return plainCellText(v);
}

interface StreamRow {
  number: number;
  eachCell(
    o: { includeEmpty: boolean },
    f: (cell: { value: unknown; numFmt?: string }, col: number) => void,
  ): void;
}

function rowCells(row: StreamRow, date1904: boolean): { cells: (string | undefined)[]; wide: boolean } {
  const cells: (string | undefined)[] = [];
  let wide = false;
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    if (col > MAX_COLUMNS) wide = true;
    else cells[col - 1] = cellText(cell.value, cell.numFmt, date1904);
  });
  return { cells: Array.from(cells), wide };
}

interface SheetState {
  name: string;
  rows: RawRow[];
  nonBlank: number;
  /** undefined: not decided yet; null: no header in the top rows */
  choice: HeaderChoice | null | undefined;
}

export interface XlsxRows {
  sheet: string;
  rows: RawRow[];
  choice: HeaderChoice;
  warnings: string[];
}

const sameName = (a: string, b: string) => a === b || a.trim().toLowerCase() === b.trim().toLowerCase();

interface SheetSource {
  name: string | undefined;
  state: string | undefined;
  rows: AsyncIterable<StreamRow>;
}

/**
 * The workbook's sheets one at a time: streamed (exceljs' WorkbookReader, constant memory), or, when `whole`, from
 * the workbook read at once. The stream reader sometimes meets a sheet before it has parsed workbook.xml and fails
 * with "reading 'sheets'" (exceljs issue #962); the caller then reads the file again whole.
 */
async function* sheetsOf(file: string, whole: boolean): AsyncGenerator<SheetSource & { date1904: boolean }> {
  if (whole) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const date1904 = Boolean((wb.properties as { date1904?: boolean } | undefined)?.date1904);
    for (const ws of wb.worksheets)
      yield {
        name: ws.name,
        state: ws.state,
        date1904,
        rows: (async function* () {
          for (let i = 1; i <= ws.rowCount; i++) {
            const row = ws.getRow(i);
            if (row.hasValues) yield row as unknown as StreamRow;
          }
        })(),
      };
    return;
  }
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: "emit",
    sharedStrings: "cache",
    hyperlinks: "ignore",
    // Styles give number formats: dates, and numbers as shown.
    styles: "cache",
    entries: "ignore",
  });
  try {
    for await (const ws of reader) {
      const meta = ws as unknown as { name?: string; state?: string };
      yield {
        name: meta.name,
        state: meta.state,
        date1904: Boolean(
          (reader as unknown as { properties?: { model?: { date1904?: boolean } } }).properties?.model
            ?.date1904,
        ),
        rows: ws as unknown as AsyncIterable<StreamRow>,
      };
    }
  } finally {
    (reader as unknown as { stream?: { destroy?: () => void } }).stream?.destroy?.();
  }
}

export async function xlsxRows(
  file: string,
  o: { sheet?: string; columns?: ColumnMap; maxRows: number },
  whole = false,
): Promise<XlsxRows> {
  const names: string[] = [];
  const others: string[] = [];
  const wide = new Set<string>();
  let chosen: SheetState | undefined;
  let firstRejected: SheetState | undefined;
  const limit = o.maxRows + HEADER_SCAN;
  try {
    for await (const ws of sheetsOf(file, whole)) {
      const name = ws.name ?? `Sheet${names.length + 1}`;
      const hidden = ws.state === "hidden" || ws.state === "veryHidden";
      names.push(name);
      const date1904 = ws.date1904;
      const candidate = !chosen && (o.sheet !== undefined ? sameName(name, o.sheet) : !hidden);
      const state: SheetState = { name, rows: [], nonBlank: 0, choice: undefined };
      let hasData = false;
      for await (const row of ws.rows) {
        if (!candidate || state.choice === null) {
          if (!hasData && !blank({ line: 0, cells: rowCells(row, date1904).cells })) hasData = true;
          continue;
        }
        const { cells, wide: w } = rowCells(row, date1904);
        if (w) wide.add(name);
        const raw: RawRow = { line: row.number, cells };
        if (blank(raw)) continue;
        hasData = true;
        state.rows.push(raw);
        state.nonBlank++;
        if (state.nonBlank === HEADER_SCAN && state.choice === undefined)
          state.choice = decide(state, o.columns);
        if (state.nonBlank > limit)
          throw new InputError(
            `over ${o.maxRows.toLocaleString("en-US")} rows to screen in sheet ${quote(name)}: split the list`,
            file,
            row.number,
          );
      }
      if (candidate && state.choice === undefined) state.choice = decide(state, o.columns);
      if (candidate && state.choice) chosen = state;
      else {
        if (candidate && hasData) firstRejected ??= state;
        if (hasData && o.sheet === undefined) others.push(hidden ? `${name} (hidden)` : name);
      }
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (!whole && e instanceof TypeError && /reading 'sheets'/.test(e.message))
      return xlsxRows(file, o, true);
    throw new InputError(
      `not a readable .xlsx workbook (${String((e as Error)?.message ?? e).split("\n")[0]})`,
      file,
    );
  }
  const sheetList = names.map((n) => quote(n)).join(", ") || "(none)";
  if (o.sheet !== undefined && !names.some((n) => sameName(n, o.sheet as string)))
    throw new InputError(`no sheet named ${quote(o.sheet)}; sheets: ${sheetList}`, file);
  if (!chosen || !chosen.choice) {
    const failed = firstRejected;
    if (!failed) {
      if (o.sheet !== undefined) throw new InputError(`sheet ${quote(o.sheet)} is empty`, file);
      throw new InputError(`empty workbook: no rows in any visible sheet (sheets: ${sheetList})`, file);
    }
    throw headerError(failed.rows, o.columns, { file, sheet: failed.name });
  }
  const warnings: string[] = [];
  if (others.length)
    warnings.push(
      `read sheet ${quote(chosen.name)}; ${others.length > 1 ? "sheets" : "sheet"} ${others
        .map((n) => quote(n))
        .join(
          ", ",
        )} also ${others.length > 1 ? "have" : "has"} data and ${others.length > 1 ? "were" : "was"} not screened (choose one with --sheet)`,
    );
  if (wide.has(chosen.name))
    warnings.push(`cells beyond column ${MAX_COLUMNS} in sheet ${quote(chosen.name)} were not read`);
  return { sheet: chosen.name, rows: chosen.rows, choice: chosen.choice, warnings };
}

function decide(state: SheetState, columns?: ColumnMap): HeaderChoice | null {
  return chooseHeader(state.rows, columns) ?? null;
}
