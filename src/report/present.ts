import type { Conflict, Evidence, Identification } from "../identify/identification.js";
import type { DeviceRecord, DeviceSource, IdentityConflict } from "../inventory/index.js";

/**
 * The one shape every output (table, JSON Lines, CSV, later HTML and the API) is made from.
 * Device-controlled strings stay raw here; each format escapes them for its own medium.
 */
export type DeviceView = Omit<DeviceRecord, "id" | "identification" | "firstSeen" | "lastSeen" | "siteId"> & {
  /** absent for devices not (yet) in the inventory, e.g. from `identify` */
  id?: string;
  /** the site the device belongs to, when the inventory knows it */
  site?: string;
  /** the runs (scans, imports, listens) whose observations stand behind it, when asked for */
  sources?: DeviceSource[];
  /** records that offered another MAC or serial than the device's, kept undecided, when asked for */
  identityConflicts?: IdentityConflict[];
  firstSeen?: string;
  lastSeen?: string;
  evidence: Evidence[];
  /** values other evidence supported that the verdict did not take */
  conflicts: Conflict[];
  /** restricted makers short of a verdict: devices to check */
  suspected: Identification["suspected"];
  /** what could not be read */
  notes: string[];
  versions: Identification["versions"];
};

export function presentRecord(
  r: DeviceRecord,
  more: { sources?: DeviceSource[]; identityConflicts?: IdentityConflict[] } = {},
): DeviceView {
  return {
    id: r.id,
    ...(r.siteId ? { site: r.siteId } : {}),
    ...(more.sources ? { sources: more.sources } : {}),
    ...(more.identityConflicts?.length ? { identityConflicts: more.identityConflicts } : {}),
    address: r.address,
    hostname: r.hostname,
    mac: r.mac,
    serial: r.serial,
    manufacturer: r.manufacturer,
    brand: r.brand,
    model: r.model,
    firmware: r.firmware,
    deviceType: r.deviceType,
    confidence: r.confidence,
    restricted: r.restricted,
    policies: r.policies,
    openPorts: r.openPorts,
    firstSeen: r.firstSeen,
    lastSeen: r.lastSeen,
    evidence: r.identification.evidence ?? [],
    // Rows written before these fields existed have none.
    conflicts: r.identification.conflicts ?? [],
    suspected: r.identification.suspected ?? [],
    notes: r.identification.notes ?? [],
    versions: r.identification.versions ?? { firmware: null, serial: null },
  };
}

export function presentIdentification(
  idf: Identification,
  host: { address?: string | null; hostname?: string | null; openPorts?: number[] } = {},
): DeviceView {
  return {
    address: host.address ?? idf.target,
    hostname: host.hostname ?? null,
    mac: idf.mac,
    serial: idf.serial,
    manufacturer: idf.manufacturer,
    brand: idf.brand,
    model: idf.model,
    firmware: idf.firmware,
    deviceType: idf.deviceType,
    confidence: round(idf.confidence),
    restricted: idf.restricted,
    policies: idf.policies,
    openPorts: host.openPorts ?? [],
    evidence: idf.evidence,
    conflicts: idf.conflicts,
    suspected: idf.suspected,
    notes: idf.notes,
    versions: idf.versions,
  };
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}
