import { foldBrand, type KnowledgeBase } from "../knowledge/load.js";
import type { Observation } from "../observations/observation.js";
import {
  CLAIM_FIELDS,
  DEVICE_TYPES,
  type ClaimField,
  type Conflict,
  type DeviceType,
  type Suspect,
  type Evidence,
  type Identification,
} from "./identification.js";
import type { Claim } from "./match.js";

/** A manufacturer is named only at this combined confidence or above; a brand likewise. */
export const MANUFACTURER_THRESHOLD = 0.5;
export const BRAND_THRESHOLD = 0.5;
/** A restricted maker below the threshold but at least this likely makes the device one to check. */
export const SUSPECT_FLOOR = 0.2;

const round = (x: number) => Math.round(x * 10000) / 10000;

/** Fields whose losing candidates are reported as conflicts (mac and serial disagreements are rare noise). */
const CONFLICT_FIELDS: ClaimField[] = ["manufacturer", "brand", "model", "deviceType", "firmware"];

/** aa:bb:cc:dd:ee:ff, or undefined when the value is not a 48-bit MAC. */
export function normalizeMac(v: string): string | undefined {
  const hex = v.replace(/[\s:.-]/g, "").toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) return undefined;
  return (hex.match(/../g) as string[]).join(":");
}

function key(field: ClaimField, value: string): string {
  return field === "brand" || field === "deviceType" ? value : value.toLowerCase();
}

interface Candidate {
  value: string;
  key: string;
  combined: number;
  claims: Claim[];
  first: number;
}

/**
 * Noisy-OR per candidate value: 1 - Π(1 - c) over DISTINCT rules (a rule matching twice, e.g. the
 * same realm on HTTP and RTSP, counts once at its best confidence). Rewrite claims only explain.
 */
export function candidates(claims: Claim[], field: ClaimField): Candidate[] {
  const by = new Map<string, Candidate>();
  for (let i = 0; i < claims.length; i++) {
    const c = claims[i] as Claim;
    if (c.field !== field) continue;
    const k = key(field, c.value);
    let cand = by.get(k);
    if (!cand) {
      cand = { value: c.value, key: k, combined: 0, claims: [], first: i };
      by.set(k, cand);
    }
    cand.claims.push(c);
  }
  for (const cand of by.values()) {
    const perRule = new Map<string, number>();
    // Prefer the spelling of the strongest claim (the first of equals).
    let best: Claim | undefined;
    for (const c of cand.claims) {
      if (c.rewrites) continue;
      perRule.set(c.rule, Math.max(perRule.get(c.rule) ?? 0, c.confidence));
      if (!best || c.confidence > best.confidence) best = c;
    }
    let none = 1;
    for (const p of perRule.values()) none *= 1 - p;
    cand.combined = 1 - none;
    if (best) cand.value = best.value;
  }
  return [...by.values()].sort((a, b) => b.combined - a.combined || a.first - b.first);
}

function sourceOf(c: Claim, observations: Observation[]): Evidence["source"] {
  const o = observations[c.part.obsIndex];
  const s: Evidence["source"] = {
    protocol: (o?.protocol ?? c.part.ctx.protocol) as Evidence["source"]["protocol"],
  };
  if (o?.port !== undefined) s.port = o.port;
  if (c.part.ctx.request) s.request = c.part.ctx.request;
  if (o?.time) s.time = o.time;
  return s;
}

function evidenceOf(c: Claim, observations: Observation[], value: string): Evidence {
  return {
    field: c.field,
    value,
    rule: c.rule,
    part: c.part.name,
    source: sourceOf(c, observations),
    excerpt: c.excerpt,
    confidence: round(c.confidence),
  };
}

function orderEvidence(a: Evidence, b: Evidence): number {
  const fa = a.field === "restricted" ? CLAIM_FIELDS.length : CLAIM_FIELDS.indexOf(a.field);
  const fb = b.field === "restricted" ? CLAIM_FIELDS.length : CLAIM_FIELDS.indexOf(b.field);
  if (fa !== fb) return fa - fb;
  // Policy entries keep policies.yaml order.
  if (a.field === "restricted") return 0;
  return b.confidence - a.confidence || a.rule.localeCompare(b.rule) || a.part.localeCompare(b.part);
}

/** Ids of the policies that cover a maker's group (policies.yaml order). */
function policiesCovering(kb: KnowledgeBase, slug: string): string[] {
  const group = kb.manufacturerBySlug.get(slug)?.group;
  return group ? kb.policies.filter((p) => p.groups.includes(group)).map((p) => p.id) : [];
}

/** The first few claims behind a value that did not win, as evidence (conflicts and devices to check). */
function leadingEvidence(cand: Candidate, observations: Observation[]): Evidence[] {
  return cand.claims
    .filter((c) => !c.rewrites)
    .slice(0, 5)
    .map((c) => evidenceOf(c, observations, cand.value));
}

/** The manufacturer claim a brand makes for its owner, at the brand's belief times the relation's confidence. */
function ownerClaim(brand: Candidate, kb: KnowledgeBase): Claim | undefined {
  const b = kb.brandByName.get(brand.value);
  const basis = brand.claims.filter((c) => !c.rewrites).sort((x, y) => y.confidence - x.confidence)[0];
  if (!b || !basis) return undefined;
  const dates = b.validFrom || b.validTo ? `, ${b.validFrom ?? "?"}..${b.validTo ?? "?"}` : "";
  return {
    ...basis,
    field: "manufacturer",
    value: b.owner,
    confidence: brand.combined * b.confidence,
    rule: `vocabulary:${b.name}`,
    excerpt: `${b.name} is ${/^[aeiou]/i.test(b.relation) ? "an" : "a"} ${b.relation} of ${b.owner} (confidence ${b.confidence}${dates})`,
  };
}

