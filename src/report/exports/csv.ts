import type { ReportDevice, ReportModel } from "../document/model.js";
import { safeCell, toCsv } from "./cells.js";

export type CellValue = string | number | null;
export type DeviceColumn = readonly [header: string, get: (d: ReportDevice) => CellValue];

/**
 * Every ReportDevice field as columns, in this order (sanitization and exception spread over their own columns).
 * Keyed by field so that a field added to ReportDevice fails to compile here until it has its columns.
 */
const BY_FIELD: { [K in keyof ReportDevice]-?: DeviceColumn[] } = {
  id: [["id", (d) => d.id]],
  address: [["address", (d) => d.address]],
  hostname: [["hostname", (d) => d.hostname]],
  mac: [["mac", (d) => d.mac]],
  serial: [["serial", (d) => d.serial]],
  manufacturer: [["manufacturer", (d) => d.manufacturer]],
  brand: [["brand", (d) => d.brand]],
  model: [["model", (d) => d.model]],
  firmware: [["firmware", (d) => d.firmware]],
  deviceType: [["deviceType", (d) => d.deviceType]],
  organizationId: [["organizationId", (d) => d.organizationId]],
  organizationName: [["organizationName", (d) => d.organizationName]],
  siteId: [["siteId", (d) => d.siteId]],
  siteName: [["siteName", (d) => d.siteName]],
  status: [["status", (d) => d.status]],
  risk: [["risk", (d) => d.risk]],
  riskLevel: [["riskLevel", (d) => d.riskLevel]],
  kev: [["kev", (d) => d.kev]],
  policies: [["policies", (d) => d.policies.join(" ")]],
  workflow: [["workflow", (d) => d.workflow]],
  scheduledFor: [["scheduledFor", (d) => d.scheduledFor]],
  removedAt: [["removedAt", (d) => d.removedAt]],
  sanitization: [
    ["sanitizationMethod", (d) => d.sanitization?.method ?? null],
    ["sanitizationDate", (d) => d.sanitization?.date ?? null],
    ["sanitizationBy", (d) => d.sanitization?.by ?? null],
    ["sanitizationCertificate", (d) => d.sanitization?.certificate ?? null],
  ],
  exception: [
    ["exceptionState", (d) => d.exception?.state ?? null],
    ["exceptionApprover", (d) => d.exception?.approver ?? null],
    ["exceptionExpires", (d) => d.exception?.expires ?? null],
  ],
  firstSeen: [["firstSeen", (d) => d.firstSeen]],
  lastSeen: [["lastSeen", (d) => d.lastSeen]],
};

/** The device table's columns, shared by the CSV and the workbook's Devices sheet. */
export const DEVICE_COLUMNS: readonly DeviceColumn[] = Object.values(BY_FIELD).flat();

/** One row per device with a header row; every text cell cleaned and kept from reading as a formula. */
export function devicesCsv(model: ReportModel): string {
  const rows = model.devices.map((d) =>
    DEVICE_COLUMNS.map(([, get]) => {
      const v = get(d);
      return typeof v === "number" ? String(v) : safeCell(v);
    }),
  );
  return toCsv([DEVICE_COLUMNS.map(([h]) => h), ...rows]);
}
