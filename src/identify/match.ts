import { extractClaims, whenMatches, type CompiledRule } from "../knowledge/compile.js";
import type { KnowledgeBase } from "../knowledge/load.js";
import type { ClaimField } from "./identification.js";
import type { Part } from "./parts/index.js";

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

/** All parts of a device by name, built on the first `{part, pattern}` requirement of a matching run. */
class PartsByName {
  private map: Map<string, Part[]> | undefined;
  constructor(private readonly all: Part[]) {}
  get(name: string): Part[] {
    if (!this.map) {
      this.map = new Map();
      for (const p of this.all) {
        const list = this.map.get(p.name);
        if (list) list.push(p);
        else this.map.set(p.name, [p]);
      }
    }
    return this.map.get(name) ?? [];
  }
}

function requirementsHold(rule: CompiledRule, matched: Set<string>, all: PartsByName): boolean {
  return rule.requires.every((r) =>
    "ruleId" in r ? matched.has(r.ruleId) : all.get(r.part).some((p) => r.re.test(p.value)),
  );
}

const dependsOnRule = (rule: CompiledRule) => rule.requires.some((r) => "ruleId" in r);

/**
 * Run rules over parts. Per part and per fingerprint file the FIRST eligible matching rule wins
 * (Recog semantics; a confidence-0 "asserts nothing" rule therefore shadows later rules). Parts whose outcome
 * depends on which rule ids matched elsewhere are added to `dependent`, so a later round re-runs only those.
 */
function runOnce(
  idx: Map<string, CompiledRule[]>,
  parts: Part[],
  all: PartsByName,
  matched: Set<string>,
  dependent: Set<Part>,
): Map<Part, RuleMatch[]> {
  const out = new Map<Part, RuleMatch[]>();
  for (const part of parts) {
    const rules = idx.get(part.name);
    if (!rules) continue;
    // A part's rules are in knowledge order, so one file's rules are contiguous: after a match, skip to the next file.
    let doneFile: string | undefined;
    for (const rule of rules) {
      if (rule.file === doneFile) continue;
      if (rule.rule.when && !whenMatches(rule.rule.when, part.ctx)) continue;
      if (rule.prefix !== undefined) {
        const v = rule.ignoreCase ? (part.lower ??= part.value.toLowerCase()) : part.value;
        if (!v.startsWith(rule.prefix)) continue;
      }
      const m = rule.re.exec(part.value);
      if (!m) continue;
      // Requirements after the rule's own regex: most rules fail there, and cheaper.
      if (rule.requires.length > 0) {
        if (dependsOnRule(rule)) dependent.add(part);
        if (!requirementsHold(rule, matched, all)) continue;
      }
      doneFile = rule.file;
      const list = out.get(part);
      if (list) list.push({ rule, part, m });
      else out.set(part, [{ rule, part, m }]);
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

/**
 * Match until the set of matched rule ids that requirements name is stable. Only parts with a rule that waits on
 * another rule's id are matched again; the result keeps part order, then rule order.
 */
export function matchParts(
  idx: Map<string, CompiledRule[]>,
  parts: Part[],
  all: Part[] = parts,
): RuleMatch[] {
  const referenced = referencedIds(idx);
  const named = new PartsByName(all);
  const dependent = new Set<Part>();
  let ids = new Set<string>();
  const byPart = runOnce(idx, parts, named, ids, dependent);
  for (let i = 0; i < 3 && dependent.size > 0; i++) {
    const next = new Set<string>();
    for (const list of byPart.values())
      for (const x of list) if (referenced.has(x.rule.rule.id)) next.add(x.rule.rule.id);
    if (next.size === ids.size && [...next].every((x) => ids.has(x))) break;
    ids = next;
    const redo = [...dependent];
    for (const p of redo) byPart.delete(p);
    for (const [p, list] of runOnce(idx, redo, named, ids, dependent)) byPart.set(p, list);
  }
  const out: RuleMatch[] = [];
  for (const p of parts) {
    const list = byPart.get(p);
    if (list) for (const x of list) out.push(x);
  }
  return out;
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
