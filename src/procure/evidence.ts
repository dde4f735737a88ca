import { claimsOf, indexRules, matchParts } from "../identify/match.js";
import type { Part } from "../identify/parts/index.js";
import type { CompiledRule } from "../knowledge/compile.js";
import type { KnowledgeBase } from "../knowledge/load.js";
import type { Source } from "../knowledge/schema.js";
import type { ComponentRule } from "./knowledge.js";
import { findNames, type NameHit, type NameIndex } from "./names.js";

/**
 * What one purchase line says about who made its product, piece by piece, each with the words it rests on: names in
 * the maker, brand and description columns, model numbers the inventory's model-family rules recognise
 * (knowledge/fingerprints/models.yaml), and covered components. Pure; screen.ts weighs them.
 */

/** The columns a line is read from; `text` is a free-form product string (`--product`). */
export interface LineFields {
  manufacturer?: string;
  brand?: string;
  model?: string;
  sku?: string;
  description?: string;
  text?: string;
}
export type LineField = keyof LineFields;

export interface ModelHit {
  field: LineField;
  /** the token as written */
  text: string;
  rule: string;
  manufacturer?: string;
  brand?: string;
  deviceType?: string;
  confidence: number;
  sources: Source[];
}

export interface ComponentHit {
  field: LineField;
  text: string;
  rule: string;
  maker: string;
  description: string;
  sources: Source[];
}

export interface LineEvidence {
  names: (NameHit & { field: LineField })[];
  models: ModelHit[];
  components: ComponentHit[];
}

/** Longest cell read: a purchase line is short, and a device or a file may be hostile. */
export const MAX_FIELD_CHARS = 4000;

const COLUMNS: readonly LineField[] = ["manufacturer", "brand"];

/** Model-number-like words: letters and digits with the punctuation model numbers use, at least one digit. */
export function modelTokens(text: string): string[] {
  const out = new Set<string>();
  for (const raw of text.split(/[\s,;|]+/)) {
    // Brackets and quotes around a word are prose; inside one ("DS-2CD2347G3P-LIS2UY/S(L)") they are the model's.
    let t = raw.replace(/^[("'[{]+|["'\]},.:!?]+$/g, "");
    // A closing bracket ends the model only when the model opened it ("S(L)"), not when prose did ("(DS-7608NI-K2)").
    while (t.endsWith(")") && (t.match(/\(/g)?.length ?? 0) < (t.match(/\)/g)?.length ?? 0))
      t = t.slice(0, -1);
    t = t.replace(/[.:,]+$/, "");
    if (t.length < 4 || t.length > 64 || !/\d/.test(t) || !/[A-Za-z]/.test(t)) continue;
    out.add(t);
    // "Hikvision-DS-2CD2143G2-I" or a distributor's "HIK-DS-2CD2143G2-I": try once more without a leading word.
    const rest = /^[A-Za-z]{2,12}[-_:]+([A-Za-z].{3,})$/.exec(t)?.[1];
    if (rest && /\d/.test(rest)) out.add(rest);
  }
  return [...out];
}

const modelIndex = new WeakMap<readonly CompiledRule[], Map<string, CompiledRule[]>>();

/** The procurement screen's own model rules first, then the inventory's model-family rules. */
function modelRules(k: EvidenceKnowledge): Map<string, CompiledRule[]> {
  let idx = modelIndex.get(k.models);
  if (!idx) {
    idx = new Map([["model", [...k.models, ...(indexRules(k.kb).get("model") ?? [])]]]);
    modelIndex.set(k.models, idx);
  }
  return idx;
}

function modelHits(k: EvidenceKnowledge, field: LineField, text: string): ModelHit[] {
  const idx = modelRules(k);
  const parts: Part[] = modelTokens(text).map((value) => ({
    name: "model",
    value: value.toUpperCase().startsWith("IDS-") ? `i${value.slice(1)}` : value,
    ctx: {},
    obsIndex: 0,
  }));
  const hits: ModelHit[] = [];
  for (const m of matchParts(idx, parts)) {
    const claims = claimsOf(m);
    if (!claims.length) continue;
    const hit: ModelHit = {
      field,
      text: m.part.value,
      rule: m.rule.rule.id,
      confidence: m.rule.rule.confidence,
      sources: m.rule.rule.sources,
    };
    for (const c of claims) {
      if (c.field === "manufacturer") hit.manufacturer = c.value;
      else if (c.field === "brand") hit.brand = c.value;
      else if (c.field === "deviceType") hit.deviceType = c.value;
    }
    if (hit.manufacturer || hit.brand) hits.push(hit);
  }
  return hits;
}

function componentHits(rules: readonly ComponentRule[], field: LineField, text: string): ComponentHit[] {
  const hits: ComponentHit[] = [];
  // A board or part name joins its chip with underscores ("HI3516D_MB_V13"): each piece is tried too.
  const tokens = modelTokens(text).flatMap((t) => (t.includes("_") ? [t, ...t.split("_")] : [t]));
  for (const token of new Set(tokens))
    for (const r of rules)
      if (r.re.test(token))
        hits.push({
          field,
          text: token,
          rule: r.id,
          maker: r.maker,
          description: r.description,
          sources: r.sources,
        });
  return hits;
}

export interface EvidenceKnowledge {
  kb: KnowledgeBase;
  names: NameIndex;
  components: readonly ComponentRule[];
  /** knowledge/procurement/models.yaml */
  models: readonly CompiledRule[];
}

/** Everything the line's columns say, column by column. */
export function lineEvidence(k: EvidenceKnowledge, line: LineFields): LineEvidence {
  const ev: LineEvidence = { names: [], models: [], components: [] };
  for (const [field, raw] of Object.entries(line) as [LineField, string | undefined][]) {
    const text = raw?.slice(0, MAX_FIELD_CHARS).trim();
    if (!text) continue;
    const column = COLUMNS.includes(field);
    for (const n of findNames(k.names, text, { column })) ev.names.push({ ...n, field });
    if (column) continue;
    ev.models.push(...modelHits(k, field, text));
    ev.components.push(...componentHits(k.components, field, text));
  }
  return ev;
}
