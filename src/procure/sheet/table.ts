import { quote } from "../../imports/formats/common.js";
import { InputError } from "../../shared/errors.js";
import {
  ROLES,
  detect,
  findHeader,
  missingMapped,
  noColumns,
  resolve,
  type ColumnMap,
  type Role,
} from "./columns.js";
import { CELL_CAP, lineList, screenedText } from "./text.js";
import type { SheetLine } from "./types.js";

/**
 * The rows of one table (a CSV file or a worksheet) as lines to screen: which row is the header, which columns hold
 * which role, and every row after it with its cells by header. Shared by the CSV and XLSX readers.
 */

/** A row as read: its 1-based line (CSV) or row (XLSX) number, and its cells (undefined: empty). */
export interface RawRow {
  line: number;
  cells: (string | undefined)[];
  /** CSV only: how many fields the record had, for the ragged-row warning */
  fields?: number;
}

/** How many non-empty rows from the top may hold the header (titles, a PO number, an address above the table). */
export const HEADER_SCAN = 20;

/** Longest header kept (a header is a few words; a longer one is cut, as are all cells, but shorter). */
const HEADER_CAP = 256;

export interface Where {
  file: string;
  sheet?: string;
}

export const blank = (r: RawRow) => r.cells.every((c) => c === undefined || c.trim() === "");

const headerTexts = (r: RawRow) => r.cells.map((c) => screenedText(c ?? "").text.slice(0, HEADER_CAP));

export interface HeaderChoice {
  /** index of the header row in the rows given */
  index: number;
  at: Partial<Record<Role, number>>;
  note?: string;
}

/**
 * The header among the first HEADER_SCAN non-empty rows. Without a mapping: the row with the most roles recognised
 * (the first of equals), if any. With one: the first row holding every mapped header. undefined when none fits.
 */
export function chooseHeader(rows: readonly RawRow[], columns?: ColumnMap): HeaderChoice | undefined {
  let best: HeaderChoice | undefined;
  let bestScore = 0;
  let seen = 0;
  for (let i = 0; i < rows.length && seen < HEADER_SCAN; i++) {
    const row = rows[i] as RawRow;
    if (blank(row)) continue;
    seen++;
    const headers = headerTexts(row);
    const mapped = Object.values(columns ?? {});
    if (mapped.length > 0) {
      if (mapped.every((h) => findHeader(headers, h) >= 0)) {
        const d = resolve(headers, columns, { file: "" });
        return { index: i, ...d };
      }
      continue;
    }
    const d = detect(headers);
    const score = Object.keys(d.at).length;
    if (score > bestScore) {
      best = { index: i, ...d };
      bestScore = score;
    }
  }
  return best;
}

/** The error when no header fits: names the headers of the fullest row near the top (most likely the header). */
export function headerError(
  rows: readonly RawRow[],
  columns: ColumnMap | undefined,
  where: Where,
): InputError {
  let fullest: RawRow | undefined;
  let most = 0;
  let seen = 0;
  for (const row of rows) {
    if (seen >= HEADER_SCAN) break;
    if (blank(row)) continue;
    seen++;
    const n = row.cells.filter((c) => c?.trim()).length;
    if (n > most) {
      fullest = row;
      most = n;
    }
  }
  const headers = fullest ? headerTexts(fullest) : [];
  const at = { ...where, ...(fullest ? { line: fullest.line } : {}) };
  for (const [role, header] of Object.entries(columns ?? {}) as [Role, string][])
    if (findHeader(headers, header) < 0) return missingMapped(role, header, headers, at);
  return noColumns(headers, at);
}

export interface Table {
  headers: string[];
  headerLine: number;
  columns: ColumnMap;
  lines: SheetLine[];
  warnings: string[];
}

/** Headers as keys: cleaned, an empty one named by its column, a repeated one numbered ("Description (2)"). */
function uniqueHeaders(raw: readonly string[]): string[] {
  const seen = new Set<string>();
  return raw.map((h, i) => {
    let name = h || `Column ${i + 1}`;
    for (let n = 2; seen.has(name); n++) name = `${h || `Column ${i + 1}`} (${n})`;
    seen.add(name);
    return name;
  });
}

