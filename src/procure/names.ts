import damerau from "damerau-levenshtein";
import type { Brand } from "../knowledge/schema.js";
import type { NameEntry, NamesFile } from "./knowledge.js";

/**
 * Finding makers' and brands' names in a line as people type them: any case, accents, punctuation or spacing
 * ("Hik-Vision", "HIK VISION"), inside a company's legal name ("Hangzhou Hikvision Digital Technology Co., Ltd."),
 * and, for distinctive names, with a typing mistake or two ("Hikvison", "Huawai"). Pure.
 */

/** What a found name stands for. */
export type NameTarget =
  | { kind: "maker"; slug: string; component: boolean; line: boolean }
  | { kind: "brand"; brand: string }
  | { kind: "attest"; why: string }
  | { kind: "other" };

export interface NameHit {
  target: NameTarget;
  /** the entry's display name */
  name: string;
  /** the text of the line that matched, as written */
  text: string;
  /** typing mistakes forgiven (0: as written) */
  distance: number;
  sources: NameEntry["sources"];
}

interface Key {
  key: string;
  /** tokens the spelling spans */
  width: number;
  target: NameTarget;
  name: string;
  fuzzy: boolean;
  /** counts anywhere in a text though short */
  anywhere?: boolean;
  short: boolean;
  sources: NameEntry["sources"];
}

export interface NameIndex {
  exact: Map<string, Key[]>;
  fuzzy: Key[];
  /** spellings in scripts without spaces between words (海康威视), matched as substrings */
  cjk: Key[];
  /** legal forms and places, dropped from a maker column that names no known maker */
  legal: Set<string>;
}

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/;
/** Names of at most this many letters match only in a maker or brand column, or first in a free text. */
const SHORT = 3;
/** Longest spelling, in tokens, a window of the line is compared with. */
const MAX_WIDTH = 4;

/** Lower case, accents off, every run of other than letters and digits a single space. */
export function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

function targetOf(e: NameEntry): NameTarget {
  if (e.maker)
    return { kind: "maker", slug: e.maker, component: e.component === true, line: e.line === true };
  if (e.brand) return { kind: "brand", brand: e.brand };
  if (e.attest) return { kind: "attest", why: e.attest };
  return { kind: "other" };
}

export function indexNames(file: NamesFile, brands: readonly Brand[]): NameIndex {
  const idx: NameIndex = {
    exact: new Map(),
    fuzzy: [],
    cjk: [],
    legal: new Set([...file.legalForms, ...file.places]),
  };
  const add = (spelling: string, k: Omit<Key, "key" | "width" | "short">) => {
    if (CJK.test(spelling)) {
      idx.cjk.push({ ...k, key: spelling, width: 1, short: false });
      return;
    }
    const tokens = fold(spelling).split(" ").filter(Boolean);
    if (!tokens.length || tokens.length > MAX_WIDTH) return;
    const key = tokens.join("");
    const entry: Key = { ...k, key, width: tokens.length, short: key.length <= SHORT && !k.anywhere };
    idx.exact.set(key, [...(idx.exact.get(key) ?? []), entry]);
    if (k.fuzzy && key.length >= 6) idx.fuzzy.push(entry);
  };
  for (const e of file.names) {
    // The display name is a spelling too, unless it lists several ("Panasonic / i-PRO") or describes a set.
    const own = (e.maker || e.brand) && !e.name.includes("/") ? [e.name] : [];
    for (const s of new Set([...own, ...e.spellings]))
      add(s, {
        target: targetOf(e),
        name: e.name,
        fuzzy: e.fuzzy === true,
        anywhere: e.anywhere === true,
        sources: e.sources,
      });
  }
  // Every brand of the vocabulary by its own name; long ones forgive a mistake.
  for (const b of brands)
    add(b.name, {
      target: { kind: "brand", brand: b.name },
      name: b.name,
      fuzzy: fold(b.name).replace(/ /g, "").length >= 7,
      sources: b.sources,
    });
  return idx;
}

/** Mistakes forgiven for a name of this length: none below 6 letters, 1 up to 9, 2 from 10. */
const allowed = (length: number) => (length >= 10 ? 2 : length >= 6 ? 1 : 0);

/**
 * Names in one text. `column`: the text is a maker or brand column (short names count anywhere in it); otherwise a
 * short name counts only as the text's first word ("LTS CMIP3042W" but not "Ubuntu 22.04 LTS").
 */
export function findNames(idx: NameIndex, text: string, o: { column: boolean }): NameHit[] {
  const hits: NameHit[] = [];
  const seen = new Set<string>();
  const push = (k: Key, written: string, distance: number) => {
    const id = `${k.name}\u0000${written}`;
    if (seen.has(id)) return;
    seen.add(id);
    hits.push({ target: k.target, name: k.name, text: written, distance, sources: k.sources });
  };
  // Longest first; a shorter spelling inside one already found (海康 in 海康威视) is the same name.
  const cjk: string[] = [];
  for (const k of [...idx.cjk].sort((a, b) => b.key.length - a.key.length))
    if (text.includes(k.key) && !cjk.some((c) => c.includes(k.key))) {
      cjk.push(k.key);
      push(k, k.key, 0);
    }
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({
    word: fold(m[0]),
    start: m.index,
    end: m.index + m[0].length,
  }));
  const taken = new Set<number>();
  const windows = function* (width: number) {
    for (let i = 0; i + width <= words.length; i++) {
      if (Array.from({ length: width }, (_, j) => i + j).some((j) => taken.has(j))) continue;
      const span = words.slice(i, i + width);
      yield {
        i,
        key: span.map((w) => w.word).join(""),
        written: text.slice(span[0]!.start, span.at(-1)!.end),
      };
    }
  };
  const take = (i: number, width: number) => {
    for (let j = i; j < i + width; j++) taken.add(j);
  };
  // Names as written first, widest first ("Samsung Techwin" before "Samsung"); only then the words left over are
  // compared with the distinctive names, so "Hikvision DS" is Hikvision as written, not a misspelt "Hik Vision".
  for (let width = MAX_WIDTH; width >= 1; width--)
    for (const w of windows(width)) {
      const k = (idx.exact.get(w.key) ?? []).find((x) => !x.short || o.column || w.i === 0);
      if (!k) continue;
      take(w.i, width);
      push(k, w.written, 0);
    }
  for (let width = MAX_WIDTH; width >= 1; width--)
    for (const w of windows(width)) {
      if (w.key.length < 6 || /^\d/.test(w.key)) continue;
      let best: { k: Key; d: number } | undefined;
      for (const f of idx.fuzzy) {
        if (f.width !== width || f.key[0] !== w.key[0]) continue;
        const d = damerau(w.key, f.key).steps;
        if (d > 0 && d <= allowed(f.key.length) && (!best || d < best.d)) best = { k: f, d };
      }
      if (!best) continue;
      take(w.i, width);
      push(best.k, w.written, best.d);
    }
  return hits;
}

/** A maker column's words without legal form and place: "Shenzhen Foo Technology Co., Ltd." -> "foo technology". */
export function withoutLegalForm(idx: NameIndex, text: string): string {
  return fold(text)
    .split(" ")
    .filter((w) => w && !idx.legal.has(w))
    .join(" ");
}
