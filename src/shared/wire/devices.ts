import { z } from "zod";
import { WORKFLOW_STATES } from "../../remediation/states.js";
import { DEVICE_STATUSES } from "./lists.js";
import { WorkflowStep } from "./workflow.js";

/** A device on the wire: a row of the list, and its page whole. */

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
  status: z.enum(DEVICE_STATUSES).nullable(),
  workflow: z.enum(WORKFLOW_STATES),
});
export type Device = z.output<typeof Device>;

export const DevicePage = z.object({
  devices: z.array(Device),
  next: z.string().nullable(),
  /** how many the filter selects, when asked with count=true (once per filter: it costs a scan) */
  total: z.number().int().nullable(),
});
export type DevicePage = z.output<typeof DevicePage>;

/**
 * A device's page, field by field. Nearly every string here came from the device or from whoever typed it
 * (excerpts, observation summaries, names): the web app renders them as text, never as markup.
 */
export const DeviceDetail = z.object({
  device: Device.extend({
    openPorts: z.array(z.number().int()),
    organizationId: z.string().nullable(),
    organizationName: z.string().nullable(),
    siteName: z.string().nullable(),
  }),
  identity: z.object({
    manufacturer: z.string().nullable(),
    brand: z.string().nullable(),
    model: z.string().nullable(),
    firmware: z.string().nullable(),
    deviceType: z.string(),
    confidence: z.number(),
    /** each piece of evidence: where it came from, what it says, the rule that read it and the text it matched */
    evidence: z.array(
      z.object({
        source: z.string(),
        field: z.string(),
        value: z.string(),
        rule: z.string(),
        confidence: z.number(),
        detail: z.string().nullable(),
      }),
    ),
    notes: z.array(z.string()),
  }),
  observations: z.array(
    z.object({
      time: z.string(),
      protocol: z.string(),
      port: z.number().int().nullable(),
      summary: z.string(),
    }),
  ),
  /** the latest assessment's risk, or null when the device was never assessed */
  risk: z.object({ score: z.number(), level: z.string(), assessedAt: z.string() }).nullable(),
  vulnerabilities: z.array(
    z.object({
      id: z.string(),
      kev: z.boolean(),
      /** CVSS score and version, e.g. "9.8 (CVSS 3.1)" */
      severity: z.string().nullable(),
      certainty: z.string(),
      title: z.string(),
    }),
  ),
  verdicts: z.array(
    z.object({ policy: z.string(), verdict: z.enum(["binds", "advises"]), reason: z.string() }),
  ),
  workflow: z.object({
    state: z.enum(WORKFLOW_STATES),
    storage: z.string().nullable(),
    steps: z.array(WorkflowStep),
  }),
  sanitizations: z.array(
    z.object({
      id: z.number().int(),
      medium: z.string(),
      method: z.string(),
      date: z.string(),
      by: z.string(),
      certificate: z.string().nullable(),
    }),
  ),
  exceptions: z.array(
    z.object({ id: z.number().int(), state: z.string(), justification: z.string(), expiresOn: z.string() }),
  ),
  attachments: z.array(
    z.object({
      sha256: z.string(),
      name: z.string(),
      size: z.number().int(),
      mediaType: z.string(),
      owner: z.enum(["step", "sanitization", "exception"]),
      at: z.string(),
    }),
  ),
});
export type DeviceDetail = z.output<typeof DeviceDetail>;
