import type { FileHandle } from "node:fs/promises";
import { InputError } from "../../shared/errors.js";
import { utf16Side } from "../../shared/utf16.js";

/**
 * What a file is, from its bytes rather than its name (a CSV saved as .xls, an .xlsx renamed .csv): an .xlsx
 * workbook (a ZIP holding xl/workbook.xml), CSV text, or something refused with the reason and what to do instead.
 */

const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** A Compound File: a legacy .xls, or an .xlsx encrypted with a password (Office wraps it in one). */
const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const starts = (head: Uint8Array, magic: readonly number[]) => magic.every((b, i) => head[i] === b);

export type Kind = "csv" | "xlsx";

/** The kind of file by its first bytes (up to 4 KiB); throws for a workbook camsweep cannot read, or binary. */
export function sniff(head: Buffer, file: string): Kind {
  if (starts(head, ZIP)) return "xlsx";
  if (starts(head, CFB))
    throw new InputError(
      "password-protected or legacy .xls workbook (an OLE Compound File, not an .xlsx): save it unprotected as .xlsx or CSV",
      file,
    );
  if (starts(head, [0x50, 0x4b])) throw new InputError("damaged ZIP (not a readable .xlsx workbook)", file);
  if (head.subarray(0, 5).toString("latin1") === "%PDF-")
    throw new InputError(
      "a PDF, not a CSV or .xlsx list: export the list from its source as CSV or .xlsx",
      file,
    );
  // ERPs often save an HTML table under an .xls name.
  if (/^\s*<(?:!doctype html|html|table)\b/i.test(head.subarray(0, 512).toString("latin1")))
    throw new InputError(
      'an HTML page (often an ERP\'s ".xls" export): open it and save it as .xlsx or CSV',
      file,
    );
  if (isBinary(head)) throw new InputError("neither CSV text nor an .xlsx workbook (binary content)", file);
  return "csv";
}

/**
 * Binary, unless a byte-order mark or UTF-16's NUL pattern says text: more than 1 byte in 20 a NUL or a control
 * other than tab, CR, LF, FF. Random or compressed bytes have about 1 in 9; a text list none, bar a stray one (which
 * the screened fields drop).
 */
function isBinary(head: Buffer): boolean {
  if (
    (head[0] === 0xff && head[1] === 0xfe) ||
    (head[0] === 0xfe && head[1] === 0xff) ||
    utf16Side(head) !== undefined
  )
    return false;
  let controls = 0;
  for (const b of head) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) controls++;
  return controls * 20 > head.length;
}

/**
 * Checks an .xlsx's ZIP directory before exceljs unzips it: a truncated or damaged archive is refused with a clear
 * message (rather than whatever the unzipper throws mid-stream), an archive that is not an Excel workbook (an .ods,
 * a .docx) is named as such, and one whose entries claim to expand beyond `maxExpanded` bytes (a ZIP bomb, or a
 * workbook far larger than any order) is refused before a byte is inflated. The claim is the archive's own; the
 * row and cell caps bound what is kept if it lies.
 */
export async function checkZip(
  fh: FileHandle,
  size: number,
  file: string,
  maxExpanded: number,
): Promise<void> {
  // End of central directory: 22 bytes plus a comment of up to 64 KiB, at the end of the file.
  const tailLen = Math.min(size, 22 + 0xffff);
  const tail = Buffer.alloc(tailLen);
  await fh.read(tail, 0, tailLen, size - tailLen);
  let eocd = -1;
  for (let i = tailLen - 22; i >= 0; i--)
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  const damaged = (why: string) => new InputError(`damaged .xlsx workbook (ZIP ${why})`, file);
  if (eocd < 0) throw damaged("directory missing: the file is truncated or not a ZIP");
  const entries = tail.readUInt16LE(eocd + 10);
  const dirSize = tail.readUInt32LE(eocd + 12);
  const dirOffset = tail.readUInt32LE(eocd + 16);
  // ZIP64 (over 65,535 entries or 4 GiB): no workbook under the size cap needs it; leave the archive to exceljs.
  if (entries === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) return;
  if (dirOffset + dirSize > size) throw damaged("directory out of the file: the file is truncated");
  const dir = Buffer.alloc(dirSize);
  await fh.read(dir, 0, dirSize, dirOffset);
  let expanded = 0;
  let workbook = false;
  let at = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > dir.length || dir.readUInt32LE(at) !== 0x02014b50) throw damaged("directory damaged");
    expanded += dir.readUInt32LE(at + 24);
    const nameLen = dir.readUInt16LE(at + 28);
    const name = dir.subarray(at + 46, at + 46 + nameLen).toString("utf8");
    if (name === "xl/workbook.xml") workbook = true;
    at += 46 + nameLen + dir.readUInt16LE(at + 30) + dir.readUInt16LE(at + 32);
  }
  if (!workbook)
    throw new InputError(
      "a ZIP archive but not an Excel workbook (no xl/workbook.xml; an .ods or a Word file?): save it as .xlsx or CSV",
      file,
    );
  if (expanded > maxExpanded)
    throw new InputError(
      `workbook expands to ${mib(expanded)} (over ${mib(maxExpanded)}): too large to screen, or a ZIP bomb`,
      file,
    );
}

export function mib(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} MiB` : `${n} bytes`;
}
