/**
 * The risk weights (knowledge/risk.yaml): points out of 100 per fact, each with a one-line reason and, where a fact
 * backs it, its sources. Strict: an unknown key is an error, so a misspelt weight cannot silently count as nothing.
 */
import { z } from "zod";
import { DEVICE_TYPES } from "../../identify/identification.js";
import { CRITICALITIES } from "../../inventory/organizations.js";
import { ENDPOINT_ROLES } from "../../knowledge/cloud-endpoints.js";
import { SourceSchema } from "../../knowledge/schema.js";

/** The score's scale: points and thresholds are out of this. */
export const RISK_MAX = 100;

/** Whole points within the scale. */
const Points = z.number().int().min(0).max(RISK_MAX);
/** One line: it is printed beside the points. */
const Reason = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !/[\r\n]/.test(s), "one line");

export const WeightSchema = z
  .object({ points: Points, reason: Reason, sources: z.array(SourceSchema).min(1).optional() })
  .strict();
export type Weight = z.output<typeof WeightSchema>;

/** A group's total; no sources (it is a choice of this file, not a fact). */
const CapSchema = z.object({ points: Points, reason: Reason }).strict();

const BandSchema = z
  .object({
    label: z.string().regex(/^[a-z][a-z-]{0,30}$/, "a lower-case word"),
    /** the lowest CVSS base score in the band */
    minScore: z.number().min(0).max(10),
    exact: Points,
    family: Points,
    reason: Reason,
    sources: z.array(SourceSchema).min(1).optional(),
  })
  .strict();
export type CvssBand = z.output<typeof BandSchema>;

/** One weight per value of `keys`, all required. */
function weightsOf<const K extends readonly string[]>(keys: K) {
  return z
    .object(
      Object.fromEntries(keys.map((k) => [k, WeightSchema])) as { [P in K[number]]: typeof WeightSchema },
    )
    .strict();
}

/** Endpoint roles that count: a vendor web site is never evidence (knowledge/cloud-endpoints.yaml). */
export const CLOUD_ROLES = ENDPOINT_ROLES.filter(
  (r): r is Exclude<(typeof ENDPOINT_ROLES)[number], "vendor-web"> => r !== "vendor-web",
);
export type CloudRole = (typeof CLOUD_ROLES)[number];

export const RiskWeightsSchema = z
  .object({
    schemaVersion: z.literal(1),
    /** the edition of the numbers; a stored score carries it */
    weightsVersion: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, "a short version label"),
    levels: z.object({ medium: Points, high: Points, critical: Points }).strict(),
    policy: weightsOf(["prohibited", "advisory"] as const),
    kev: z
      .object({
        exact: WeightSchema,
        family: WeightSchema,
        duePassed: WeightSchema,
        ransomware: WeightSchema,
        cap: CapSchema,
      })
      .strict(),
    cves: z
      .object({
        bands: z.array(BandSchema).min(1).max(10),
        unscored: z
          .object({
            exact: Points,
            family: Points,
            reason: Reason,
            sources: z.array(SourceSchema).min(1).optional(),
          })
          .strict(),
        cap: CapSchema,
      })
      .strict(),
    exposure: z.object({ internet: WeightSchema }).strict(),
    cloud: weightsOf(CLOUD_ROLES),
    deviceType: weightsOf(DEVICE_TYPES),
    siteCriticality: weightsOf(CRITICALITIES),
  })
  .strict()
  .superRefine((w, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const { medium, high, critical } = w.levels;
    if (!(medium > 0)) issue(["levels", "medium"], "must be above 0 (below it is low)");
    if (!(high > medium)) issue(["levels", "high"], `must be above levels.medium (${medium})`);
    if (!(critical > high)) issue(["levels", "critical"], `must be above levels.high (${high})`);
    // Family certainty means "maybe fixed": it never counts more than the firmware known to be affected.
    if (w.kev.family.points > w.kev.exact.points)
      issue(["kev", "family", "points"], `more than kev.exact.points (${w.kev.exact.points})`);
    w.cves.bands.forEach((b, i) => {
      if (b.family > b.exact) issue(["cves", "bands", i, "family"], `more than exact (${b.exact})`);
      const prev = w.cves.bands[i - 1];
      if (prev && !(b.minScore < prev.minScore))
        issue(
          ["cves", "bands", i, "minScore"],
          `bands go from the highest score down (after ${prev.minScore})`,
        );
    });
    if (w.cves.unscored.family > w.cves.unscored.exact)
      issue(["cves", "unscored", "family"], `more than exact (${w.cves.unscored.exact})`);
  });
export type RiskWeights = z.output<typeof RiskWeightsSchema>;