/**
 * The table's lines. Rows above the header and blank rows are not lines. A CSV row with fewer fields than the header
 * is read with the rest empty, one with more keeps its extra non-empty cells under "Column N" headers (trailing
 * empty fields, as Excel writes, are ignored); both are warned about by line and reading goes on. Cells over
 * CELL_CAP are cut (warned). More than `maxRows` lines is an error at the first line over.
 */
export function buildTable(
  rows: readonly RawRow[],
  choice: HeaderChoice,
  where: Where,
  maxRows: number,
): Table {
  const headerRow = rows[choice.index] as RawRow;
  const raw = headerTexts(headerRow);
  let width = raw.length;
  while (width > 0 && !raw[width - 1]) width--;
  // Roles always fall inside the header's width: they were found in non-empty header cells.
  const data = rows.slice(choice.index + 1).filter((r) => !blank(r));
  if (data.length > maxRows) {
    const over = data[maxRows] as RawRow;
    throw new InputError(
      `over ${maxRows.toLocaleString("en-US")} rows to screen${where.sheet ? ` in sheet ${quote(where.sheet)}` : ""}: split the list`,
      where.file,
      over.line,
    );
  }
  const short: number[] = [];
  const long: number[] = [];
  let full = width;
  for (const r of data) {
    let last = r.cells.length;
    while (last > 0 && !r.cells[last - 1]?.trim()) last--;
    if (last > width) long.push(r.line);
    full = Math.max(full, last);
    if (r.fields !== undefined && r.fields < width) short.push(r.line);
  }
  const headers = uniqueHeaders([...raw.slice(0, width), ...Array<string>(full - width).fill("")]);
  const columns: ColumnMap = {};
  for (const role of ROLES) {
    const i = choice.at[role];
    if (i !== undefined) columns[role] = headers[i];
  }

  const cut: string[] = [];
  const hidden: number[] = [];
  const lines = data.map((r) => {
    const cells = headers.map((h, i) => {
      const v = r.cells[i] ?? "";
      if (v.length <= CELL_CAP) return v;
      cut.push(`line ${r.line} column ${quote(h, 40)}`);
      return v.slice(0, CELL_CAP);
    });
    const line: SheetLine = {
      line: r.line,
      ...(where.sheet !== undefined ? { sheet: where.sheet } : {}),
      cells: Object.fromEntries(headers.map((h, i) => [h, cells[i] as string])),
      headers,
    };
    let anyHidden = false;
    for (const role of ROLES) {
      const i = choice.at[role];
      if (i === undefined) continue;
      const s = screenedText(cells[i] as string);
      if (s.hidden) anyHidden = true;
      if (s.text) line[role] = s.text;
    }
    if (anyHidden) hidden.push(r.line);
    return line;
  });

  const warnings: string[] = [];
  if (choice.note) warnings.push(choice.note);
  if (short.length)
    warnings.push(
      `fewer cells than the header's ${width} on line${short.length > 1 ? "s" : ""} ${lineList(short)}: the missing cells are read as empty; check that no row is shifted`,
    );
  if (long.length)
    warnings.push(
      `more cells than the header's ${width} on line${long.length > 1 ? "s" : ""} ${lineList(long)}: the extra cells are kept under ${headers
        .slice(width)
        .map((h) => quote(h))
        .join(", ")} and not screened; check that no row is shifted`,
    );
  if (cut.length)
    warnings.push(
      `cell${cut.length > 1 ? "s" : ""} over ${CELL_CAP} characters cut: ${cut.slice(0, 10).join(", ")}${cut.length > 10 ? ` and ${cut.length - 10} more` : ""}`,
    );
  if (hidden.length)
    warnings.push(
      `invisible characters (zero-width, bidi control) removed from the screened columns on line${hidden.length > 1 ? "s" : ""} ${lineList(hidden)}: a name may have been disguised`,
    );
  return { headers, headerLine: headerRow.line, columns, lines, warnings };
}
