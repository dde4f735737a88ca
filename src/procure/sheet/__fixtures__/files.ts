import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";

/** Fixtures for the sheet reader's tests, written on the fly into one temp dir per test file. */

export function tempDir(prefix: string): {
  dir: string;
  path: (name: string) => string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), `csw-sheet-${prefix}-`));
  return { dir, path: (n) => join(dir, n), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeBytes(file: string, data: string | Uint8Array): string {
  writeFileSync(file, data);
  return file;
}

/** Text as Windows-1252 bytes (Latin-1 plus the 0x80-0x9F punctuation; the fixtures use only Latin-1 letters). */
export function cp1252(s: string): Buffer {
  for (const c of s) if (c.charCodeAt(0) > 0xff) throw new Error(`not in the fixture's Latin-1 range: ${c}`);
  return Buffer.from(s, "latin1");
}

/** Text as UTF-16 with its byte-order mark. */
export function utf16(s: string, order: "le" | "be"): Buffer {
  const le = Buffer.from(s, "utf16le");
  if (order === "le") return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
  const be = Buffer.from(le);
  be.swap16();
  return Buffer.concat([Buffer.from([0xfe, 0xff]), be]);
}

export type Cell = ExcelJS.CellValue | { value: ExcelJS.CellValue; numFmt: string };

/** A workbook of sheets, each a list of rows (a row's cells from column A; null: no cell). */
export async function writeXlsx(
  file: string,
  sheets: Record<string, Cell[][]>,
  opts: { hidden?: string[] } = {},
): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name, opts.hidden?.includes(name) ? { state: "hidden" } : {});
    rows.forEach((row, r) =>
      row.forEach((v, c) => {
        if (v === null) return;
        const cell = ws.getCell(r + 1, c + 1);
        if (v && typeof v === "object" && "numFmt" in v && !(v instanceof Date)) {
          cell.value = v.value;
          cell.numFmt = v.numFmt;
        } else cell.value = v as ExcelJS.CellValue;
      }),
    );
  }
  await wb.xlsx.writeFile(file);
  return file;
}

/**
 * A ZIP archive of stored (uncompressed) entries, written by hand: enough for the reader's directory check, which is
 * all these fixtures reach (CRCs are left 0).
 */
export function storedZip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const n = Buffer.from(name, "utf8");
    const data = Buffer.from(text, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}
