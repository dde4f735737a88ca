import { z } from "zod";
import type { ListedRecord } from "../../inventory/device-list.js";
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

/** A device on the wire, field by field (so a new column never leaks by accident): the list's and the page's. */
export function presentDevice(
  d: ListedRecord,
  status: z.input<typeof Device>["status"],
  workflow: z.input<typeof Device>["workflow"],
): z.input<typeof Device> {
  return {
    id: d.id,
    address: d.address,
    hostname: d.hostname,
    mac: d.mac,
    serial: d.serial,
    manufacturer: d.manufacturer,
    brand: d.brand,
    model: d.model,
    firmware: d.firmware,
    deviceType: d.deviceType,
    restricted: d.restricted,
    confidence: d.confidence,
    siteId: d.siteId,
    firstSeen: d.firstSeen,
    lastSeen: d.lastSeen,
    status,
    workflow,
  };
}

/** A calendar day a person gives. */
export const Day = z.iso.date("a day, YYYY-MM-DD");
