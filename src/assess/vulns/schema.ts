/**
 * The vulnerability knowledge (knowledge/vulnerabilities.yaml): per CVE, the maker, the model families as
 * patterns (model-pattern.ts), the affected firmware ranges, the fix, CVSS, CISA KEV status and sources.
 */
import { z } from "zod";
import { DEVICE_TYPES } from "../../identify/identification.js";
import { SourceSchema } from "../../knowledge/schema.js";
import { isIsoDate } from "../../shared/dates.js";
import { patternProblem } from "./model-pattern.js";

export const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;

export const IsoDate = z.string().refine(isIsoDate, "not a date (YYYY-MM-DD)");
const Text = z.string().min(1).max(4000);

const ModelPattern = z.string().superRefine((p, ctx) => {
  const problem = patternProblem(p);
  if (problem) ctx.addIssue({ code: "custom", message: `not a model pattern: ${problem}` });
});

/**
 * Affected firmware, inclusive, as src/identify/versions inFirmwareRange() reads it: version bounds `from`/`to`,
 * an exclusive `before`, a `firmware` expression as the reference writes it ("<= 2.3.8-6", "4.1.0 b130111",
 * "builds between 2015/07 and 2017/03"), or build-date bounds.
 */
export const RangeSchema = z
  .object({
    from: Text.optional(),
    to: Text.optional(),
    before: Text.optional(),
    firmware: Text.optional(),
    builtFrom: Text.optional(),
    builtUpTo: Text.optional(),
    builtBefore: Text.optional(),
  })
  .strict()
  .refine((r) => Object.keys(r).length > 0, "an empty range: leave it out instead");
export type VulnRange = z.output<typeof RangeSchema>;

/** The first fixed firmware of a group: a version, or a build date from which builds are fixed. */
export const FixedSchema = z
  .object({ version: Text.optional(), builtFrom: Text.optional() })
  .strict()
  .refine((f) => f.version !== undefined || f.builtFrom !== undefined, "fixed needs version or builtFrom");

/**
 * One affected family. With `models`, the device's model must match one pattern. Without, the group stands for the
 * whole product line of the maker (optionally one brand, optionally some device types): it is only used when no
 * pattern group of the CVE matched the model, and it never gives more than "family" certainty.
 */
export const GroupSchema = z
  .object({
    /** the family as the reference names it */
    series: Text,
    models: z.array(ModelPattern).min(1).optional(),
    /** line groups: only devices shown under this brand (brands.yaml) */
    brand: z.string().min(1).optional(),
    /** line groups: only these device types (a device of unknown type is not excluded) */
    deviceTypes: z.array(z.enum(DEVICE_TYPES)).min(1).optional(),
    range: RangeSchema.optional(),
    fixed: FixedSchema.optional(),
    /** the patterns are broader than (or a guess at) the listed models: a match is never "exact" */
    familyOnly: z.boolean().optional(),
    note: Text.optional(),
  })
  .strict();
export type VulnGroup = z.output<typeof GroupSchema>;

export const CvssSchema = z
  .object({
    version: z.enum(["2.0", "3.0", "3.1", "4.0"]),
    score: z.number().min(0).max(10),
    vector: z.string().min(1).max(200).optional(),
    source: Text,
  })
  .strict();
export type Cvss = z.output<typeof CvssSchema>;

export const KevSchema = z
  .object({
    dateAdded: IsoDate,
    dueDate: IsoDate,
    name: Text.optional(),
    requiredAction: Text.optional(),
    knownRansomwareCampaignUse: z.string().min(1).max(40).optional(),
    source: Text,
  })
  .strict();
export type Kev = z.output<typeof KevSchema>;

