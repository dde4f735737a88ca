import { verdictFor, type Finding, type VerdictOrganization } from "../assess/verdict.js";
import type { PolicyPack } from "../assess/policies/index.js";
import type { KnowledgeBase } from "../knowledge/load.js";
import { foldBrand } from "../knowledge/load.js";
import type { Brand, Source } from "../knowledge/schema.js";
import { lineEvidence, type EvidenceKnowledge, type LineEvidence, type LineFields } from "./evidence.js";
import { listMatch, type ListEntry } from "./lists.js";
import type { NameHit } from "./names.js";
import type { SCREEN_VERDICTS } from "../shared/wire/lists.js";

/**
 * One purchase line's verdict: who made the product (a maker named, a brand and what the vocabulary knows of its
 * owner, a model number in a covered maker's form under any label, a covered component), then what the buying
 * organization's policies say of buying it. Pure: knowledge and the line in, the verdict with its reasons out.
 */

export type LineVerdict = (typeof SCREEN_VERDICTS)[number];
/** how the product is tied to the maker the verdict names */
export type Relation =
  "own" | "sub-brand" | "oem-relabel" | "joint-venture" | "model-pattern" | "component" | "list" | "none";

export interface ScreenEvidence {
  kind: "name" | "brand" | "model" | "component" | "attest" | "list";
  /** the column it was read from */
  field: string;
  /** the words of the line it rests on, as written */
  text: string;
  says: string;
  confidence?: number;
  rule?: string;
  sources: Source[];
}

export interface ScreenPolicy {
  id: string;
  title: string;
  /** true: binds the buyer; false: advice */
  binding: boolean;
  /** what the pack says of buying: true, or its qualification */
  buy: boolean | string;
  clause: string;
  who: string;
}

export interface ScreenResult {
  verdict: LineVerdict;
  /** one sentence: why */
  reason: string;
  /** the maker slug behind the verdict, when one is */
  maker: string | null;
  brand: string | null;
  relation: Relation;
  confidence: number;
  evidence: ScreenEvidence[];
  /** the policies that bar (or advise against) buying it, for this buyer */
  policies: ScreenPolicy[];
  /** readings that did not decide, said for the record ("a Cisco line's DS- number was not read as Hikvision's") */
  notes: string[];
}

export interface ScreenContext extends EvidenceKnowledge {
  kb: KnowledgeBase;
  packs: readonly PolicyPack[];
  /** the buyer; null: every policy read as binding (the strictest answer) */
  organization: VerdictOrganization | null;
  /** the buyer's own allow and block entries (lists.ts) */
  lists: readonly ListEntry[];
}

/** Belief in a maker at or above which a policy applies to it, as for a device's verdict. */
export const VERDICT_THRESHOLD = 0.5;
/** Model-family rules this sure name the maker against a label that says otherwise (a DS-2CD under another name). */
const MODEL_OVER_LABEL = 0.6;

interface Candidate {
  slug: string;
  brand: string | null;
  relation: Relation;
  confidence: number;
  evidence: ScreenEvidence[];
}

const nameSays = (n: NameHit) =>
  n.distance ? `"${n.text}" read as ${n.name} (${n.distance} letter(s) off)` : `names ${n.name}`;

function brandOf(kb: KnowledgeBase, name: string): Brand | undefined {
  return kb.brandByFolded.get(foldBrand(name)) ?? kb.brandByName.get(name);
}

/**
 * "Teltonika RUT955 with Huawei ME909s-120 module": a covered maker named inside the text, beside a part of its own
 * the line also names, is the maker of that part, not of the product; the line needs attestation, not a ban. Named
 * in a maker or brand column, or first in the text ("Huawei ME909s-120"), it is the product's maker.
 */
