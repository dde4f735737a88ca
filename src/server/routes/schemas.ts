import { z } from "zod";
import { WORKFLOW_STATES } from "../../remediation/states.js";

/** Schemas more than one route file uses. */

export const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "an id: lower-case letters, digits and -");
const STATUSES = ["prohibited", "advisory", "allowed", "unowned"] as const;

export const Device = z.object({
  id: z.string(),
  address: z.string().nullable(),
  hostname: z.string().nullable(),
  mac: z.string().nullable(),
  serial: z.string().nullable(),
  manufacturer: z.string().nullable(),
  brand: z.string().nullable(),
  model: z.string().nullable(),
  firmware: z.string().nullable(),
  deviceType: z.string(),
  restricted: z.boolean(),
  confidence: z.number(),
  siteId: z.string().nullable(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  status: z.enum(STATUSES).nullable(),
  workflow: z.enum(WORKFLOW_STATES),
});

/** A line of text a person types into a filter: no control characters (a NUL would reach the database). */
export const FilterText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, "no control characters");
