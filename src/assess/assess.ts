import type { Identification } from "../identify/identification.js";
import type { Criticality } from "../inventory/organizations.js";
import type { PolicyPack } from "./policies/index.js";
import { cloudContacts, riskOf, type Risk, type RiskWeights } from "./risk/index.js";
import { verdictFor, type PolicyVocabulary, type Verdict, type VerdictOrganization } from "./verdict.js";
import { matchVulnerabilities, type VulnerabilityKb, type VulnMatch } from "./vulns/index.js";

/**
 * One device's assessment: the verdict of the policy packs for its owner, the known vulnerabilities its model and
 * firmware carry, and the risk that orders its replacement. Pure: the caller reads the inventory and the knowledge.
 */

/** unowned: the device is on no site, so no organization and no rule can be said to bind it. */
export type AssessmentStatus = Verdict["status"] | "unowned";

export interface AssessedDevice {
  identification: Pick<
    Identification,
    | "manufacturer"
    | "brand"
    | "model"
    | "firmware"
    | "deviceType"
    | "confidence"
    | "suspected"
    | "versions"
    | "evidence"
    | "restricted"
    | "policies"
  >;
  /** as stated by someone (a flag, an import); null when unknown */
  exposure: { internet: boolean; source: string } | null;
}

export interface DeviceOwner {
  organization: VerdictOrganization;
  site: { id: string; criticality: Criticality };
}

export interface AssessmentKnowledge {
  packs: readonly PolicyPack[];
  vocabulary: PolicyVocabulary;
  vulnerabilities: VulnerabilityKb;
  weights: RiskWeights;
  /** YYYY-MM-DD: KEV due dates are compared with it (no clock inside the core) */
  today: string;
  /** CVE ids with known ransomware use (ransomwareCves of the vulnerability data) */
  ransomware: readonly string[];
}

/** What an active read-only check said of one CVE on the device (src/probes/verify). */
export interface Verification {
  check: string;
  status: "confirmed" | "not-vulnerable" | "inconclusive";
  at: string;
  request: string;
  why: string;
  statement: string;
}

/** A match, with what a verification said of it when one ran. */
export type AssessedVulnerability = VulnMatch & { verification?: Verification };

export interface DeviceAssessment {
  status: AssessmentStatus;
  /** null when unowned */
  verdict: Verdict | null;
  vulnerabilities: AssessedVulnerability[];
  risk: Risk;
}

/**
 * A confirmed check makes the match exact whatever the firmware said; a check the device passed keeps the match
 * listed (with the result) but out of the risk; an inconclusive one changes nothing.
 */
function withVerifications(
  matches: readonly VulnMatch[],
  verified: readonly Verification[],
): AssessedVulnerability[] {
  return matches.map((m) => {
    const v = verified.find((x) => x.check === m.id);
    if (!v) return m;
    if (v.status === "confirmed")
      return {
        ...m,
        certainty: "exact",
        reason: `${m.reason}; confirmed by a read-only check`,
        verification: v,
      };
    return { ...m, verification: v };
  });
}

export function assessDevice(
  device: AssessedDevice,
  owner: DeviceOwner | null,
  k: AssessmentKnowledge,
  verified: readonly Verification[] = [],
): DeviceAssessment {
  const idf = device.identification;
  const verdict = owner ? verdictFor(idf, owner.organization, k.packs, k.vocabulary) : null;
  const vulnerabilities = withVerifications(matchVulnerabilities(idf, k.vulnerabilities), verified);
  // Without an owner nothing binds; a maker some policy restricts still weighs as advice.
  const policyStatus = verdict?.status ?? (idf.restricted ? "advisory" : "allowed");
  const risk = riskOf(
    {
      verdict: policyStatus,
      policies: verdict ? [...new Set(verdict.findings.map((f) => f.policyId))] : idf.policies,
      ransomware: k.ransomware,
      vulnerabilities: vulnerabilities.filter((v) => v.verification?.status !== "not-vulnerable"),
      deviceType: idf.deviceType,
      exposure: device.exposure,
      cloud: cloudContacts(idf),
      siteCriticality: owner?.site.criticality ?? null,
      today: k.today,
    },
    k.weights,
  );
  return { status: verdict?.status ?? "unowned", verdict, vulnerabilities, risk };
}
