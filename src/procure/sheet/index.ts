import { open, type FileHandle } from "node:fs/promises";
import { extname } from "node:path";
import { quote } from "../../imports/formats/common.js";
import { unreadable } from "../../imports/formats/read-lines.js";
import { InputError, UsageError } from "../../shared/errors.js";
import { ROLES, type ColumnMap } from "./columns.js";
import { checkZip, mib, sniff } from "./container.js";
import { csvRows } from "./csv.js";
import { buildTable, chooseHeader, headerError } from "./table.js";
import { decodeText } from "./text.js";
import type { ReadSheetOptions, SheetRead } from "./types.js";
import { xlsxRows } from "./xlsx.js";

/**
 * The input side of `camsweep screen FILE`: a purchase order, catalogue or bill of materials, as CSV or .xlsx, read
 * into the lines to screen (manufacturer, brand, model, SKU, description) and every cell for writing the list back.
 *
 * Everything in the file is hostile: its size and row count are capped, its kind comes from its bytes (not its
 * name), cells are cut at CELL_CAP characters, formulas are never evaluated, and the screened fields lose their
 * control and invisible characters. Cells that look like formulas (= + - @, a leading tab or CR) are kept as text,
 * uninterpreted, in `cells`; whoever writes them out neutralises them. Every refusal is an InputError naming the
 * file, and the line, sheet or column where there is one.
 */

export { ROLES, parseColumnsFlag, type ColumnMap, type Role } from "./columns.js";
export { CELL_CAP } from "./text.js";
export type { ReadSheetOptions, SheetLine, SheetRead } from "./types.js";

export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_MAX_ROWS = 200_000;
/** What an .xlsx may claim to expand to: a 50 MiB workbook of text is about 10 times that. */
export const DEFAULT_MAX_EXPANDED = 1024 * 1024 * 1024;

const HEAD = 4096;

/** The file's open handle and size, or an InputError saying why not, in words. */
async function openFile(file: string): Promise<{ fh: FileHandle; size: number }> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(file, "r");
    const st = await fh.stat();
    if (st.isDirectory()) throw Object.assign(new Error("a directory"), { code: "EISDIR" });
    if (!st.isFile()) throw Object.assign(new Error("not a regular file"), { code: "not a regular file" });
    return { fh, size: st.size };
  } catch (e) {
    await fh?.close();
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === "ENOENT") return Promise.reject(new InputError("no such file", file));
    if (code === "EACCES" || code === "EPERM")
      return Promise.reject(new InputError("cannot read: permission denied", file));
    if (code === "EISDIR") return Promise.reject(new InputError("a directory, not a file", file));
    return Promise.reject(unreadable(file, e));
  }
}

function checkColumns(columns: ColumnMap | undefined): void {
  for (const [role, header] of Object.entries(columns ?? {})) {
    if (!(ROLES as readonly string[]).includes(role))
      throw new UsageError(`unknown role ${quote(role)} in the column mapping (roles: ${ROLES.join(", ")})`);
    if (typeof header !== "string" || !header.trim())
      throw new UsageError(`no header given for ${role} in the column mapping`);
  }
}

function positive(n: number | undefined, fallback: number, what: string): number {
  if (n === undefined) return fallback;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${what} must be a positive integer`);
  return n;
}

/** Reads a procurement list (CSV or .xlsx) into lines to screen; see the file's comment and SheetRead. */
export async function readSheet(path: string, o: ReadSheetOptions = {}): Promise<SheetRead> {
  checkColumns(o.columns);
  const maxBytes = positive(o.maxBytes, DEFAULT_MAX_BYTES, "maxBytes");
  const maxRows = positive(o.maxRows, DEFAULT_MAX_ROWS, "maxRows");
  const maxExpanded = positive(o.maxExpandedBytes, DEFAULT_MAX_EXPANDED, "maxExpandedBytes");
  const { fh, size } = await openFile(path);
  let kind: "csv" | "xlsx";
  let bytes: Buffer | undefined;
  try {
    if (size === 0) throw new InputError("empty file", path);
    if (size > maxBytes)
      throw new InputError(`${mib(size)}, over the ${mib(maxBytes)} limit for a list to screen`, path);
    const head = Buffer.alloc(Math.min(HEAD, size));
    await fh.read(head, 0, head.length, 0);
    kind = sniff(head, path);
    if (kind === "xlsx") await checkZip(fh, size, path, maxExpanded);
    else bytes = await fh.readFile();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw unreadable(path, e);
  } finally {
    await fh.close();
  }

  const warnings: string[] = [];
  const ext = extname(path).toLowerCase();
  if (kind === "csv" && /^\.xls[xmb]?$/.test(ext))
    warnings.push(`named ${ext} but holds CSV text: read as CSV`);
  if (kind === "xlsx" && /^\.(csv|txt|tsv)$/.test(ext))
    warnings.push(`named ${ext} but is an .xlsx workbook: read as a workbook`);

  if (kind === "xlsx") {
    const x = await xlsxRows(path, {
      maxRows,
      ...(o.sheet !== undefined ? { sheet: o.sheet } : {}),
      ...(o.columns ? { columns: o.columns } : {}),
    });
    const t = buildTable(x.rows, x.choice, { file: path, sheet: x.sheet }, maxRows);
    return {
      file: path,
      format: "xlsx",
      sheet: x.sheet,
      headerLine: t.headerLine,
      headers: t.headers,
      columns: t.columns,
      lines: t.lines,
      warnings: [...warnings, ...x.warnings, ...t.warnings],
    };
  }

  if (o.sheet !== undefined) warnings.push("a CSV file has no sheets: the sheet option is ignored");
  const decoded = decodeText(bytes as Buffer);
  const c = csvRows(decoded.text, path, maxRows);
  if (c.rows.length === 0) throw new InputError("empty: no rows", path);
  const choice = chooseHeader(c.rows, o.columns);
  if (!choice) throw headerError(c.rows, o.columns, { file: path });
  const t = buildTable(c.rows, choice, { file: path }, maxRows);
  return {
    file: path,
    format: "csv",
    encoding: decoded.encoding,
    headerLine: t.headerLine,
    headers: t.headers,
    columns: t.columns,
    lines: t.lines,
    warnings: [...warnings, ...decoded.warnings, ...c.warnings, ...t.warnings],
  };
}
