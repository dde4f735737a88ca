import { z } from "zod";
import { SCREEN_VERDICTS } from "./lists.js";

/** The program office's views on the wire: the overview, the plan and a screened purchase order. */

/** A compliance count (src/report/document/model.ts's StatusCounts, as the API sends it). */
export const StatusCounts = z.object({
  devices: z.number().int(),
  prohibited: z.number().int(),
  excepted: z.number().int(),
  advisory: z.number().int(),
  allowed: z.number().int(),
  unowned: z.number().int(),
  removed: z.number().int(),
  reopened: z.number().int(),
  kev: z.number().int(),
  notAssessed: z.number().int(),
});
export type StatusCounts = z.output<typeof StatusCounts>;

export const Overview = z.object({
  asOf: z.string(),
  totals: StatusCounts,
  organizations: z.array(
    z.object({
      id: z.string().nullable(),
      name: z.string(),
      counts: StatusCounts,
      sites: z.array(
        z.object({
          id: z.string().nullable(),
          name: z.string(),
          criticality: z.string().nullable(),
          counts: StatusCounts,
          verifiedClear: z.boolean().nullable(),
        }),
      ),
    }),
  ),
  manufacturers: z.array(
    z.object({
      manufacturer: z.string().nullable(),
      devices: z.number().int(),
      prohibited: z.number().int(),
    }),
  ),
  burnDown: z.array(
    z.object({ date: z.string(), actual: z.number().nullable(), planned: z.number().nullable() }),
  ),
  planVsActual: z.array(
    z.object({
      phase: z.number().int(),
      end: z.string(),
      planned: z.number().int(),
      removed: z.number().int(),
    }),
  ),
});
export type Overview = z.output<typeof Overview>;

export const Plan = z.object({
  currency: z.string(),
  totalCost: z.number(),
  phases: z.array(
    z.object({
      phase: z.number().int(),
      start: z.string(),
      end: z.string(),
      devices: z.number().int(),
      cost: z.number(),
      budget: z.number().nullable(),
      sites: z.array(
        z.object({ id: z.string(), name: z.string(), devices: z.number().int(), cost: z.number() }),
      ),
    }),
  ),
  /** how many devices the budget could not fund within the phases */
  unfunded: z.number().int(),
  warnings: z.array(z.object({ code: z.string().nullable(), text: z.string() })),
});
export type Plan = z.output<typeof Plan>;

/** A screened purchase order (multipart upload: the route type-checks its answer against this, it does not parse it). */
export const ScreenResult = z.object({
  /** the buyer's name; null when none was named */
  organization: z.string().nullable(),
  warnings: z.array(z.string()),
  counts: z.object({
    prohibited: z.number().int(),
    needsAttestation: z.number().int(),
    clear: z.number().int(),
  }),
  lines: z.array(
    z.object({
      line: z.number().int(),
      text: z.string(),
      verdict: z.enum(SCREEN_VERDICTS),
      manufacturer: z.string().nullable(),
      relation: z.string(),
      reason: z.string(),
      /** the ids of the policies that bar or advise against buying it */
      policies: z.array(z.string()),
    }),
  ),
});
export type ScreenResult = z.output<typeof ScreenResult>;
