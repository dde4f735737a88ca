import { z } from "zod";
import { ORGANIZATION_SECTORS, ORGANIZATION_TYPES } from "../../inventory/organizations.js";

export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

/**
 * Zod schema of a policy pack (knowledge/policy-packs/<ID>.yaml, or a user's own pack in YAML or JSON): who a
 * restriction binds, who it only advises, what it prohibits, which manufacturer groups it covers, with the clauses
 * and sources behind each. Every object is strict, so a misspelt key is an error rather than a silent no-op.
 */

/** ISO 3166-1 alpha-2, optionally with a subdivision: CA, CA-QC, US-TX, GB, AU (as organizations.ts). */
export const JurisdictionSchema = z
  .string()
  .regex(/^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/, "an ISO 3166 code such as CA, CA-QC, US or GB");

/** What an organization does, for rules that bind by activity (organizations.ts ORGANIZATION_SECTORS). */
export const PACK_SECTORS = ORGANIZATION_SECTORS;
export type PackSector = (typeof PACK_SECTORS)[number];

const isoDate = z.iso.date("a date written YYYY-MM-DD");
const slugId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and '-'");
const text = z.string().trim().min(1);

/**
 * true / false when the source is clear; a string when it qualifies the prohibition ("no new deployment on
 * sensitive sites") or leaves it unclear: the string is what the reference says.
 */
export const ProhibitionSchema = z.union([z.boolean(), text]);
export type Prohibition = z.output<typeof ProhibitionSchema>;

export const ProhibitsSchema = z.strictObject({
  /** procure, obtain, install new units */
  buy: ProhibitionSchema,
  /** operate or connect units already there */
  use: ProhibitionSchema,
  /** keep units at all (true = they must be removed) */
  keep: ProhibitionSchema,
  /** import, market or sell (suppliers) */
  sell: ProhibitionSchema.optional(),
  note: text.optional(),
});
export type Prohibits = z.output<typeof ProhibitsSchema>;

/** Who a policy binds or advises. A rule matches an organization when every criterion it gives matches. */
export const ScopeRuleSchema = z
  .strictObject({
    id: slugId,
    /** the reference's words for who this is */
    who: text,
    types: z.array(z.enum(ORGANIZATION_TYPES)).min(1).optional(),
    /** the organization's jurisdiction equals one of these or lies inside it (CA-QC is inside CA); absent = any */
    jurisdictions: z.array(JurisdictionSchema).min(1).optional(),
    sectors: z.array(z.enum(PACK_SECTORS)).min(1).optional(),
    /** organization ids (a user's own pack naming its Defence department, say) */
    organizations: z.array(slugId).min(1).optional(),
    /** the clause that puts this organization in scope */
    clause: slugId,
    /** what it prohibits for this rule when it differs from the pack's `prohibits` */
    prohibits: ProhibitsSchema.optional(),
    note: text.optional(),
  })
  .refine((r) => r.types || r.sectors || r.organizations, {
    message: "a rule needs types, sectors or organizations (jurisdictions alone would match everyone there)",
  });
export type ScopeRule = z.output<typeof ScopeRuleSchema>;

export const DeadlineSchema = z
  .strictObject({
    what: text,
    date: isoDate.optional(),
    /** the reference's wording ("within 120 days of 2025-06-27", "end of April 2023") */
    when: text.optional(),
    /** true when the date was computed from the wording rather than stated */
    computed: z.boolean().optional(),
    /** ids of the binds/advises rules it concerns; absent = it concerns someone else (the covered company) */
    appliesTo: z.array(slugId).min(1).optional(),
    note: text.optional(),
  })
  .refine((d) => d.date !== undefined || d.when !== undefined, { message: "a deadline needs date or when" });
export type Deadline = z.output<typeof DeadlineSchema>;

export const CoversSchema = z.strictObject({
  /** a manufacturers.yaml `group` (Hikvision, Dahua, Huawei, ZTE, Hytera) */
  group: text,
  /** restricted-entities.json entity ids the policy names (their `coveredBy` lists it) */
  entities: z.array(slugId),
  /** the policy's wording covers subsidiaries and affiliates of the named entities */
  affiliates: z.boolean().optional(),
  /** entity ids counted as covered only by interpretation (restricted-entities.json howToUse) */
  interpretation: z.array(slugId).min(1).optional(),
  /** the kind of equipment the policy names for this group */
  equipment: text.optional(),
  /** a condition on coverage the reference quotes ("to the extent used for public safety, ...") */
  qualifier: text.optional(),
  note: text.optional(),
});
export type Covers = z.output<typeof CoversSchema>;

