import { open } from "node:fs/promises";
import ExcelJS from "exceljs";
import { InputError } from "../../shared/errors.js";
import type { ImportFormat, ImportItem, ImportReadOptions } from "../record.js";
import { assetItem, mapColumns, type ColumnMap } from "./asset-columns.js";
import { unreadable } from "./read-lines.js";

/**
 * An asset list as an Excel workbook (.xlsx), streamed with exceljs' WorkbookReader (rows as they are unzipped,
 * never the whole workbook). The first worksheet whose first row has recognisable headers (or the mapped ones) is
 * read; rows are numbered as Excel numbers them.
 *
 * Cells are never evaluated. A formula cell ({formula, result} or {sharedFormula, result}) contributes its cached
 * result, the text Excel last showed, as text; the formula itself is dropped, and a formula without a cached result
 * (or with an error result such as #N/A) leaves the field empty. Rich text is its plain text, a hyperlink its text,
 * a date its ISO date.
 *
 * An encrypted (password-protected) OOXML workbook is not a ZIP but a Compound File (magic D0 CF 11 E0), as is a
 * legacy .xls: both are refused with that message before exceljs sees them.
 */

const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

async function checkContainer(file: string): Promise<void> {
  let head: Buffer;
  try {
    const fh = await open(file, "r");
    try {
      if ((await fh.stat()).isDirectory()) throw Object.assign(new Error("a directory"), { code: "EISDIR" });
      const buf = Buffer.alloc(8);
      const { bytesRead } = await fh.read(buf, 0, 8, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw unreadable(file, e);
  }
  if (head.equals(CFB_MAGIC))
    throw new InputError(
      "password-protected or legacy .xls workbook (a Compound File, not an .xlsx ZIP): save it unprotected as .xlsx or CSV",
      file,
    );
  if (!head.subarray(0, 4).equals(ZIP_MAGIC))
    throw new InputError("not an .xlsx workbook (no ZIP signature)", file);
}

/** A cell's value as text, never evaluated: formulas give their cached result or nothing. */
export function cellText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString().slice(0, 10);
  if (typeof v !== "object") return undefined;
  const o = v as Record<string, unknown>;
  if ("formula" in o || "sharedFormula" in o) {
    const r = o.result;
    // An error result ({error: "#N/A"}) or a nested object is not a value anyone saw as the field.
    return r !== null && typeof r === "object" && !(r instanceof Date) ? undefined : cellText(r);
  }
  if (Array.isArray(o.richText))
    return (o.richText as unknown[])
      .map((t) =>
        t && typeof t === "object" && typeof (t as { text?: unknown }).text === "string"
          ? (t as { text: string }).text
          : "",
      )
      .join("");
  if (typeof o.text === "string") return o.text;
  // {error: "#REF!"} and anything else: no value.
  return undefined;
}

/** Row values as exceljs gives them (1-based, sparse) -> 0-based cell texts. */
function rowCells(values: unknown): (string | undefined)[] {
  if (!Array.isArray(values)) return [];
  const out: (string | undefined)[] = [];
  // A hostile sheet can claim a cell in column XFD; rows are cut at 1,000 columns (no asset list has more).
  for (let i = 1; i < Math.min(values.length, 1001); i++) out.push(cellText(values[i]));
  return out;
}

async function* readXlsx(file: string, opts: ImportReadOptions = {}): AsyncGenerator<ImportItem> {
  await checkContainer(file);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: "emit",
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "ignore",
    entries: "ignore",
  });
  let firstHeaders: string[] | undefined;
  let mapError: InputError | undefined;
  let found = false;
  try {
    for await (const sheet of reader) {
      if (found) continue;
      let map: ColumnMap | undefined;
      let skip = false;
      for await (const row of sheet) {
        opts.signal?.throwIfAborted();
        if (skip) continue;
        const cells = rowCells(row.values);
        if (!map) {
          if (cells.every((c) => !c?.trim())) continue;
          const headers = cells.map((c) => c ?? "");
          firstHeaders ??= headers;
          try {
            map = mapColumns(headers, file, opts.columns, row.number);
            found = true;
          } catch (e) {
            // Not this sheet (a cover page, a legend): try the next; the first sheet's reason is the one reported.
            mapError ??= e as InputError;
            skip = true;
          }
          continue;
        }
        const item = assetItem(cells, map, row.number, "xlsx");
        if (item) yield item;
      }
    }
  } catch (e) {
    if (e instanceof InputError || opts.signal?.aborted) throw e;
    throw new InputError(
      `not a readable .xlsx workbook (${(e as Error).message?.split("\n")[0] ?? e})`,
      file,
    );
  }
  if (!found)
    throw mapError ?? new InputError(firstHeaders ? "no usable header row" : "empty workbook: no rows", file);
}

export const assetXlsx: ImportFormat = {
  id: "xlsx",
  description:
    "asset list as an Excel .xlsx workbook (a CMDB export): columns by header name or --columns mapping",
  read: readXlsx,
};
