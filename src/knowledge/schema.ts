import { z } from "zod";
import { CLAIM_FIELDS, DEVICE_TYPES } from "../identify/identification.js";

/**
 * Zod schema of the knowledge files under knowledge/ (see docs/knowledge.md).
 * The data must stand on its own: every rule carries its sources and its examples.
 */

/** Where a fact came from: a URL, or a structured reference to shared/reference + the original source. */
export const SourceSchema = z.union([
  z.url(),
  z
    .object({
      ref: z.string().min(1).optional(),
      origin: z.string().min(1).optional(),
      url: z.url().optional(),
      key: z.string().min(1).optional(),
      note: z.string().optional(),
    })
    .strict()
    .refine((s) => !!(s.ref || s.origin || s.url || s.key), { message: "a source needs ref, origin, url or key" }),
]);
export type Source = z.output<typeof SourceSchema>;

const ClaimField = z.enum(CLAIM_FIELDS);
/** Fixed claims; a value may interpolate capture groups as {1} or {name}. */
const Claims = z.partialRecord(ClaimField, z.string().min(1));
/** Capture claims: field -> group number or group name. */
const Captures = z.partialRecord(ClaimField, z.union([z.number().int().min(1), z.string().min(1)]));

const NumOrList = z.union([z.number().int(), z.array(z.number().int()).min(1)]);
/** Filters on the observation context a part came from. `path` is a regex source. */
export const WhenSchema = z
  .object({
    protocol: z.string().optional(),
    method: z.string().optional(),
    path: z.string().optional(),
    scheme: z.string().optional(),
    status: NumOrList.optional(),
    port: NumOrList.optional(),
  })
  .strict();
export type When = z.output<typeof WhenSchema>;

/** A requirement: another rule id that matched on the same device, or a part of the device matching a regex. */
export const RequireSchema = z.union([
  z.string().min(1),
  z.object({ part: z.string().min(1), pattern: z.string().min(1), flags: z.string().optional() }).strict(),
]);
export type Require = z.output<typeof RequireSchema>;

export const ExampleSchema = z
  .object({
    input: z.string(),
    /** "base64" when the input is binary */
    encoding: z.enum(["utf8", "base64"]).optional(),
    /** context the example came from, tested against `when` filters (steal check) */
    ctx: z
      .object({
        protocol: z.string().optional(),
        method: z.string().optional(),
        path: z.string().optional(),
        scheme: z.string().optional(),
        status: z.number().int().optional(),
        port: z.number().int().optional(),
      })
      .strict()
      .optional(),
    /** expected extraction; {} for a rule that asserts nothing */
    expect: z.record(z.string(), z.string()).default({}),
    /** a counter-example: the rule must NOT match this input */
    nomatch: z.boolean().optional(),
    note: z.string().optional(),
  })
  .strict();
export type Example = z.output<typeof ExampleSchema>;

export const RuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, "ids are lower-case, digits, '.' and '-'"),
    description: z.string().min(1),
    /** named part(s) the pattern runs on, e.g. "http.header.server" */
    part: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    when: WhenSchema.optional(),
    pattern: z.string().min(1),
    flags: z
      .string()
      .regex(/^[imsu]*$/, "flags may only use i, m, s, u")
      .optional(),
    claims: Claims.optional(),
    captures: Captures.optional(),
    confidence: z.number().min(0).max(1),
    requires: z.array(RequireSchema).min(1).optional(),
    /** true when the facts behind the rule are unverified ([U] in shared/reference) */
    unverified: z.boolean().optional(),
    note: z.string().optional(),
    sources: z.array(SourceSchema).min(1, "every rule needs at least one source"),
    examples: z.array(ExampleSchema).min(1, "every rule needs at least one example"),
  })
  .strict();
export type Rule = z.output<typeof RuleSchema>;

export const FingerprintFileSchema = z
  .object({
    description: z.string().optional(),
    rules: z.array(RuleSchema).min(1),
  })
  .strict();
export type FingerprintFile = z.output<typeof FingerprintFileSchema>;

/**
 * camera-maker: makes (or has made for it) the devices sold under its name; white-label-firmware: a firmware/ODM
 * platform found under many labels (Xiongmai); soc: a chip vendor whose SDK shows through (HiSilicon);
 * module-vendor: a NIC/radio module maker (MAC OUI only); other: NVR/VMS/NAS/access-control/IT vendors.
 */
export const MANUFACTURER_KINDS = ["camera-maker", "white-label-firmware", "soc", "module-vendor", "other"] as const;

export const ManufacturerSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    name: z.string().min(1),
    /** the group policies name (Hikvision, Dahua, ...) */
    group: z.string().min(1),
    /** id in shared/reference/restricted-entities.json, when listed there */
    entity: z.string().optional(),
    /** what the slug stands for on a device (docs/knowledge.md "Vocabulary") */
    kind: z.enum(MANUFACTURER_KINDS).optional(),
    note: z.string().optional(),
    sources: z.array(SourceSchema).min(1),
  })
  .strict();
export type Manufacturer = z.output<typeof ManufacturerSchema>;

export const BrandSchema = z
  .object({
    name: z.string().min(1),
    owner: z.string().min(1),
    /** sub-brand: owned line or subsidiary brand; oem-relabel: another company's label on the owner's units;
     * joint-venture: a company the owner co-owns that sells under its own label */
    relation: z.enum(["sub-brand", "oem-relabel", "joint-venture"]),
    /** belief that a unit of this brand (without firmware evidence) was made by the owner */
    confidence: z.number().min(0).max(1),
    validFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    validTo: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    entity: z.string().optional(),
    note: z.string().optional(),
    sources: z.array(SourceSchema).min(1),
  })
  .strict();
export type Brand = z.output<typeof BrandSchema>;

export const PolicySchema = z
  .object({
    id: z.string().regex(/^[A-Z0-9-]+$/),
    title: z.string().min(1),
    issuer: z.string().min(1),
    instrument: z.string().min(1),
    date: z.string().min(1),
    /** manufacturer groups covered (manufacturers.yaml `group`) */
    groups: z.array(z.string().min(1)).min(1),
    note: z.string().optional(),
    sources: z.array(SourceSchema).min(1),
  })
  .strict();
export type Policy = z.output<typeof PolicySchema>;

export const ManufacturersFileSchema = z.object({ manufacturers: z.array(ManufacturerSchema).min(1) }).strict();
export const BrandsFileSchema = z.object({ brands: z.array(BrandSchema).min(1) }).strict();
export const PoliciesFileSchema = z.object({ policies: z.array(PolicySchema).min(1) }).strict();

export { DEVICE_TYPES };
