import { loadKnowledge, type KnowledgeBase } from "../knowledge/load.js";
import { isLocallyAdministered, lookupOui } from "../knowledge/oui.js";
import type { Observation } from "../observations/observation.js";
import type { Identification } from "./identification.js";
import { claimsOf, indexRules, matchParts, type Claim } from "./match.js";
import { candidates, mergeClaims, normalizeMac } from "./merge.js";
import { partsOf, type Part } from "./parts/index.js";
import { parseFirmware, parseSerial } from "./versions/index.js";

export { loadKnowledge, verifyKnowledge, verifyFingerprintFile } from "../knowledge/index.js";
export type { KnowledgeBase, VerifyIssue } from "../knowledge/index.js";
export type { Identification, Evidence, DeviceType, ClaimField } from "./identification.js";
export { partsOf } from "./parts/index.js";
export type { Part } from "./parts/index.js";

/** A part derived from first-pass claims, with the belief its rules' confidence is scaled by. */
interface DerivedPart {
  part: Part;
  base: number;
}

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

/** Most notes an identification carries; the rest are counted. */
const MAX_NOTES = 20;

/**
 * MACs claimed by first-pass rules become `oui` parts holding the IEEE registry's organization name,
 * so which organizations mean which maker stays data (knowledge/fingerprints/oui.yaml).
 */
function ouiParts(claims: Claim[], notes: string[]): DerivedPart[] {
  const out = new Map<string, DerivedPart>();
  // Belief in each MAC as the merge combines it: noisy-OR over the distinct rules that read it (a scope and a UUID
  // agreeing count more than either).
  const macs: Claim[] = [];
  for (const c of claims) {
    const mac = c.field === "mac" ? normalizeMac(c.value) : undefined;
    if (mac) macs.push({ ...c, value: mac });
  }
  const belief = new Map(candidates(macs, "mac").map((m) => [m.key, m.combined]));
  for (const c of macs) {
    const mac = c.value;
    const entry = lookupOui(mac);
    if (!entry) {
      notes.push(
        isLocallyAdministered(mac)
          ? `MAC ${mac} is locally administered: no registered owner`
          : `MAC ${mac}: prefix not in the IEEE registry`,
      );
      continue;
    }
    const prev = out.get(entry.prefix);
    if (prev) {
      prev.base = Math.max(prev.base, belief.get(mac) ?? 0);
      continue;
    }
    const ctx = { ...c.part.ctx, request: `IEEE registry ${entry.prefix} (${mac})` };
    out.set(entry.prefix, {
      part: { name: "oui", value: entry.organization, ctx, obsIndex: c.part.obsIndex },
      base: belief.get(mac) ?? 0,
    });
  }
  return [...out.values()];
}

/**
 * Parts derived from first-pass claims (model, firmware), each scaled by the confidence of the claim it came from,
 * and the models Hikvision serials name (`typeOnly`: their rules may give the device type, nothing else).
 */
function derivedParts(claims: Claim[]): { derived: DerivedPart[]; typeOnly: Set<Part> } {
  const derived: DerivedPart[] = [];
  const seen = new Map<string, number>();
  for (const c of claims) {
    if (!(DERIVED as readonly string[]).includes(c.field)) continue;
    const k = `${c.field}|${c.value}|${c.part.obsIndex}`;
    const at = seen.get(k);
    if (at !== undefined) {
      const d = derived[at] as DerivedPart;
      d.base = Math.max(d.base, c.confidence);
      continue;
    }
    seen.set(k, derived.length);
    derived.push({
      part: { name: c.field, value: c.value, ctx: c.part.ctx, obsIndex: c.part.obsIndex },
      base: c.confidence,
    });
  }
  // A Hikvision serial names the model: the model rules may then say what kind of device it is. Only that: the
  // serial's own rules already spoke for the maker, and counting the same serial twice would inflate it.
  const typeOnly = new Set<Part>();
  const withModel = new Set(derived.filter((d) => d.part.name === "model").map((d) => d.part.obsIndex));
  for (const c of claims) {
    // Only where the observation named no model itself: otherwise that model already went through the families.
    if (c.field !== "serial" || withModel.has(c.part.obsIndex)) continue;
    const model = parseSerial(c.value)?.model;
    const k = `model|${model}|${c.part.obsIndex}`;
    if (!model || seen.has(k)) continue;
    seen.set(k, derived.length);
    const part: Part = { name: "model", value: model, ctx: c.part.ctx, obsIndex: c.part.obsIndex };
    typeOnly.add(part);
    derived.push({ part, base: c.confidence });
  }
  return { derived, typeOnly };
}

/** Identify ONE device from its observations. Pure: same input, same output. */
export function identify(observations: Observation[], kb: KnowledgeBase = loadKnowledge()): Identification {
  const idx = rulesIndex(kb);
  const notes: string[] = [];
  const parts: Part[] = [];
  for (let i = 0; i < observations.length; i++) partsOf(observations[i] as Observation, i, notes, parts);
  const claims: Claim[] = [];
  for (const m of matchParts(idx, parts)) claims.push(...claimsOf(m));

  // Second pass on derived parts, each scaled by the confidence of the claim it came from.
  const { derived, typeOnly } = derivedParts(claims);
  derived.push(...ouiParts(claims, notes));
  const baseOf = new Map(derived.map((d) => [d.part, d.base]));
  const second = matchParts(
    idx,
    derived.map((d) => d.part),
    parts,
  )
    .flatMap((m) => claimsOf(m, baseOf.get(m.part) ?? 0))
    .filter((c) => !typeOnly.has(c.part) || c.field === "deviceType");

  // A derived rule that claims its own part's field rewrites that value (firmware normal form).
  for (const r of second) {
    if (r.rewrites === undefined) continue;
    for (const c of claims) if (c.field === r.field && c.value === r.rewrites) c.value = r.value;
  }
  claims.push(...second);

  const target = observations.find((o) => o.target)?.target ?? null;
  const id = mergeClaims(claims, observations, kb, target);
  withVersions(id);
  const unique = [...new Set(notes)];
  id.notes =
    unique.length > MAX_NOTES
      ? [...unique.slice(0, MAX_NOTES), `… and ${unique.length - MAX_NOTES} more`]
      : unique;
  return id;
}

/** Parsed firmware and serial; a Hikvision serial also names the model when nothing else did. */
function withVersions(id: Identification): void {
  const firmware = id.firmware ? parseFirmware(id.firmware, id.manufacturer) : null;
  const serial = id.serial ? parseSerial(id.serial, id.manufacturer, id.model) : null;
  id.versions = { firmware, serial };
  const from = id.evidence.find((e) => e.field === "serial");
  if (!id.model && serial?.model && from) {
    id.model = serial.model;
    id.evidence.splice(id.evidence.indexOf(from), 0, {
      ...from,
      field: "model",
      value: serial.model,
      rule: "versions:serial-model",
      excerpt: `serial ${from.excerpt} begins with the model`,
    });
  }
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
