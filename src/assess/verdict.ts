import { foldBrand } from "../knowledge/load.js";
import type { Brand, Manufacturer, Source } from "../knowledge/schema.js";
import type { ScopeOrganization } from "./policies/scope.js";
import { ruleMatch } from "./policies/scope.js";
import type {
  Clause,
  Covers,
  Deadline,
  PackSource,
  PolicyPack,
  Prohibits,
  ScopeRule,
} from "./policies/schema.js";

/**
 * Which policies forbid a device to an organization, and the chain of evidence behind each: device -> maker ->
 * covered entity or group -> policy -> the organization's place in its scope. Pure: data in, data out.
 */

/** What a verdict needs of an Identification (src/identify/identification.ts). */
export interface VerdictDevice {
  /** maker slug of knowledge/vocabulary/manufacturers.yaml; null when unknown */
  manufacturer: string | null;
  brand: string | null;
  model: string | null;
  deviceType: string;
  /** belief in the manufacturer (0..1) */
  confidence: number;
  /** restricted makers the evidence points to below the verdict threshold */
  suspected?: readonly { manufacturer: string; confidence: number }[];
}

export type VerdictOrganization = ScopeOrganization;

/** The vocabulary a verdict reads (a KnowledgeBase satisfies it). */
export interface PolicyVocabulary {
  manufacturers: readonly Manufacturer[];
  brands: readonly Brand[];
}

/** How the maker falls under a pack's `covers` entry. */
export type CoverageBasis = "named" | "affiliate" | "interpretation" | "group";

export type ChainStep =
  | { step: "device"; says: string; brand: string | null; model: string | null; deviceType: string }
  | {
      step: "manufacturer";
      says: string;
      slug: string;
      name: string;
      group: string;
      confidence: number;
      suspected: boolean;
      sources: Source[];
    }
  | {
      step: "covered";
      says: string;
      group: string;
      entity: string | null;
      basis: CoverageBasis;
      brand?: { name: string; relation: Brand["relation"]; entity?: string };
      equipment?: string;
      qualifier?: string;
      /** where the entity is in shared/reference/restricted-entities.json */
      ref?: string;
      sources: Source[];
    }
  | {
      step: "policy";
      says: string;
      policyId: string;
      title: string;
      issuer: string;
      instrument: string;
      reference: string;
      sources: PackSource[];
    }
  | {
      step: "organization";
      says: string;
      organizationId: string;
      scope: "binds" | "advises";
      rule: string;
      who: string;
      why: string[];
      note?: string;
    };

export interface Finding {
  policyId: string;
  /** the clause that puts the organization in scope */
  clause: Clause;
  /** true: the pack binds the organization; false: it only advises it */
  binding: boolean;
  prohibits: Prohibits;
  /** the earliest deadline the pack sets for the matched rule */
  deadline?: Deadline;
  chain: ChainStep[];
}

export type VerdictStatus = "prohibited" | "advisory" | "allowed";

export interface Verdict {
  /** prohibited: a binding pack prohibits something; advisory: only advice (or nothing prohibited); allowed: none */
  status: VerdictStatus;
  /** for the identified maker; empty when allowed */
  findings: Finding[];
  /** what the packs would say if a suspected maker were confirmed: not part of the status */
  toCheck: Finding[];
}

function prohibitsAnything(p: Prohibits): boolean {
  return [p.buy, p.use, p.keep, p.sell].some((v) => v !== undefined && v !== false);
}

export function verdictFor(
  device: VerdictDevice,
  organization: VerdictOrganization,
  packs: readonly PolicyPack[],
  vocabulary: PolicyVocabulary,
): Verdict {
  const findings =
    device.manufacturer === null
      ? []
      : findingsFor(device, device.manufacturer, device.confidence, false, organization, packs, vocabulary);
  const toCheck = (device.suspected ?? [])
    .filter((s) => s.manufacturer !== device.manufacturer)
    .flatMap((s) => findingsFor(device, s.manufacturer, s.confidence, true, organization, packs, vocabulary));
  const status: VerdictStatus = findings.some((f) => f.binding && prohibitsAnything(f.prohibits))
    ? "prohibited"
    : findings.length > 0
      ? "advisory"
      : "allowed";
  return { status, findings, toCheck };
}

function findingsFor(
  device: VerdictDevice,
  slug: string,
  confidence: number,
  suspected: boolean,
  org: VerdictOrganization,
  packs: readonly PolicyPack[],
  vocabulary: PolicyVocabulary,
): Finding[] {
  const maker = vocabulary.manufacturers.find((m) => m.slug === slug);
  // A slug outside the vocabulary is a bug upstream; "allowed" would hide a restricted device.
  if (!maker) throw new Error(`verdict: manufacturer "${slug}" is not in the vocabulary`);
  const out: Finding[] = [];
  for (const pack of packs) {
    const covers = pack.covers.find((c) => c.group === maker.group);
    if (!covers) continue;
    const scoped = inScope(pack, org);
    if (!scoped) continue;
    const clause = pack.clauses.find((c) => c.id === scoped.rule.clause) as Clause;
    const deadline = deadlineFor(pack, scoped.rule);
    out.push({
      policyId: pack.id,
      clause,
      binding: scoped.scope === "binds",
      prohibits: scoped.rule.prohibits ?? pack.prohibits,
      ...(deadline ? { deadline } : {}),
      chain: [
        deviceStep(device),
        makerStep(maker, confidence, suspected),
        coveredStep(device, maker, covers, pack, vocabulary),
        policyStep(pack),
        orgStep(org, scoped.scope, scoped.rule, scoped.why, pack),
      ],
    });
  }
  return out;
}

