/**
 * Canonical JSON (RFC 8785, JCS): no whitespace, object keys sorted by UTF-16 code units, strings and numbers as
 * ECMAScript's JSON.stringify writes them. One value has exactly one serialization, so it can be hashed, and two
 * exports of the same inventory are byte-identical.
 */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v === "boolean" || typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new TypeError(`canonical JSON has no ${v}`);
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
  }
  throw new TypeError(`canonical JSON has no ${typeof v}`);
}

/**
 * The JSON value as PostgreSQL's JSONB will give it back: what JSON.stringify keeps (Dates as ISO text, undefined
 * and functions dropped, NaN as null), with the text JSONB refuses made storable: U+0000 and lone surrogates become
 * U+FFFD. A value hashed after this hashes the same when read back from the database.
 */
export function storableJson(v: unknown): unknown {
  const text = JSON.stringify(v);
  if (text === undefined) return null;
  return clean(JSON.parse(text));
}

function clean(v: unknown): unknown {
  if (typeof v === "string") return storableText(v);
  if (Array.isArray(v)) return v.map(clean);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[storableText(k)] = clean(x);
    return out;
  }
  return v;
}

/** PostgreSQL TEXT and JSONB hold no U+0000 and no lone surrogate. */
export function storableText(s: string): string {
  return s.replace(
    /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "\uFFFD",
  );
}
