import type { ColumnMap } from "./columns.js";

/** One row of a procurement list to screen. */
export interface SheetLine {
  /** 1-based line (CSV: the line the record starts on) or row (XLSX: as Excel numbers it), for messages */
  line: number;
  /** XLSX worksheet name */
  sheet?: string;
  /**
   * The columns the screening reads, as plain text: trimmed, blanks collapsed, control and invisible characters
   * removed; absent when the column is missing or the cell empty. Never a formula: an XLSX formula gives its cached
   * result, and text that looks like one ("=…", "+…") is only text.
   */
  manufacturer?: string;
  brand?: string;
  model?: string;
  sku?: string;
  description?: string;
  /**
   * Every cell by header, as the file has it (cut at CELL_CAP characters, "" when empty), for writing the file back
   * with verdict columns. Not cleaned and not neutralised: a cell starting with = + - @, a tab or a CR is kept as
   * is, and the writer must escape it (src/report/exports/cells.ts safeCell / toCsv).
   */
  cells: Record<string, string>;
  /** the table's headers, in column order (the same array for every line of a read) */
  headers: string[];
}

export interface SheetRead {
  file: string;
  format: "csv" | "xlsx";
  /** XLSX: the worksheet read */
  sheet?: string;
  /** how a CSV's bytes were decoded (e.g. "UTF-8 (BOM)", "Windows-1252 (not UTF-8, first at line 2)") */
  encoding?: string;
  /** the header row's line (CSV) or row (XLSX) number; rows above it (titles) are not lines */
  headerLine: number;
  /**
   * The header row's cells in column order, unique: an empty header is "Column N", a repeated one "Name (2)", and
   * extra cells of over-long CSV rows add "Column N" headers.
   */
  headers: string[];
  /** role -> header, detected or mapped */
  columns: ColumnMap;
  lines: SheetLine[];
  /** what the reader worked around: encodings, ragged rows, cut cells, other sheets, the column choice */
  warnings: string[];
}

export interface ReadSheetOptions {
  /** role -> header; overrides detection for the roles it names (parseColumnsFlag reads `--columns`) */
  columns?: ColumnMap;
  /** XLSX: the worksheet to read, by name (exact, else case-insensitive) */
  sheet?: string;
  /** largest file read (default 50 MiB) */
  maxBytes?: number;
  /** most lines (non-blank rows after the header) read (default 200,000) */
  maxRows?: number;
  /** XLSX: most bytes the workbook's ZIP entries may claim to expand to (default 1 GiB) */
  maxExpandedBytes?: number;
}