/** Combine claims into one Identification. */
export function mergeClaims(
  input: Claim[],
  observations: Observation[],
  kb: KnowledgeBase,
  target: string | null,
): Identification {
  // MACs in one spelling, brands in the vocabulary's spelling ("HIWATCH" is HiWatch), before they are compared.
  const claims: Claim[] = [];
  for (const c of input) {
    if (c.field === "mac") {
      const mac = normalizeMac(c.value);
      if (mac) claims.push({ ...c, value: mac });
    } else if (c.field === "brand") {
      const b = kb.brandByFolded.get(foldBrand(c.value));
      claims.push(b && b.name !== c.value ? { ...c, value: b.name } : c);
    } else claims.push(c);
  }
  // Claims split by field once; candidates per field computed once (the brand-owner step recomputes manufacturer).
  const perField = new Map<ClaimField, Claim[]>(CLAIM_FIELDS.map((f) => [f, []]));
  for (const c of claims) perField.get(c.field)?.push(c);
  const byField = new Map<ClaimField, Candidate[]>();
  for (const f of CLAIM_FIELDS) byField.set(f, candidates(perField.get(f) ?? [], f));
  const chosen: Partial<Record<ClaimField, Candidate>> = {};
  for (const f of CLAIM_FIELDS) {
    const top = byField.get(f)?.[0];
    if (top && top.combined > 0) chosen[f] = top;
  }
  if (chosen.deviceType && !(DEVICE_TYPES as readonly string[]).includes(chosen.deviceType.value))
    delete chosen.deviceType;
  if (chosen.brand && (chosen.brand.combined < BRAND_THRESHOLD || !kb.brandByName.has(chosen.brand.value)))
    delete chosen.brand;

  // A brand without firmware evidence points to its owner, at the relation's confidence.
  let maker = chosen.manufacturer;
  const via =
    (!maker || maker.combined < MANUFACTURER_THRESHOLD) && chosen.brand && ownerClaim(chosen.brand, kb);
  if (via) {
    const makers = perField.get("manufacturer") ?? [];
    makers.push(via);
    byField.set("manufacturer", candidates(makers, "manufacturer"));
    maker = byField.get("manufacturer")?.[0];
  }
  if (maker && maker.combined < MANUFACTURER_THRESHOLD) maker = undefined;
  if (maker) chosen.manufacturer = maker;
  else delete chosen.manufacturer;

  // One evidence entry per (field, rule, part, observation, excerpt), compared field by field: no key strings.
  const evidence: Evidence[] = [];
  for (const f of CLAIM_FIELDS) {
    const cand = chosen[f];
    if (!cand) continue;
    // Within one field, a claim repeats another when rule, part name, observation and excerpt are the same.
    const kept: Claim[] = [];
    for (const c of cand.claims) {
      const twin = kept.some(
        (k) =>
          k.rule === c.rule &&
          k.part.obsIndex === c.part.obsIndex &&
          k.part.name === c.part.name &&
          k.excerpt === c.excerpt,
      );
      if (twin) continue;
      kept.push(c);
      evidence.push(evidenceOf(c, observations, cand.value));
    }
  }

  const slug = chosen.manufacturer?.value.toLowerCase() ?? null;
  const group = slug ? kb.manufacturerBySlug.get(slug)?.group : undefined;
  const policies = slug ? policiesCovering(kb, slug) : [];
  if (slug && chosen.manufacturer && policies.length > 0) {
    const strongest = [...chosen.manufacturer.claims].sort((a, b) => b.confidence - a.confidence)[0] as Claim;
    for (const id of policies) {
      evidence.push({
        field: "restricted",
        value: id,
        rule: `policy:${id}`,
        part: "manufacturer",
        source: sourceOf(strongest, observations),
        excerpt: `${slug} (group ${group})`,
        confidence: round(chosen.manufacturer.combined),
      });
    }
  }
  evidence.sort(orderEvidence);

  // Losing values are shown, not dropped: a relabel's ONVIF name, a weak look-alike rule.
  const conflicts: Conflict[] = [];
  for (const f of CONFLICT_FIELDS) {
    const won = chosen[f]?.key;
    for (const cand of byField.get(f) ?? []) {
      if (cand.key === won || cand.combined <= 0) continue;
      if (f === "manufacturer" && cand.claims.every((c) => c.rule.startsWith("vocabulary:"))) continue;
      conflicts.push({
        field: f,
        value: cand.value,
        confidence: round(cand.combined),
        evidence: leadingEvidence(cand, observations),
      });
    }
  }

  // Restricted makers short of a verdict: the device is one to check (firmware evidence, a site visit).
  const suspected: Suspect[] = [];
  for (const cand of byField.get("manufacturer") ?? []) {
    if (cand.key === chosen.manufacturer?.key || cand.combined < SUSPECT_FLOOR) continue;
    const ps = policiesCovering(kb, cand.key);
    if (!ps.length || ps.every((p) => policies.includes(p))) continue;
    suspected.push({
      manufacturer: cand.key,
      confidence: round(cand.combined),
      policies: ps,
      evidence: leadingEvidence(cand, observations),
    });
  }

  return {
    target,
    manufacturer: slug,
    brand: chosen.brand?.value ?? null,
    model: chosen.model?.value ?? null,
    firmware: chosen.firmware?.value ?? null,
    deviceType: (chosen.deviceType?.value as DeviceType | undefined) ?? "unknown",
    confidence: chosen.manufacturer ? round(chosen.manufacturer.combined) : 0,
    restricted: policies.length > 0,
    policies,
    mac: chosen.mac?.value ?? null,
    serial: chosen.serial?.value ?? null,
    evidence,
    conflicts,
    suspected,
    notes: [],
    versions: { firmware: null, serial: null },
  };
}
