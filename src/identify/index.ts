import { loadKnowledge, type KnowledgeBase } from "../knowledge/load.js";
import type { Observation } from "../observations/observation.js";
import type { Identification } from "./identification.js";
import { claimsOf, indexRules, matchParts, type Claim } from "./match.js";
import { mergeClaims } from "./merge.js";
import { partsOf, type Part } from "./parts.js";

export { loadKnowledge, verifyKnowledge, verifyFingerprintFile } from "../knowledge/index.js";
export type { KnowledgeBase, VerifyIssue } from "../knowledge/index.js";
export type { Identification, Evidence, DeviceType, ClaimField } from "./identification.js";
export { partsOf } from "./parts.js";
export type { Part } from "./parts.js";

/** Parts derived from first-pass claims; model-family and firmware rules run on them. */
const DERIVED = ["model", "firmware"] as const;

const indexCache = new WeakMap<KnowledgeBase, ReturnType<typeof indexRules>>();
function rulesIndex(kb: KnowledgeBase) {
  let idx = indexCache.get(kb);
  if (!idx) {
    idx = indexRules(kb);
    indexCache.set(kb, idx);
  }
  return idx;
}

/** Identify ONE device from its observations. Pure: same input, same output. */
export function identify(observations: Observation[], kb: KnowledgeBase = loadKnowledge()): Identification {
  const idx = rulesIndex(kb);
  const parts = observations.flatMap((o, i) => partsOf(o, i));
  const claims: Claim[] = matchParts(idx, parts).flatMap((m) => claimsOf(m));

  // Second pass on derived parts, each scaled by the confidence of the claim it came from.
  const derived: { part: Part; base: number }[] = [];
  const seen = new Map<string, number>();
  for (const c of claims) {
    if (!(DERIVED as readonly string[]).includes(c.field)) continue;
    const k = `${c.field}|${c.value}|${c.part.obsIndex}`;
    const at = seen.get(k);
    if (at !== undefined) {
      const d = derived[at] as { part: Part; base: number };
      d.base = Math.max(d.base, c.confidence);
      continue;
    }
    seen.set(k, derived.length);
    derived.push({
      part: { name: c.field, value: c.value, ctx: c.part.ctx, obsIndex: c.part.obsIndex },
      base: c.confidence,
    });
  }
  const baseOf = new Map(derived.map((d) => [d.part, d.base]));
  const second = matchParts(
    idx,
    derived.map((d) => d.part),
    parts,
  ).flatMap((m) => claimsOf(m, baseOf.get(m.part) ?? 0));

  // A derived rule that claims its own part's field rewrites that value (firmware normal form).
  for (const r of second) {
    if (r.rewrites === undefined) continue;
    for (const c of claims) if (c.field === r.field && c.value === r.rewrites) c.value = r.value;
  }
  claims.push(...second);

  const target = observations.find((o) => o.target)?.target ?? null;
  return mergeClaims(claims, observations, kb, target);
}

/** Group observations by target (first-seen order); observations without a target stand alone. */
export function identifyAll(
  observations: Observation[],
  kb: KnowledgeBase = loadKnowledge(),
): Identification[] {
  const groups: Observation[][] = [];
  const byTarget = new Map<string, Observation[]>();
  for (const o of observations) {
    if (!o.target) {
      groups.push([o]);
      continue;
    }
    let g = byTarget.get(o.target);
    if (!g) {
      g = [];
      byTarget.set(o.target, g);
      groups.push(g);
    }
    g.push(o);
  }
  return groups.map((g) => identify(g, kb));
}