function asComponents(ev: LineEvidence, line: LineFields): LineEvidence {
  const partMakers = new Set(ev.components.map((c) => c.maker));
  if (!partMakers.size) return ev;
  // Another maker named, or words that put the part inside something ("router with Huawei ME909s", "built-in").
  const inside = (n: LineEvidence["names"][number]) =>
    ev.names.some((o) => o !== n && o.target.kind !== "attest") ||
    /\b(?:with|w\/|inside|built[- ]in|embedded|integrated|chipset|soc)\b/i.test(line[n.field] ?? "");
  const names = ev.names.map((n) => {
    const t = n.target;
    const first = line[n.field]?.trim().startsWith(n.text) ?? false;
    if (
      t.kind !== "maker" ||
      !partMakers.has(t.slug) ||
      n.field === "manufacturer" ||
      n.field === "brand" ||
      first ||
      !inside(n)
    )
      return n;
    return { ...n, target: { ...t, component: true } };
  });
  return { ...ev, names };
}

/** Who the evidence says made the product, strongest first; and the named makers that are not covered. */
function candidates(kb: KnowledgeBase, ev: LineEvidence): { makers: Candidate[]; others: ScreenEvidence[] } {
  const makers: Candidate[] = [];
  const others: ScreenEvidence[] = [];
  const viaBrand = (brandName: string, e: ScreenEvidence, cap = 1) => {
    const b = brandOf(kb, brandName);
    if (!b) return;
    makers.push({
      slug: b.owner,
      brand: b.name,
      relation: b.relation,
      confidence: Math.min(cap, b.confidence),
      evidence: [
        e,
        {
          kind: "brand",
          field: e.field,
          text: e.text,
          says: `${b.name} is ${RELATION_WORDS[b.relation]} ${kb.manufacturerBySlug.get(b.owner)?.name ?? b.owner} (belief ${b.confidence})${b.note ? `: ${b.note}` : ""}`,
          confidence: b.confidence,
          sources: b.sources,
        },
      ],
    });
  };
  for (const n of ev.names) {
    const e: ScreenEvidence = {
      kind: "name",
      field: n.field,
      text: n.text,
      says: nameSays(n),
      sources: n.sources,
    };
    const t = n.target;
    if (t.kind === "maker" && !t.component)
      makers.push({
        slug: t.slug,
        brand: null,
        relation: "own",
        confidence: t.line ? 0.7 : n.distance ? 0.8 : 0.9,
        evidence: [e],
      });
    else if (t.kind === "brand") viaBrand(t.brand, e);
    else if (t.kind === "other") others.push({ ...e, says: `names ${n.text}, a maker no policy covers` });
  }
  for (const m of ev.models) {
    const e: ScreenEvidence = {
      kind: "model",
      field: m.field,
      text: m.text,
      says: `model number in the form of ${m.brand ?? kb.manufacturerBySlug.get(m.manufacturer ?? "")?.name ?? m.manufacturer} (rule ${m.rule})`,
      confidence: m.confidence,
      rule: m.rule,
      sources: m.sources,
    };
    if (m.manufacturer)
      makers.push({
        slug: m.manufacturer,
        brand: m.brand ?? null,
        relation: "model-pattern",
        confidence: m.confidence,
        evidence: [e],
      });
    else if (m.brand) viaBrand(m.brand, e, m.confidence);
  }
  // Merge per maker: the strongest reading leads, the others back it.
  const bySlug = new Map<string, Candidate>();
  for (const c of makers.sort((a, b) => b.confidence - a.confidence)) {
    const held = bySlug.get(c.slug);
    if (!held) bySlug.set(c.slug, { ...c, evidence: [...c.evidence] });
    else {
      held.evidence.push(...c.evidence);
      held.brand ??= c.brand;
    }
  }
  return { makers: [...bySlug.values()], others };
}

function isCovered(ctx: ScreenContext, slug: string): boolean {
  const group = ctx.kb.manufacturerBySlug.get(slug)?.group;
  return ctx.packs.some((p) => p.covers.some((c) => c.group === group));
}

/**
 * What the packs say of buying from this maker. With no buyer, every rule that binds anyone is read as binding:
 * "would any policy here bar this purchase?".
 */