export const ClauseSchema = z.strictObject({
  id: slugId,
  /** quoted or closely paraphrased from the reference */
  text,
  /** where in the reference: restricted-entities.json policies[ID].scope[1] */
  ref: text,
  /** source keys (this pack's `sources`) when the reference ties the clause to particular ones */
  sources: z.array(text).min(1).optional(),
});
export type Clause = z.output<typeof ClauseSchema>;

export const PackSourceSchema = z.strictObject({
  /** key in restricted-entities.json `sources` */
  key: text,
  title: text,
  urls: z.array(z.url()).min(1),
  note: text.optional(),
});
export type PackSource = z.output<typeof PackSourceSchema>;

export const DatedEventSchema = z.strictObject({ what: text, date: isoDate });

const PolicyPackObject = z.strictObject({
  /** the id of restricted-entities.json and knowledge/policies.yaml */
  id: z.string().regex(/^[A-Z0-9][A-Z0-9-]*$/, "upper-case letters, digits and '-' (CA-ICA-2025-HIKVISION)"),
  title: text,
  issuer: text,
  instrument: text,
  /** the issuer's jurisdiction */
  jurisdiction: JurisdictionSchema,
  /** the date the reference gives the measure (policies.yaml `date`), when it gives one */
  date: isoDate.optional(),
  /** when obligations took effect, when the reference states it apart from `date` */
  effective: isoDate.optional(),
  dates: z.array(DatedEventSchema).min(1),
  /** the reference's confidence wording */
  confidence: text,
  /** where the facts are: shared/reference/restricted-entities.json policies[ID] */
  reference: text,
  binds: z.array(ScopeRuleSchema),
  advises: z.array(ScopeRuleSchema),
  prohibits: ProhibitsSchema,
  deadlines: z.array(DeadlineSchema).default([]),
  covers: z.array(CoversSchema).min(1),
  clauses: z.array(ClauseSchema).min(1),
  sources: z.array(PackSourceSchema).min(1),
  notes: z.array(text).optional(),
});

/**
 * The pack schema with its cross-references checked: unique ids, every clause / rule / source a pack names exists,
 * and every covered group is a manufacturers.yaml group (`groups`; unchecked when not given).
 */
export function policyPackSchema(groups?: ReadonlySet<string>) {
  return PolicyPackObject.superRefine((p, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: "custom", path, message });
    const clauseIds = new Set<string>();
    p.clauses.forEach((c, i) => {
      if (clauseIds.has(c.id)) issue(["clauses", i, "id"], `duplicate clause id "${c.id}"`);
      clauseIds.add(c.id);
    });
    const sourceKeys = new Set<string>();
    p.sources.forEach((s, i) => {
      if (sourceKeys.has(s.key)) issue(["sources", i, "key"], `duplicate source key "${s.key}"`);
      sourceKeys.add(s.key);
    });
    p.clauses.forEach((c, i) =>
      c.sources?.forEach((k, j) => {
        if (!sourceKeys.has(k))
          issue(["clauses", i, "sources", j], `unknown source key "${k}" (not in sources)`);
      }),
    );
    const ruleIds = new Set<string>();
    for (const kind of ["binds", "advises"] as const)
      p[kind].forEach((r, i) => {
        if (ruleIds.has(r.id)) issue([kind, i, "id"], `duplicate rule id "${r.id}"`);
        ruleIds.add(r.id);
        if (!clauseIds.has(r.clause))
          issue([kind, i, "clause"], `unknown clause "${r.clause}" (not in clauses)`);
      });
    p.deadlines.forEach((d, i) =>
      d.appliesTo?.forEach((id, j) => {
        if (!ruleIds.has(id))
          issue(["deadlines", i, "appliesTo", j], `unknown rule "${id}" (not in binds/advises)`);
      }),
    );
    const seen = new Set<string>();
    p.covers.forEach((c, i) => {
      if (seen.has(c.group)) issue(["covers", i, "group"], `group "${c.group}" is listed twice`);
      seen.add(c.group);
      if (groups && !groups.has(c.group))
        issue(["covers", i, "group"], `unknown group "${c.group}" (known: ${[...groups].sort().join(", ")})`);
    });
  });
}
export type PolicyPack = z.output<typeof PolicyPackObject>;
