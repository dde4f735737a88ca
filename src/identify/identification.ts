import type { Protocol } from "../observations/observation.js";
import type { FirmwareInfo, SerialInfo } from "./versions/index.js";

export const DEVICE_TYPES = ["camera", "nvr", "dvr", "other", "unknown"] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** Fields a fingerprint may claim. */
export const CLAIM_FIELDS = [
  "manufacturer",
  "brand",
  "model",
  "firmware",
  "deviceType",
  "serial",
  "mac",
] as const;
export type ClaimField = (typeof CLAIM_FIELDS)[number];

/** Why one conclusion was drawn: which observation, which part of it, which rule. */
export interface Evidence {
  field: ClaimField | "restricted";
  value: string;
  /** fingerprint id, or "policy:<id>" / "vocabulary:<id>" for derived conclusions */
  rule: string;
  /** named part the rule matched, e.g. "http.header.server" */
  part: string;
  /** the observation it came from */
  source: { protocol: Protocol; port?: number; request?: string; time?: string };
  /** the matched text, capped and exactly as the device sent it (escape before display) */
  excerpt: string;
  confidence: number;
}

/** A value some evidence supported but the verdict did not take (a relabel's badge, a weak look-alike). */
export interface Conflict {
  field: ClaimField;
  value: string;
  /** combined confidence of the losing value */
  confidence: number;
  evidence: Evidence[];
}

/**
 * A maker that some evidence points to, below the verdict threshold, whose products a policy restricts: a
 * Lorex label of unknown date (Dahua's 2018-2022), a CP PLUS label. Not a verdict; a device to check.
 */
export interface Suspect {
  manufacturer: string;
  confidence: number;
  policies: string[];
  evidence: Evidence[];
}

export interface Identification {
  /** address or hostname; null when the observations had none */
  target: string | null;
  /** lower-case maker slug (hikvision, dahua, axis, ...); null when unknown */
  manufacturer: string | null;
  /** the name the device shows when it differs from its maker (HiWatch, LTS, Lorex, ...) */
  brand: string | null;
  model: string | null;
  firmware: string | null;
  deviceType: DeviceType;
  /** 0..1: belief in the manufacturer verdict (0 when unknown) */
  confidence: number;
  restricted: boolean;
  /** ids of the policies that restrict it (knowledge/policies.yaml) */
  policies: string[];
  mac: string | null;
  serial: string | null;
  evidence: Evidence[];
  /** competing values per field that lost, with their evidence; empty when all evidence agreed */
  conflicts: Conflict[];
  /** restricted makers the evidence points to below the threshold: devices to check, not verdicts */
  suspected: Suspect[];
  /** what could not be read (malformed XML, refused DTD, capped values, unregistered MAC) */
  notes: string[];
  /** firmware and serial parsed for comparison (vulnerability ranges, manufacture dates); null when unparsable */
  versions: { firmware: FirmwareInfo | null; serial: SerialInfo | null };
}
