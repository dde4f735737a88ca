import { stringify } from "csv-stringify/sync";
import { clip, codeMarker } from "../document/safe-text.js";

/**
 * Text for the data exports. Device text is hostile twice over here: a spreadsheet runs a cell that starts like a
 * formula (`=HYPERLINK(...)`, `+cmd|...`: OWASP "CSV injection"), and one control character makes an XLSX file
 * unreadable (XML 1.0 forbids most of C0). The text is kept, only made inert.
 */

/** Longest string written for one value: CycloneDX caps a version at 1024 characters, and no model name needs more. */
export const MAX_TEXT = 1024;

/**
 * What XML 1.0 forbids (C0 but tab, LF and CR; U+FFFE/FFFF; lone surrogates), plus DEL, C1, line/paragraph
 * separators, the BOM and bidi overrides/isolates (which make text display as something else). Tab, LF and CR stay:
 * CSV quotes them and XML allows them.
 */
const UNSAFE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A spreadsheet reads a cell as a formula when it starts with = + - @ (csv-stringify's escape_formulas knows these
 * and their fullwidth forms, which some apps fold to ASCII) or with a tab or CR it drops first. Blanks before the
 * sign are allowed for too, for importers that trim.
 */
const FORMULA = /^(?:[\t\r]|\s*[=+\-@\uff1d\uff0b\uff0d\uff20])/;

/** Unsafe characters as visible `\u{XXXX}` markers (as the HTML and PDF reports show them), cut to `max`. */
export function cleanText(s: string, max = MAX_TEXT): string {
  return clip(s.replace(UNSAFE, codeMarker), max);
}

/** A spreadsheet cell: clean, and a leading `'` where it would start a formula. null is an empty cell. */
export function safeCell(s: string | null | undefined, max = MAX_TEXT): string {
  if (s === null || s === undefined) return "";
  const clean = s.replace(UNSAFE, codeMarker);
  return clip(FORMULA.test(clean) ? `'${clean}` : clean, max);
}

/**
 * RFC 4180 CSV: CRLF records, fields quoted where needed. quote_record_delimiter is set because csv-stringify turns
 * it off when record_delimiter is given, and a bare LF in a field would then go out unquoted.
 */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return stringify(rows as string[][], {
    record_delimiter: "windows",
    quote_record_delimiter: true,
    escape_formulas: true,
  });
}
