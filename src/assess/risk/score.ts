/**
 * The risk score of one device, with every factor that gave it points, and the order of a replacement plan. Pure:
 * data in, data out; no clock (the caller passes `today`), no file (the caller passes the weights).
 */
import type { DeviceType } from "../../identify/identification.js";
import type { VulnMatch } from "../vulns/match.js";
import { isIsoDate } from "../../shared/dates.js";
import type { VulnerabilityKb } from "../vulns/schema.js";
import type { CloudContact } from "./cloud.js";
import { CLOUD_ROLES, RISK_MAX, type RiskWeights } from "./schema.js";

export type RiskLevel = "low" | "medium" | "high" | "critical";
export type SiteCriticality = keyof RiskWeights["siteCriticality"];

export interface RiskInput {
  verdict: "prohibited" | "advisory" | "allowed";
  /** ids of the policies behind the verdict, shown as the policy factor's refs; optional */
  policies?: readonly string[];
  vulnerabilities: readonly VulnMatch[];
  /** CVE ids whose KEV entry records known ransomware use (ransomwareCves()); absent: none known */
  ransomware?: readonly string[];
  deviceType: DeviceType;
  /** internet exposure as known: null when nobody has said (not the same as "not exposed") */
  exposure: { internet: boolean; source: string } | null;
  /** camera-cloud endpoints the device was seen contacting (cloudContacts()) */
  cloud: readonly CloudContact[];
  siteCriticality: SiteCriticality | null;
  /** YYYY-MM-DD, to tell whether a KEV due date has passed (no clock inside the pure core) */
  today: string;
}

export interface RiskFactor {
  /** policy, kev, cve, exposure, cloud, device-type, site-criticality */
  factor: string;
  points: number;
  /** plain English; may carry imported text (an exposure source): escape before display */
  says: string;
  /** CVE ids, policy ids, queried names, "site criticality high" */
  refs: string[];
  /** the keys of knowledge/risk.yaml that gave the points (kev.exact, kev.duePassed): their reasons and sources */
  weights: string[];
}

export interface Risk {
  /** 0..100: the factors' points added up, capped at 100 */
  score: number;
  level: RiskLevel;
  /** the factors that gave points, in a fixed order: policy, kev, cve, exposure, cloud, device-type, site */
  factors: RiskFactor[];
  /** facts nobody knew, not counted either way: "internet exposure", "site criticality", "device type" */
  unknown: string[];
  /** KEV CVEs matched at exact firmware (not disputed): compareRisk's first tie-break */
  exactKev: number;
  deviceType: DeviceType;
  /** weightsVersion of the weights that made the score */
  weightsVersion: string;
}

/** Code-unit order: the same everywhere, unlike localeCompare. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How sure the match is, in words; a disputed CVE counts as family (the vendor says it is no vulnerability). */
function certaintyOf(v: VulnMatch): { exact: boolean; says: string } {
  if (v.certainty !== "exact") return { exact: false, says: "at family certainty" };
  if (v.disputed) return { exact: false, says: "at exact firmware, but disputed (counted as family)" };
  return { exact: true, says: "at exact firmware" };
}

/** One factor per CVE, each CVE once (the strongest entry when the input repeats one). */
function perCve(list: RiskFactor[]): RiskFactor[] {
  const best = new Map<string, RiskFactor>();
  for (const f of list) {
    const id = f.refs[0] ?? "";
    const prev = best.get(id);
    if (!prev || f.points > prev.points) best.set(id, f);
  }
  return [...best.values()];
}

/**
 * A group of factors held to `cap` points: strongest first (then by CVE id), each takes what is left; the last one
 * counted says the cap was reached and which CVEs it left out.
 */
