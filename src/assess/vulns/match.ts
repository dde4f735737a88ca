/**
 * Which known vulnerabilities apply to an identified device. Pure: data in, data out.
 *
 * Per CVE of the device's maker:
 * 1. Pattern groups whose model patterns match the normalised model decide. A group gives "exact" when the parsed
 *    firmware is inside its range (and below its fix), "family" when the firmware is unknown, cannot be parsed or
 *    compared, or the group has no range, and nothing when the firmware is known to be outside (at or above the
 *    fix). A group marked familyOnly gives "family" at most.
 * 2. Only when no pattern group matches (another model, or the model is unknown) do the line groups (no patterns:
 *    "the whole product line", optionally one brand or some device types) apply, at "family" at most, and they
 *    too are dropped when the firmware is known to be outside their range or at or above their fix.
 * So a device whose model is unknown gets "family" only for CVEs that name the whole product line and nothing for
 * CVEs that name model families: a maker alone does not say which family a unit belongs to.
 * The best group wins: exact over family; no group, no match.
 */
import type { DeviceType } from "../../identify/identification.js";
import {
  inFirmwareRange,
  normalizeModel,
  parseFirmware,
  type FirmwareInfo,
  type FirmwareRange,
} from "../../identify/versions/index.js";
import { modelMatches } from "./model-pattern.js";
import type { Vulnerability, VulnerabilityKb, VulnGroup } from "./schema.js";

/** The fields of an Identification the matcher reads. */
export interface VulnDevice {
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
  versions?: { firmware?: FirmwareInfo | null } | null;
  /** the label shown when it differs from the maker (Amcrest on Dahua firmware) */
  brand?: string | null;
  deviceType?: DeviceType | null;
}

export type Certainty = "exact" | "family";

export interface VulnMatch {
  id: string;
  certainty: Certainty;
  kev: { dateAdded: string; dueDate: string } | null;
  /** NVD's score where known (else the score the data keeps, CNA or vendor), or the v2 score when only v2 exists */
  cvss: { score: number; version: string } | null;
  disputed: boolean;
  /** which series and range matched, and why the certainty is not higher */
  reason: string;
}

interface GroupResult {
  certainty: Certainty | null;
  reason: string;
}

/** The group's affected range plus its fix, in the form inFirmwareRange() reads; undefined when it has neither. */
function rangeOf(g: VulnGroup): FirmwareRange | undefined {
  const r: FirmwareRange = { ...(g.range ?? {}) };
  if (g.fixed?.version) r.fixedIn = g.fixed.version;
  if (g.fixed?.builtFrom) r.builtBefore = g.fixed.builtFrom;
  return Object.keys(r).length > 0 ? r : undefined;
}

function describeRange(g: VulnGroup): string {
  const parts: string[] = [];
  const r = g.range;
  if (r?.from || r?.to) parts.push(`range ${r.from ?? "…"} .. ${r.to ?? "…"}`);
  if (r?.before) parts.push(`before ${r.before}`);
  if (r?.firmware) parts.push(`firmware "${r.firmware}"`);
  if (r?.builtFrom) parts.push(`built from ${r.builtFrom}`);
  if (r?.builtUpTo) parts.push(`built up to ${r.builtUpTo}`);
  if (r?.builtBefore) parts.push(`built before ${r.builtBefore}`);
  if (g.fixed?.version) parts.push(`below the fix ${g.fixed.version}`);
  if (g.fixed?.builtFrom) parts.push(`built before the fix date ${g.fixed.builtFrom}`);
  return parts.join(" and ");
}

function evaluate(g: VulnGroup, fw: FirmwareInfo | null, scope: string, capFamily: boolean): GroupResult {
  const range = rangeOf(g);
  if (!range) return { certainty: "family", reason: `${scope}; no affected firmware range known` };
  const desc = describeRange(g);
  if (!fw) return { certainty: "family", reason: `${scope}; firmware unknown (affected: ${desc})` };
  const inside = inFirmwareRange(fw, range);
  if (inside === false)
    return { certainty: null, reason: `${scope}; firmware ${fw.normalized} is not ${desc}` };
  if (inside === null)
    return {
      certainty: "family",
      reason: `${scope}; firmware ${fw.normalized} cannot be checked against: ${desc}`,
    };
  if (capFamily)
    return { certainty: "family", reason: `${scope}; firmware ${fw.normalized} is affected: ${desc}` };
  return { certainty: "exact", reason: `${scope}; firmware ${fw.normalized} is affected: ${desc}` };
}

function sameText(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function matchOne(
  v: Vulnerability,
  model: string,
  fw: FirmwareInfo | null,
  device: VulnDevice,
): VulnMatch | null {
  const results: GroupResult[] = [];
  if (model) {
    for (const g of v.affected) {
      if (!g.models) continue;
      const hit = g.models.find((p) => modelMatches(p, model));
      if (!hit) continue;
      const scope = `model ${model} is in series ${g.series} (pattern ${hit})`;
      results.push(
        evaluate(g, fw, g.familyOnly ? `${scope}, which names the family only` : scope, !!g.familyOnly),
      );
    }
  }
  if (results.length === 0) {
    for (const g of v.affected) {
      if (g.models) continue;
      if (g.brand && !(device.brand && sameText(g.brand, device.brand))) continue;
      const type = device.deviceType;
      if (g.deviceTypes && type && type !== "unknown" && !g.deviceTypes.includes(type)) continue;
      const who = model ? `model ${model} is not listed` : "model unknown";
      results.push(evaluate(g, fw, `${who}; the CVE covers the product line "${g.series}"`, true));
    }
  }
  const best = results.find((r) => r.certainty === "exact") ?? results.find((r) => r.certainty === "family");
  if (!best?.certainty) return null;
  const cvss = v.cvss
    ? { score: v.cvss.score, version: v.cvss.version }
    : v.cvssV2 !== undefined
      ? { score: v.cvssV2, version: "2.0" }
      : null;
  return {
    id: v.id,
    certainty: best.certainty,
    kev: v.kev ? { dateAdded: v.kev.dateAdded, dueDate: v.kev.dueDate } : null,
    cvss,
    disputed: !!v.disputed,
    reason: best.reason,
  };
}

/**
 * The CVEs of `kb` that apply to `device`, exact before family, then KEV-listed first, then by CVSS (highest
 * first), then by id. A device without a maker matches nothing.
 */
export function matchVulnerabilities(
  device: VulnDevice,
  kb: Pick<VulnerabilityKb, "vulnerabilities">,
): VulnMatch[] {
  const maker = device.manufacturer?.trim().toLowerCase();
  if (!maker) return [];
  const model = device.model ? normalizeModel(device.model, maker) : "";
  const fw = device.versions?.firmware ?? (device.firmware ? parseFirmware(device.firmware, maker) : null);
  const out: VulnMatch[] = [];
  for (const v of kb.vulnerabilities) {
    if (v.manufacturer !== maker) continue;
    const m = matchOne(v, model, fw, device);
    if (m) out.push(m);
  }
  const rank = (m: VulnMatch): number => (m.certainty === "exact" ? 0 : 2) + (m.kev ? 0 : 1);
  return out.sort(
    (a, b) => rank(a) - rank(b) || (b.cvss?.score ?? -1) - (a.cvss?.score ?? -1) || a.id.localeCompare(b.id),
  );
}
