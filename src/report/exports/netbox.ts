import type { ReportDevice, ReportModel } from "../document/model.js";
import type { WorkflowState } from "../../remediation/states.js";
import { cleanText, safeCell, toCsv } from "./cells.js";

/**
 * Devices as the CSV NetBox's bulk device import reads (dcim DeviceImportForm): role, tenant, manufacturer and site
 * are looked up by name and device_type by model, so those must already exist in NetBox under the same names; site
 * is required there, so a device on no site leaves it empty and NetBox refuses that row. Lengths are cut to NetBox's
 * column sizes (name 64, serial 50, device type model 100, description 200).
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

export function devicesNetboxCsv(model: ReportModel, o: { role?: string } = {}): string {
  const name = namer();
  const rows = model.devices.map((d) => [
    name(d),
    line(o.role ?? DEFAULT_ROLE, 100),
    line(d.organizationName, 100),
    line(d.manufacturer ?? "Unknown", 100),
    line(d.model ?? "Unknown", 100),
    line(d.siteName, 100),
    NETBOX_STATUS[d.workflow],
    line(d.serial, 50),
    line(description(d), 200),
    safeCell(comments(d), Infinity),
  ]);
  return toCsv([[...NETBOX_COLUMNS], ...rows]);
}
