import { extractClaims, whenMatches, type CompiledRule } from "../knowledge/compile.js";
import type { KnowledgeBase } from "../knowledge/load.js";
import type { ClaimField } from "./identification.js";
import type { Part } from "./parts.js";

/** One field claimed by one rule on one part. */
export interface Claim {
  field: ClaimField;
  value: string;
  confidence: number;
  rule: string;
  part: Part;
  excerpt: string;
  /** set on claims of derived-part rules that rewrite their own field (firmware normal form) */
  rewrites?: string;
}

export interface RuleMatch {
  rule: CompiledRule;
  part: Part;
  m: RegExpExecArray;
}

export const EXCERPT_CAP = 200;

/** Rules indexed by part name, keeping knowledge order (file, then position). */
export function indexRules(kb: KnowledgeBase): Map<string, CompiledRule[]> {
  const idx = new Map<string, CompiledRule[]>();
  for (const r of kb.rules) {
    for (const p of r.parts) {
      const list = idx.get(p) ?? [];
      list.push(r);
      idx.set(p, list);
    }
  }
  return idx;
}

/** All parts of a device by name, built once per matching run for `{part, pattern}` requirements. */
type PartsByName = Map<string, Part[]>;
function byName(all: Part[]): PartsByName {
  const m: PartsByName = new Map();
  for (const p of all) {
    const list = m.get(p.name);
    if (list) list.push(p);
    else m.set(p.name, [p]);
  }
  return m;
}

function requirementsHold(rule: CompiledRule, matched: Set<string>, all: PartsByName): boolean {
  return rule.requires.every((r) =>
    "ruleId" in r ? matched.has(r.ruleId) : (all.get(r.part) ?? []).some((p) => r.re.test(p.value)),
  );
}

/**
 * Run rules over parts. Per part and per fingerprint file the FIRST eligible matching rule wins
 * (Recog semantics; a confidence-0 "asserts nothing" rule therefore shadows later rules).
 */
function runOnce(
  idx: Map<string, CompiledRule[]>,
  parts: Part[],
  all: PartsByName,
  matched: Set<string>,
): RuleMatch[] {
  const out: RuleMatch[] = [];
  for (const part of parts) {
    const rules = idx.get(part.name);
    if (!rules) continue;
    // A part's rules are in knowledge order, so one file's rules are contiguous: after a match, skip to the next file.
    let doneFile: string | undefined;
    for (const rule of rules) {
      if (rule.file === doneFile) continue;
      if (rule.rule.when && !whenMatches(rule.rule.when, part.ctx)) continue;
      if (rule.requires.length > 0 && !requirementsHold(rule, matched, all)) continue;
      const m = rule.re.exec(part.value);
      if (!m) continue;
      doneFile = rule.file;
      out.push({ rule, part, m });
    }
  }
  return out;
}

/** Rule ids that some rule's `requires` names: only their matching can change another rule's eligibility. */
const referencedCache = new WeakMap<Map<string, CompiledRule[]>, Set<string>>();
function referencedIds(idx: Map<string, CompiledRule[]>): Set<string> {
  let ids = referencedCache.get(idx);
  if (!ids) {
    ids = new Set();
    for (const rules of idx.values())
      for (const r of rules) for (const q of r.requires) if ("ruleId" in q) ids.add(q.ruleId);
    referencedCache.set(idx, ids);
  }
  return ids;
}

/** Match until the set of matched rule ids that requirements name is stable. */
export function matchParts(
  idx: Map<string, CompiledRule[]>,
  parts: Part[],
  all: Part[] = parts,
): RuleMatch[] {
  const referenced = referencedIds(idx);
  const named = byName(all);
  let ids = new Set<string>();
  let matches = runOnce(idx, parts, named, ids);
  for (let i = 0; i < 3; i++) {
    const next = new Set(matches.map((x) => x.rule.rule.id).filter((id) => referenced.has(id)));
    if (next.size === ids.size && [...next].every((x) => ids.has(x))) break;
    ids = next;
    matches = runOnce(idx, parts, named, ids);
  }
  return matches;
}

/** Claims of a match; `base` scales confidence for rules on derived parts. */
export function claimsOf(x: RuleMatch, base = 1): Claim[] {
  const conf = x.rule.rule.confidence * base;
  if (conf <= 0) return [];
  const text = x.m[0] ? x.m[0] : x.part.value;
  const excerpt = text.length > EXCERPT_CAP ? text.slice(0, EXCERPT_CAP) : text;
  const claims = extractClaims(x.rule.rule, x.m);
  return (Object.entries(claims) as [ClaimField, string][]).map(([field, value]) => ({
    field,
    value,
    confidence: conf,
    rule: x.rule.rule.id,
    part: x.part,
    excerpt,
    ...(field === x.part.name ? { rewrites: x.part.value } : {}),
  }));
}