function buyFindings(ctx: ScreenContext, c: Candidate, model: string | null, type: string): Finding[] {
  const device = { manufacturer: c.slug, brand: c.brand, model, deviceType: type, confidence: c.confidence };
  const vocabulary = { manufacturers: ctx.kb.manufacturers, brands: ctx.kb.brands };
  if (ctx.organization) return verdictFor(device, ctx.organization, ctx.packs, vocabulary).findings;
  return ctx.packs.flatMap((pack) =>
    pack.binds.flatMap((rule) => {
      const org: VerdictOrganization = {
        id: rule.organizations?.[0] ?? "any-buyer",
        type: rule.types?.[0] ?? "federal-department",
        jurisdiction: rule.jurisdictions?.[0] ?? pack.jurisdiction,
        ...(rule.sectors ? { sectors: rule.sectors } : {}),
      };
      return verdictFor(device, org, [pack], vocabulary).findings.filter((f) => f.binding);
    }),
  );
}

function policiesOf(ctx: ScreenContext, findings: readonly Finding[]): ScreenPolicy[] {
  const seen = new Set<string>();
  const out: ScreenPolicy[] = [];
  for (const f of findings) {
    if (f.prohibits.buy === false || seen.has(f.policyId)) continue;
    seen.add(f.policyId);
    const org = f.chain.find((s) => s.step === "organization");
    out.push({
      id: f.policyId,
      title: ctx.packs.find((p) => p.id === f.policyId)?.title ?? f.policyId,
      binding: f.binding,
      buy: f.prohibits.buy,
      clause: f.clause.text,
      who: org && org.step === "organization" ? org.who : "",
    });
  }
  return out;
}

const makerName = (ctx: ScreenContext, slug: string) => ctx.kb.manufacturerBySlug.get(slug)?.name ?? slug;