/** The first binds rule that matches, else the first advises rule. */
function inScope(
  pack: PolicyPack,
  org: VerdictOrganization,
): { scope: "binds" | "advises"; rule: ScopeRule; why: string[] } | undefined {
  for (const scope of ["binds", "advises"] as const)
    for (const rule of pack[scope]) {
      const why = ruleMatch(rule, org);
      if (why) return { scope, rule, why };
    }
  return undefined;
}

function deadlineFor(pack: PolicyPack, rule: ScopeRule): Deadline | undefined {
  const mine = pack.deadlines.filter((d) => d.appliesTo?.includes(rule.id));
  const dated = mine
    .filter((d) => d.date !== undefined)
    .sort((a, b) => (a.date as string).localeCompare(b.date as string));
  return dated[0] ?? mine[0];
}

function deviceStep(d: VerdictDevice): ChainStep {
  const what = [d.brand ? `${d.brand} ` : "", d.model ?? "(model unknown)", ` (${d.deviceType})`].join("");
  return { step: "device", says: `device ${what}`, brand: d.brand, model: d.model, deviceType: d.deviceType };
}

function makerStep(m: Manufacturer, confidence: number, suspected: boolean): ChainStep {
  const c = confidence.toFixed(2);
  const says = suspected
    ? `suspected maker ${m.name} (${m.slug}) at confidence ${c}, below the verdict threshold: to check`
    : `made by ${m.name} (${m.slug}) at confidence ${c}`;
  return {
    step: "manufacturer",
    says,
    slug: m.slug,
    name: m.name,
    group: m.group,
    confidence,
    suspected,
    sources: m.sources,
  };
}

/** The brand's own entity when the brand belongs to this maker (HiWatch -> hiwatch), else the maker's entity. */
function coveredStep(
  device: VerdictDevice,
  maker: Manufacturer,
  covers: Covers,
  pack: PolicyPack,
  vocabulary: PolicyVocabulary,
): ChainStep {
  const folded = device.brand ? foldBrand(device.brand) : undefined;
  const brand = vocabulary.brands.find((b) => b.owner === maker.slug && foldBrand(b.name) === folded);
  const entity = brand?.entity ?? maker.entity ?? null;
  let basis: CoverageBasis = "group";
  if (entity && covers.entities.includes(entity)) basis = "named";
  else if (entity && covers.interpretation?.includes(entity)) basis = "interpretation";
  else if (entity && covers.affiliates) basis = "affiliate";
  const label = brand ? `${brand.name} (${brand.relation} of ${maker.slug})` : maker.slug;
  const how: Record<CoverageBasis, string> = {
    named: `entity ${entity} is named by ${pack.id}`,
    interpretation: `entity ${entity} counts as covered only by interpretation${covers.note ? ` (${covers.note})` : ""}`,
    affiliate: `entity ${entity} is covered as a subsidiary or affiliate of the named entities`,
    group: `${pack.id} covers the ${covers.group} group's equipment`,
  };
  return {
    step: "covered",
    says: `${label} is in group ${covers.group}; ${how[basis]}${covers.qualifier ? `; ${covers.qualifier}` : ""}`,
    group: covers.group,
    entity,
    basis,
    ...(brand
      ? {
          brand: {
            name: brand.name,
            relation: brand.relation,
            ...(brand.entity ? { entity: brand.entity } : {}),
          },
        }
      : {}),
    ...(covers.equipment ? { equipment: covers.equipment } : {}),
    ...(covers.qualifier ? { qualifier: covers.qualifier } : {}),
    ...(entity ? { ref: `shared/reference/restricted-entities.json entities[${entity}]` } : {}),
    sources: [...maker.sources, ...(brand?.sources ?? [])],
  };
}

function policyStep(pack: PolicyPack): ChainStep {
  return {
    step: "policy",
    says: `${pack.id}: ${pack.title}; ${pack.instrument}; sources ${pack.sources.map((s) => s.key).join(", ")}`,
    policyId: pack.id,
    title: pack.title,
    issuer: pack.issuer,
    instrument: pack.instrument,
    reference: pack.reference,
    sources: pack.sources,
  };
}

function orgStep(
  org: VerdictOrganization,
  scope: "binds" | "advises",
  rule: ScopeRule,
  why: string[],
  pack: PolicyPack,
): ChainStep {
  const verb = scope === "binds" ? "binds" : "only advises";
  return {
    step: "organization",
    says: `${pack.id} ${verb} ${org.id} (rule ${rule.id}: ${rule.who}): ${why.join("; ")}`,
    organizationId: org.id,
    scope,
    rule: rule.id,
    who: rule.who,
    why,
    ...(rule.note ? { note: rule.note } : {}),
  };
}
