/**
 * Device text is hostile: a camera may put markup, terminal escapes, bidi overrides or any script in its model or
 * firmware string. The HTML and PDF reports pass every such string through these, so it shows as visible text and
 * never as markup, hidden characters or missing glyphs. A replaced character reads `\u{XXXX}`.
 */

/** Control characters (C0, DEL, C1), line/paragraph separators and bidi overrides/isolates, which reorder or hide text. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function codeMarker(ch: string): string {
  return `\\u{${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}}`;
}

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** For HTML text and attribute values (SVG included): invisible characters become markers, then & < > " ' entities. */
export function escapeHtml(s: string): string {
  return s.replace(INVISIBLE, codeMarker).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

/** Characters above U+00FF that WinAnsiEncoding (the standard PDF fonts' encoding) still holds. */
const WIN_ANSI_EXTRA = new Set("ƒ–—‘’‚“”„†‡•…€‰‹›ˆ™ŒœŠšŸŽž˜");

function inWinAnsi(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  // U+00AD (soft hyphen) is dropped by line breaking: marked so it cannot vanish.
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff && c !== 0xad) || WIN_ANSI_EXTRA.has(ch);
}

/**
 * For the PDF's standard Helvetica fonts: every character WinAnsi cannot encode (Chinese, emoji, controls) becomes
 * a visible marker instead of a blank or a wrong glyph. Iterates by code point so an emoji gives one marker.
 */
export function pdfSafeText(s: string): string {
  let out = "";
  for (const ch of s) out += inWinAnsi(ch) ? ch : codeMarker(ch);
  return out;
}

/** Shortens to `max` characters (by code point) with an ellipsis, so one hostile string cannot fill a page. */
export function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : s;
}
