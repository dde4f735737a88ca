import type { OrganizationType, PackSector, ScopeRule } from "./schema.js";

/** What a verdict needs to know of an organization. `sectors` only when its owner has said so. */
export interface ScopeOrganization {
  id: string;
  type: OrganizationType;
  jurisdiction: string;
  sectors?: readonly PackSector[];
}

/** CA-QC lies inside CA; CA lies inside CA; CA does not lie inside CA-QC; US-TX does not lie inside CA. */
export function jurisdictionWithin(org: string, rule: string): boolean {
  return org === rule || org.startsWith(`${rule}-`);
}

/** Why a rule matched, criterion by criterion, or null when it does not. */
export function ruleMatch(rule: ScopeRule, org: ScopeOrganization): string[] | null {
  const why: string[] = [];
  if (rule.organizations) {
    if (!rule.organizations.includes(org.id)) return null;
    why.push(`organization ${org.id} is named by the rule`);
  }
  if (rule.types) {
    if (!rule.types.includes(org.type)) return null;
    why.push(`type ${org.type} is one of ${rule.types.join(", ")}`);
  }
  if (rule.sectors) {
    const hit = rule.sectors.find((s) => org.sectors?.includes(s));
    if (!hit) return null;
    why.push(`the organization is a ${hit}`);
  }
  if (rule.jurisdictions) {
    const hit = rule.jurisdictions.find((j) => jurisdictionWithin(org.jurisdiction, j));
    if (!hit) return null;
    why.push(
      hit === org.jurisdiction ? `jurisdiction ${hit}` : `jurisdiction ${org.jurisdiction} is within ${hit}`,
    );
  } else why.push("any jurisdiction");
  return why;
}