export function screenLine(ctx: ScreenContext, line: LineFields): ScreenResult {
  const ev = asComponents(lineEvidence(ctx, line), line);
  const { makers, others } = candidates(ctx.kb, ev);
  const notes: string[] = [];
  const model = line.model?.trim() || ev.models[0]?.text || null;
  const type = ev.models.find((m) => m.deviceType)?.deviceType ?? "unknown";
  const listed = listMatch(ctx.lists, line, {
    maker: makers[0]?.slug ?? null,
    brand: makers[0]?.brand ?? null,
  });
  const covered = makers.filter((c) => isCovered(ctx, c.slug));
  const named = makers.filter((c) => !isCovered(ctx, c.slug) && c.relation === "own");
  // A label that names a maker no policy covers outweighs a loose model-number reading, not a sure one.
  const labelled = named.length > 0 || others.length > 0;
  const decisive = covered.filter(
    (c) =>
      c.confidence >= VERDICT_THRESHOLD &&
      (!labelled || c.relation !== "model-pattern" || c.confidence >= MODEL_OVER_LABEL),
  );
  for (const c of covered)
    if (
      !decisive.includes(c) &&
      c.relation === "model-pattern" &&
      labelled &&
      c.confidence >= VERDICT_THRESHOLD
    )
      notes.push(
        `"${c.evidence[0]!.text}" looks like a ${makerName(ctx, c.slug)} model number, but the line names ${[...named.map((n) => n.evidence[0]!.text), ...others.map((o) => o.text)].join(", ")}; rule ${c.evidence[0]!.rule} alone is too loose to overrule the label`,
      );
  const base = { notes, evidence: [] as ScreenEvidence[], policies: [] as ScreenPolicy[] };

  if (listed)
    return { ...base, ...listed.result, evidence: [listed.evidence, ...decisive.flatMap((c) => c.evidence)] };

  const lead = decisive[0];
  if (lead) {
    const findings = buyFindings(ctx, lead, model, type);
    const policies = policiesOf(ctx, findings);
    const bars = policies.filter((p) => p.binding);
    const chain = chainText(ctx, lead, named, others);
    const who = {
      maker: lead.slug,
      brand: lead.brand,
      relation: lead.relation,
      confidence: lead.confidence,
      evidence: lead.evidence,
      policies,
    };
    if (bars.length)
      return {
        ...base,
        ...who,
        verdict: "prohibited",
        reason: `${chain}; buying it is barred by ${bars.map((p) => p.id).join(", ")}`,
      };
    return {
      ...base,
      ...who,
      verdict: "clear",
      reason: policies.length
        ? `${chain}; for this buyer the policies only advise against it (${policies.map((p) => p.id).join(", ")})`
        : `${chain}; no policy applied bars this buyer from buying it`,
    };
  }
  const weak = covered.find((c) => !decisive.includes(c) && c.relation !== "model-pattern") ?? covered[0];
  const attest = ev.names.filter((n) => n.target.kind === "attest");
  const parts = [
    ...ev.components,
    ...ev.names.flatMap((n) =>
      n.target.kind === "maker" && n.target.component
        ? [{ field: n.field, text: n.text, maker: n.target.slug, description: `${n.name} part` }]
        : [],
    ),
  ];
  // A loose model-number reading does not stand against the maker the line names (a Cisco "DS-C9148S-K9").
  const guess = weak && !(weak.relation === "model-pattern" && labelled) ? weak : undefined;
  if (guess || attest.length || parts.length) {
    const evidence: ScreenEvidence[] = [
      ...(guess?.evidence ?? []),
      ...attest.map((n) => ({
        kind: "attest" as const,
        field: n.field,
        text: n.text,
        says: n.target.kind === "attest" ? n.target.why : "",
        sources: n.sources,
      })),
      ...ev.components.map((c) => ({
        kind: "component" as const,
        field: c.field,
        text: c.text,
        says: `${c.description}: a ${makerName(ctx, c.maker)} part`,
        rule: c.rule,
        sources: c.sources,
      })),
    ];
    const why = guess
      ? `${chainText(ctx, guess, named, others)}, below the ${VERDICT_THRESHOLD} needed for a verdict`
      : parts.length
        ? `it names ${parts.map((p) => `${p.text} (${makerName(ctx, p.maker)})`).join(", ")}, a covered entity's component: NDAA s.889 covers equipment that uses one as a substantial or essential component`
        : `${attest.map((a) => a.text).join(", ")}: ${attest[0]!.target.kind === "attest" ? attest[0]!.target.why : ""}`;
    return {
      ...base,
      verdict: "needs-attestation",
      reason: `${why}; ask the seller to attest who made it and what it contains`,
      maker: guess?.slug ?? parts[0]?.maker ?? null,
      brand: guess?.brand ?? null,
      relation: guess ? guess.relation : parts.length ? "component" : "none",
      confidence: guess?.confidence ?? 0,
      evidence,
      policies: guess ? policiesOf(ctx, buyFindings(ctx, { ...guess, confidence: 1 }, model, type)) : [],
    };
  }
  const maker = named[0];
  return {
    ...base,
    verdict: "clear",
    reason: maker
      ? `made by ${makerName(ctx, maker.slug)}, which no policy applied covers`
      : others.length
        ? `names ${others[0]!.text}, a maker no policy applied covers`
        : "nothing in the line ties it to a covered maker, brand, model form or component",
    maker: maker?.slug ?? null,
    brand: null,
    relation: "none",
    confidence: maker?.confidence ?? 0,
    evidence: [...(maker?.evidence ?? []), ...others],
  };
}

const RELATION_WORDS: Record<Relation, string> = {
  own: "made by",
  "sub-brand": "a sub-brand of",
  "oem-relabel": "an OEM relabel of",
  "joint-venture": "a joint venture of",
  "model-pattern": "a model form of",
  component: "a component of",
  list: "listed for",
  none: "unrelated to",
};

/** "LTS is an oem-relabel of Hangzhou Hikvision ... (belief 0.7)" and the like: the chain a reader checks. */
function chainText(
  ctx: ScreenContext,
  c: Candidate,
  named: readonly Candidate[],
  others: readonly ScreenEvidence[],
): string {
  const maker = makerName(ctx, c.slug);
  const first = c.evidence[0]!;
  const label = [...named.map((n) => n.evidence[0]!.text), ...others.map((o) => o.text)];
  switch (c.relation) {
    case "own":
      return `the line names ${maker} ("${first.text}")`;
    case "model-pattern":
      return `"${first.text}" is a ${maker} model number (rule ${first.rule})${label.length ? `, sold under the ${label.join(", ")} label` : ""}`;
    default:
      return `${c.brand ?? first.text} is ${RELATION_WORDS[c.relation]} ${maker} (belief ${c.confidence})`;
  }
}