export const VulnerabilitySchema = z
  .object({
    id: z.string().regex(CVE_ID, "a CVE id (CVE-YYYY-NNNN)"),
    /** maker slug (vocabulary/manufacturers.yaml) */
    manufacturer: z.string().regex(/^[a-z0-9-]+$/, "a manufacturer slug"),
    /** the vendor as the source names it ("Hikvision", "Amcrest (Dahua OEM)") */
    vendor: Text,
    /** how the entry entered the data: the curated reference, or an update from a KEV or NVD feed */
    origin: z.enum(["reference", "kev", "nvd"]),
    title: Text.optional(),
    description: Text,
    published: z.string().min(1).max(200).optional(),
    productFamilies: z.array(Text).min(1),
    cwe: z.array(z.string().min(1).max(100)).optional(),
    disputed: z.boolean().optional(),
    cvss: CvssSchema.nullable(),
    /** NVD CVSS v2 base score, kept where NVD has no v3 */
    cvssV2: z.number().min(0).max(10).optional(),
    kev: KevSchema.nullable(),
    affected: z.array(GroupSchema).min(1),
    /** Hikvision firmware platforms with their last vulnerable build (not matchable to model names) */
    platforms: z
      .array(z.object({ firmwareType: Text, mostRecentVulnerable: Text }).strict())
      .min(1)
      .optional(),
    fixed: z.object({ text: Text, source: Text.optional() }).strict().optional(),
    confidence: Text.optional(),
    note: Text.optional(),
    sources: z.array(SourceSchema).min(1),
  })
  .strict();
export type Vulnerability = z.output<typeof VulnerabilitySchema>;

/** A feed vendor name that maps to a maker (and brand): what the update treats as a tracked vendor. */
export const TrackedVendorSchema = z
  .object({
    manufacturer: z.string().regex(/^[a-z0-9-]+$/),
    brand: z.string().min(1).optional(),
    /** CISA KEV vendorProject spellings, compared without regard to case and surrounding spaces */
    kevVendorProjects: z.array(z.string().min(1)).default([]),
    /** NVD CPE 2.3 vendor fields (cpe:2.3:o:<vendor>:...) */
    cpeVendors: z.array(z.string().regex(/^[a-z0-9_.\\-]+$/)).default([]),
    sources: z.array(SourceSchema).min(1),
  })
  .strict();
export type TrackedVendor = z.output<typeof TrackedVendorSchema>;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 in lower-case hex");
const DateTime = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), "not a date-time");

/** A feed file applied by `kb update`: its name (no directory), its SHA-256, when it was applied. */
const AppliedFeed = { file: Text, sha256: Sha256, at: DateTime };

export const VulnerabilityKbSchema = z
  .object({
    schemaVersion: z.literal(1),
    /** a user's updated copy (written by `kb update`): the bundled knowledge it was built from */
    basedOn: z.object({ file: Text, sha256: Sha256 }).strict().optional(),
    /** a user's updated copy: when it was last written, and the feed files applied to it since basedOn */
    updated: z
      .object({
        at: DateTime,
        kev: z
          .object({ ...AppliedFeed, catalogVersion: Text, dateReleased: Text })
          .strict()
          .optional(),
        nvd: z
          .object({ ...AppliedFeed, timestamp: Text })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    /** the feeds last applied by updateKnowledge */
    feeds: z
      .object({
        kev: z.object({ file: Text, catalogVersion: Text, dateReleased: Text }).strict().optional(),
        nvd: z.object({ file: Text, timestamp: Text }).strict().optional(),
      })
      .strict()
      .optional(),
    trackedVendors: z.array(TrackedVendorSchema).min(1),
    vulnerabilities: z.array(VulnerabilitySchema),
  })
  .strict()
  .superRefine((kb, ctx) => {
    const seen = new Set<string>();
    kb.vulnerabilities.forEach((v, i) => {
      if (seen.has(v.id))
        ctx.addIssue({ code: "custom", path: ["vulnerabilities", i, "id"], message: `duplicate id ${v.id}` });
      seen.add(v.id);
    });
  });
export type VulnerabilityKb = z.output<typeof VulnerabilityKbSchema>;

/** A zod path as the error messages write it: `vulnerabilities[12].dueDate`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || "(root)";
}

/** The first issue of a failed parse as `path: message`, with "missing" for an absent required field. */
export function firstIssue(err: z.ZodError): string {
  const i = err.issues[0];
  if (!i) return "(root): invalid";
  const missing = i.code === "invalid_type" && /received undefined/.test(i.message);
  return `${formatPath(i.path)}: ${missing ? "missing" : i.message}`;
}