function capGroup(list: RiskFactor[], cap: number, what: string): RiskFactor[] {
  list.sort((a, b) => b.points - a.points || byText(a.refs[0] ?? "", b.refs[0] ?? ""));
  let left = cap;
  let cut = "";
  const out: RiskFactor[] = [];
  const dropped: string[] = [];
  for (const f of list) {
    if (f.points <= 0) continue;
    if (left <= 0) {
      dropped.push(...f.refs);
      continue;
    }
    if (f.points > left) {
      cut = `: ${f.points} cut to ${left}`;
      f.points = left;
    }
    left -= f.points;
    out.push(f);
  }
  const last = out[out.length - 1];
  if (last && (cut || dropped.length > 0)) {
    const also = dropped.length > 0 ? `; ${dropped.join(", ")} not counted` : "";
    last.says += ` [${what} count ${cap} points at most${cut}${also}]`;
  }
  return out;
}

function kevFactors(input: RiskInput, w: RiskWeights): RiskFactor[] {
  const ransom = new Set(input.ransomware ?? []);
  const out: RiskFactor[] = [];
  for (const v of input.vulnerabilities) {
    if (!v.kev) continue;
    const c = certaintyOf(v);
    const weights = [c.exact ? "kev.exact" : "kev.family"];
    let points = c.exact ? w.kev.exact.points : w.kev.family.points;
    const passed = input.today > v.kev.dueDate;
    if (passed) {
      points += w.kev.duePassed.points;
      weights.push("kev.duePassed");
    }
    const ransomware = ransom.has(v.id);
    if (ransomware) {
      points += w.kev.ransomware.points;
      weights.push("kev.ransomware");
    }
    const due = `due ${v.kev.dueDate}, ${passed ? "passed" : "not yet passed"}`;
    out.push({
      factor: "kev",
      points,
      says: `KEV ${v.id} ${c.says} (${due}${ransomware ? "; known ransomware use" : ""})`,
      refs: [v.id],
      weights,
    });
  }
  return capGroup(perCve(out), w.kev.cap.points, "KEV CVEs");
}

function cveFactors(input: RiskInput, w: RiskWeights): RiskFactor[] {
  const out: RiskFactor[] = [];
  for (const v of input.vulnerabilities) {
    if (v.kev) continue;
    const c = certaintyOf(v);
    const which = c.exact ? "exact" : "family";
    if (!v.cvss) {
      out.push({
        factor: "cve",
        points: w.cves.unscored[which],
        says: `${v.id} (no CVSS score) ${c.says}`,
        refs: [v.id],
        weights: [`cves.unscored.${which}`],
      });
      continue;
    }
    const score = v.cvss.score;
    const i = w.cves.bands.findIndex((b) => score >= b.minScore);
    const band = w.cves.bands[i];
    if (!band) continue;
    out.push({
      factor: "cve",
      points: band[which],
      says: `${v.id} (CVSS ${score} v${v.cvss.version}, ${band.label}) ${c.says}`,
      refs: [v.id],
      weights: [`cves.bands[${i}].${which}`],
    });
  }
  return capGroup(perCve(out), w.cves.cap.points, "CVEs outside KEV");
}

/** Most contacts named in a cloud factor's text; refs keep them all. */
const MAX_CONTACTS_SAID = 5;

function cloudFactor(contacts: readonly CloudContact[], w: RiskWeights): RiskFactor | null {
  if (contacts.length === 0) return null;
  const rank = (c: CloudContact) => CLOUD_ROLES.indexOf(c.role);
  const sorted = [...contacts].sort((a, b) => rank(a) - rank(b) || byText(a.query, b.query));
  const top = (sorted[0] as CloudContact).role;
  const named = sorted
    .slice(0, MAX_CONTACTS_SAID)
    .map((c) => `${c.query} (${c.service}, ${c.role} endpoint)`);
  const more = sorted.length > MAX_CONTACTS_SAID ? ` and ${sorted.length - MAX_CONTACTS_SAID} more` : "";
  return {
    factor: "cloud",
    points: w.cloud[top].points,
    says: `seen contacting the maker's cloud: ${named.join(", ")}${more}`,
    refs: [...new Set(sorted.map((c) => c.query))],
    weights: [`cloud.${top}`],
  };
}

