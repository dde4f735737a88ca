import type { ReportDevice, ReportModel } from "../document/model.js";
import type { WorkflowState } from "../../remediation/states.js";
import { UsageError } from "../../shared/errors.js";
import { cleanText, safeCell, toCsv } from "./cells.js";

/**
 * Devices as the CSV NetBox's bulk device import reads (dcim DeviceImportForm): role, tenant, manufacturer and site
 * are looked up by name and device_type by model, so those must already exist in NetBox under the same names. role,
 * manufacturer, device_type, site and status are required there: a device on no site gets the placeholder site
 * UNASSIGNED_SITE (create it in NetBox first, or assign the devices to sites in camsweep), an unknown maker or model
 * "Unknown", and the export says how many rows rely on such placeholders. Lengths are cut to NetBox's column sizes
 * (name 64, serial 50, device type model 100, site name 100, description 200).
 */

export const NETBOX_COLUMNS = [
  "name",
  "role",
  "tenant",
  "manufacturer",
  "device_type",
  "site",
  "status",
  "serial",
  "description",
  "comments",
] as const;

const DEFAULT_ROLE = "Surveillance device";

/** The site a device on no site is given: NetBox requires one. A slug-shaped name, so it also serves as the slug. */
export const UNASSIGNED_SITE = "camsweep-unassigned";
/** Manufacturer and device type of a device whose maker or model is unknown. */
export const UNKNOWN = "Unknown";

export interface NetboxOptions {
  /** the device role (default "Surveillance device") */
  role?: string;
  /** the site for devices on no site (default UNASSIGNED_SITE) */
  unassignedSite?: string;
}

export interface NetboxExport {
  csv: string;
  /** rows placed on the placeholder site */
  unassigned: number;
  /** rows with "Unknown" for manufacturer or device type */
  unknownType: number;
  /** one English sentence per kind of placeholder used, for the CLI to print (empty when none was needed) */
  warnings: string[];
}

/**
 * Workflow state -> NetBox device status (DeviceStatusChoices: offline, active, planned, staged, failed, inventory,
 * decommissioning):
 * - identified, confirmed, reopened -> active: on the network and in service
 * - scheduled, isolated -> decommissioning: removal decided and under way (an isolated device is cut off, still installed)
 * - removed, sanitized, closed -> offline: recorded as gone from the network
 */
export const NETBOX_STATUS: Record<WorkflowState, string> = {
  identified: "active",
  confirmed: "active",
  reopened: "active",
  scheduled: "decommissioning",
  isolated: "decommissioning",
  removed: "offline",
  sanitized: "offline",
  closed: "offline",
};

/** NetBox's single-line fields: line breaks and tabs become spaces, then the cell is made safe. */
const line = (s: string | null, max: number) =>
  s === null ? "" : safeCell(s.replace(/[\r\n\t]+/g, " "), max);

/**
 * NetBox renders comments as Markdown: device text must not become a link, an image or markup. & < > go to
 * entities and Markdown's inline punctuation is backslash-escaped; one line each, so a value cannot open a block.
 * Each value is cleaned and cut first, so one long value cannot crowd out the others.
 */
const MD_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const md = (s: string) =>
  cleanText(s)
    .replace(/[\r\n\t]+/g, " ")
    .replace(/[&<>]/g, (c) => MD_ENTITIES[c] ?? c)
    .replace(/[\\`*_{}[\]()#!]/g, "\\$&");

function comments(d: ReportDevice): string {
  const facts: [string, string | null][] = [
    ["address", d.address],
    ["hostname", d.hostname],
    ["MAC", d.mac],
    ["brand", d.brand],
    ["firmware", d.firmware],
    ["policies", d.policies.join(" ") || null],
    ["scheduled for", d.scheduledFor],
    ["removed", d.removedAt],
    [
      "sanitization",
      d.sanitization &&
        `${d.sanitization.method} on ${d.sanitization.date} by ${d.sanitization.by}` +
          (d.sanitization.certificate ? `, certificate ${d.sanitization.certificate}` : ""),
    ],
    [
      "exception",
      d.exception &&
        [
          d.exception.state,
          d.exception.approver && `by ${d.exception.approver}`,
          d.exception.expires && `until ${d.exception.expires}`,
        ]
          .filter(Boolean)
          .join(" "),
    ],
    ["first seen", d.firstSeen],
    ["last seen", d.lastSeen],
  ];
  const items = facts.flatMap(([k, v]) => (v === null ? [] : [`- ${k}: ${md(v)}`]));
  return [`camsweep device ${md(d.id)}`, "", ...items].join("\n");
}

function description(d: ReportDevice): string {
  const risk = d.risk === null ? "" : `, risk ${d.risk}${d.riskLevel ? ` (${d.riskLevel})` : ""}`;
  const kev = d.kev ? `, ${d.kev} known-exploited vulnerabilities` : "";
  return `camsweep: ${d.status ?? "not assessed"}${risk}${kev}; workflow ${d.workflow}`;
}

/**
 * NetBox wants a device's name unique per site and tenant, ignoring case. The hostname, else the address, else the
 * device id; a name already taken gets the device id after it.
 */
function namer(): (d: ReportDevice) => string {
  const taken = new Set<string>();
  return (d) => {
    const base = d.hostname ?? d.address ?? d.id;
    const suffix = ` (${d.id})`;
    const candidates = [
      line(base, 64),
      `${line(base, Math.max(1, 64 - suffix.length))}${suffix}`,
      line(d.id, 64),
    ];
    const scope = `${d.siteId ?? ""}\u0000${d.organizationId ?? ""}\u0000`;
    const name = candidates.find((c) => !taken.has(scope + c.toLowerCase())) ?? line(d.id, 64);
    taken.add(scope + name.toLowerCase());
    return name;
  };
}

/** The CSV and what it had to stand in for; devicesNetboxCsv is its text alone. */
export function devicesNetbox(model: ReportModel, o: NetboxOptions = {}): NetboxExport {
  const name = namer();
  const site = line(o.unassignedSite ?? UNASSIGNED_SITE, 100);
  if (site === "") throw new UsageError("the placeholder NetBox site must not be empty");
  let unassigned = 0;
  let unknownType = 0;
  const rows = model.devices.map((d) => {
    if (d.siteName === null || d.siteName === "") unassigned++;
    if (!d.manufacturer || !d.model) unknownType++;
    return [
      name(d),
      line(o.role ?? DEFAULT_ROLE, 100),
      line(d.organizationName, 100),
      line(d.manufacturer || UNKNOWN, 100),
      line(d.model || UNKNOWN, 100),
      d.siteName ? line(d.siteName, 100) : site,
      NETBOX_STATUS[d.workflow],
      line(d.serial, 50),
      line(description(d), 200),
      safeCell(comments(d), Infinity),
    ];
  });
  const warnings: string[] = [];
  if (unassigned > 0)
    warnings.push(
      `${unassigned} device(s) on no site were given the placeholder site "${site}": create that site in NetBox ` +
        "before importing, or assign the devices to sites in camsweep and export again.",
    );
  if (unknownType > 0)
    warnings.push(
      `${unknownType} device(s) with no known manufacturer or model were given "${UNKNOWN}": create a manufacturer ` +
        `and a device type of that name in NetBox before importing.`,
    );
  return { csv: toCsv([[...NETBOX_COLUMNS], ...rows]), unassigned, unknownType, warnings };
}

export function devicesNetboxCsv(model: ReportModel, o: NetboxOptions = {}): string {
  return devicesNetbox(model, o).csv;
}
