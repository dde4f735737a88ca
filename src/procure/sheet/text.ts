/**
 * Text of a procurement list: decoding a CSV's bytes, and the limits every cell goes through.
 *
 * Encodings (the same family as the asset-list import, src/imports/formats/asset-text.ts): a byte-order mark says
 * UTF-8, UTF-16LE or UTF-16BE; no mark but a NUL in every other byte is UTF-16 without one. Otherwise the file is
 * UTF-8 or Windows-1252 (Excel's plain "CSV" on a French or English Windows), decided *line by line*: a line that
 * is valid UTF-8 is read as UTF-8, one that is not as Windows-1252. Stray Windows-1252 bytes are how a list
 * assembled from two exports usually looks (one ERP's rows pasted into another's file), and reading only those
 * lines as Windows-1252 keeps every other line's accents right, where a whole-file fallback would garble them all.
 * The reverse mistake is rare: Windows-1252 text is valid UTF-8 only when an accented capital is followed by the
 * right symbols ("Ã©"). A file that mixes the two gets a warning naming the lines read as Windows-1252; a file
 * with no UTF-8 line beyond ASCII is simply Windows-1252.
 */
import { utf16Side } from "../../shared/utf16.js";

export interface Decoded {
  text: string;
  /** how the bytes were read, for the read's report */
  encoding: string;
  warnings: string[];
}

/** Lines named in a warning before "and N more". */
const NAMED = 10;

export function lineList(lines: readonly number[]): string {
  const shown = lines.slice(0, NAMED).join(", ");
  return lines.length > NAMED ? `${shown} and ${lines.length - NAMED} more` : shown;
}

export function decodeText(buf: Buffer): Decoded {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return utf8Lines(buf.subarray(3), "UTF-8 (BOM)");
  if (buf[0] === 0xff && buf[1] === 0xfe)
    return {
      text: new TextDecoder("utf-16le").decode(buf.subarray(2)),
      encoding: "UTF-16LE (BOM)",
      warnings: [],
    };
  if (buf[0] === 0xfe && buf[1] === 0xff)
    return {
      text: new TextDecoder("utf-16be").decode(buf.subarray(2)),
      encoding: "UTF-16BE (BOM)",
      warnings: [],
    };
  const side = utf16Side(buf.subarray(0, 4096));
  if (side)
    return {
      text: new TextDecoder(side).decode(buf),
      encoding: `${side.toUpperCase()} (no BOM: NUL bytes)`,
      warnings: [],
    };
  return utf8Lines(buf, "UTF-8");
}

/** UTF-8, with the lines that are not read as Windows-1252 (see the file's comment). */
function utf8Lines(buf: Buffer, label: string): Decoded {
  const strict = new TextDecoder("utf-8", { fatal: true });
  try {
    return { text: strict.decode(buf), encoding: label, warnings: [] };
  } catch {
    // Some line is not UTF-8: decide line by line. LF (0x0A) never occurs inside a UTF-8 sequence or as a
    // Windows-1252 letter, so splitting the bytes there is safe in both.
  }
  const cp1252 = new TextDecoder("windows-1252");
  const parts: string[] = [];
  const legacy: number[] = [];
  let utf8Beyond = false;
  let n = 0;
  for (let start = 0; start <= buf.length;) {
    let end = buf.indexOf(0x0a, start);
    if (end < 0) end = buf.length;
    const line = buf.subarray(start, end);
    n++;
    try {
      parts.push(strict.decode(line));
      if (line.some((b) => b >= 0x80)) utf8Beyond = true;
    } catch {
      parts.push(cp1252.decode(line));
      legacy.push(n);
    }
    start = end + 1;
    if (end === buf.length) break;
  }
  const text = parts.join("\n");
  if (!utf8Beyond)
    return { text, encoding: `Windows-1252 (not UTF-8, first at line ${legacy[0]})`, warnings: [] };
  return {
    text,
    encoding: `${label}, ${legacy.length} line(s) as Windows-1252`,
    warnings: [
      `not valid UTF-8 on line${legacy.length > 1 ? "s" : ""} ${lineList(legacy)}: read as Windows-1252 (the rest of the file is UTF-8); check the accents there`,
    ],
  };
}

/** Longest cell kept (a part number or a description line is far shorter); a longer one is cut, with a warning. */
export const CELL_CAP = 4000;

/**
 * What a screened field never holds: C0 and C1 controls (NUL included), DEL, and the invisible characters that
 * would hide a name from the matcher while showing it to a person: zero-width spaces and joiners, soft hyphen,
 * word joiner, BOM, bidi marks, overrides and isolates.
 */
const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * A cell as a screened field: controls become spaces (a line break inside a cell separates words), invisible
 * characters go, blanks collapse. `hidden` is true when invisible characters were removed, which in a name is
 * worth a warning.
 */
export function screenedText(s: string): { text: string; hidden: boolean } {
  const visible = s.replace(INVISIBLE, "");
  const text = visible.replace(CONTROL, " ").replace(/\s+/g, " ").trim();
  return { text, hidden: visible.length !== s.length };
}
