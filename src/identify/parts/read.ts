/**
 * Safe reading of device text: caps, strict XML without DTDs, JSON only when it looks like JSON, raw bytes back to
 * text. Nothing here throws; what is not read is said through a `Why` callback and becomes a note.
 */
import { readXml, XML_CAP } from "../xml.js";

export type Push = (name: string, value: string) => void;

export const PART_CAP = 8 * 1024;
/** Structured bodies (XML, JSON) are read only up to this size: the XML reader's own cap. */
export const PARSE_CAP = XML_CAP;
export const MAX_PARTS_PER_OBS = 400;

export function cap(s: string): string {
  return s.length > PART_CAP ? s.slice(0, PART_CAP) : s;
}

export function str(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** Why a structured body was not read; becomes a note on the identification. */
export type Why = (reason: string) => void;
export const ignore: Why = () => undefined;

/** Parse XML only when it is small, well-formed and carries no DTD (no entity expansion, ever). */
export function safeXml(text: string, why: Why = ignore): Record<string, unknown> | undefined {
  const r = readXml(text);
  if ("error" in r) {
    why(r.error);
    return undefined;
  }
  return r.tree;
}

export function safeJson(text: string, why: Why = ignore): unknown {
  // A 404 page or a login form where JSON was asked for is simply not a JSON reply: no note, and no
  // exception thrown and caught for every such reply (costly at scan rates).
  if (!/^\s*[{[]/.test(text)) return undefined;
  if (text.length > PARSE_CAP) return (why(`JSON over ${PARSE_CAP / 1024} KiB not parsed`), undefined);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    why("malformed JSON");
    return undefined;
  }
}

export function decodeRaw(raw: string, encoding?: string): Buffer {
  return encoding === "base64"
    ? Buffer.from(raw.slice(0, PARSE_CAP * 2), "base64")
    : Buffer.from(raw.slice(0, PARSE_CAP), "utf8");
}

/** Raw text as a string: base64 is decoded (invalid UTF-8 becomes U+FFFD); text is only cut, not re-encoded. */
export function rawText(raw: string, encoding?: string): string {
  return encoding === "base64" ? decodeRaw(raw, encoding).toString("utf8") : raw.slice(0, PARSE_CAP);
}

/** Find the first element with this local name anywhere in a parsed tree (bounded depth). */
export function findElement(node: unknown, name: string, depth = 0): unknown {
  if (!node || typeof node !== "object" || depth > 12) return undefined;
  if (Array.isArray(node)) {
    for (const n of node) {
      const r = findElement(n, name, depth + 1);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(node)) {
    if (k === name) return Array.isArray(v) ? v[0] : v;
    const r = findElement(v, name, depth + 1);
    if (r !== undefined) return r;
  }
  return undefined;
}

/** Leaf children of an element as [localName, text]. */
export function leaves(el: unknown): [string, string][] {
  if (!el || typeof el !== "object" || Array.isArray(el)) return [];
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(el)) {
    const s = str(Array.isArray(v) ? v[0] : v);
    if (s !== undefined) out.push([k, s.trim()]);
  }
  return out;
}

/** What a member name may look like before it becomes part of a part name (`lapi.DeviceModel`, `dhip.Vendor`). */
const MEMBER = /^[A-Za-z]\w{0,63}$/;

/**
 * The non-empty string (or number, boolean) members of a JSON object as `<prefix>.<member>` parts, at most `max` of them and only
 * names of the `key` shape: a device's JSON reply (DHIP deviceInfo, Axis properties, Uniview LAPI, nmap's scripts)
 * is hostile input.
 */
export function memberParts(obj: unknown, prefix: string, push: Push, max = 100, key = MEMBER): void {
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) return;
  for (const [k, v] of Object.entries(obj).slice(0, max)) {
    const s = str(v);
    if (s && key.test(k)) push(named(prefix, k), s);
  }
}

/**
 * Part names, memoised per prefix: the same few names ("isapi.model", "http.header.server") arrive millions of times in
 * a large scan, and a name built once is hashed once. Bounded: a hostile device could send endless distinct keys.
 */
const names = new Map<string, Map<string, string>>();
export function named(prefix: string, key: string): string {
  let memo = names.get(prefix);
  if (!memo) names.set(prefix, (memo = new Map()));
  let v = memo.get(key);
  if (v === undefined) {
    v = `${prefix}.${key}`;
    if (memo.size < 4096) memo.set(key, v);
  }
  return v;
}