/** The risk of one device under `weights`. Throws RangeError when `today` is not a YYYY-MM-DD date. */
export function riskOf(input: RiskInput, weights: RiskWeights): Risk {
  if (!isIsoDate(input.today))
    throw new RangeError(`riskOf: today is not a date (YYYY-MM-DD): ${input.today}`);
  const w = weights;
  const found: (RiskFactor | null)[] = [];
  const unknown: string[] = [];

  if (input.verdict !== "allowed") {
    const ids = [...new Set(input.policies ?? [])];
    const how = input.verdict === "prohibited" ? "prohibited by" : "advised against by";
    found.push({
      factor: "policy",
      points: w.policy[input.verdict].points,
      says: `${how} ${ids.length > 0 ? ids.join(", ") : "policy"}`,
      refs: ids.length > 0 ? ids : [`verdict ${input.verdict}`],
      weights: [`policy.${input.verdict}`],
    });
  }
  found.push(...kevFactors(input, w), ...cveFactors(input, w));

  if (input.exposure === null) unknown.push("internet exposure");
  else if (input.exposure.internet)
    found.push({
      factor: "exposure",
      points: w.exposure.internet.points,
      says: `reachable from the internet (${input.exposure.source})`,
      refs: [input.exposure.source],
      weights: ["exposure.internet"],
    });

  found.push(cloudFactor(input.cloud, w));

  if (input.deviceType === "unknown") unknown.push("device type");
  found.push({
    factor: "device-type",
    points: w.deviceType[input.deviceType].points,
    says: `device type ${input.deviceType}`,
    refs: [input.deviceType],
    weights: [`deviceType.${input.deviceType}`],
  });

  if (input.siteCriticality === null) unknown.push("site criticality");
  else {
    const ref = `site criticality ${input.siteCriticality}`;
    found.push({
      factor: "site-criticality",
      points: w.siteCriticality[input.siteCriticality].points,
      says: ref,
      refs: [ref],
      weights: [`siteCriticality.${input.siteCriticality}`],
    });
  }

  const factors = found.filter((f): f is RiskFactor => f !== null && f.points > 0);
  const score = Math.min(
    RISK_MAX,
    factors.reduce((sum, f) => sum + f.points, 0),
  );
  const exactKev = new Set(
    input.vulnerabilities.filter((v) => v.kev && certaintyOf(v).exact).map((v) => v.id),
  ).size;
  return {
    score,
    level: levelOf(score, w),
    factors,
    unknown,
    exactKev,
    deviceType: input.deviceType,
    weightsVersion: w.weightsVersion,
  };
}

/** The level a score falls in: each threshold is the lowest score of its level. */
export function levelOf(score: number, weights: Pick<RiskWeights, "levels">): RiskLevel {
  const l = weights.levels;
  return score >= l.critical ? "critical" : score >= l.high ? "high" : score >= l.medium ? "medium" : "low";
}

/** What compareRisk reads: a Risk, plus an optional key (the device's id or address) for the last tie-break. */
export interface RiskRank {
  score: number;
  exactKev: number;
  deviceType: DeviceType;
  key?: string;
}

/** Recorders first: one holds many cameras' footage. A device of unknown type may be either, so it goes next. */
const TYPE_ORDER: Record<DeviceType, number> = { nvr: 0, dvr: 0, camera: 1, unknown: 2, other: 3 };

/**
 * The order of a replacement plan, for Array.prototype.sort: higher score first; on equal scores, more KEV CVEs at
 * exact firmware first; then NVRs and DVRs (equal), cameras, unknown type, other devices; then by `key` in
 * code-unit order (an absent key counts as ""). A consistent total order: two entries compare 0 only when all
 * of these are equal, and the sort being stable keeps their input order.
 */
export function compareRisk(a: RiskRank, b: RiskRank): number {
  return (
    b.score - a.score ||
    b.exactKev - a.exactKev ||
    TYPE_ORDER[a.deviceType] - TYPE_ORDER[b.deviceType] ||
    byText(a.key ?? "", b.key ?? "")
  );
}

/** The CVEs whose KEV entry records known ransomware use (knownRansomwareCampaignUse "Known"), for RiskInput. */
export function ransomwareCves(kb: Pick<VulnerabilityKb, "vulnerabilities">): string[] {
  return kb.vulnerabilities
    .filter((v) => v.kev?.knownRansomwareCampaignUse?.trim().toLowerCase() === "known")
    .map((v) => v.id);
}
