import { stringify } from "csv-stringify/sync";
import { forTerminal } from "./escape.js";
import type { DeviceView } from "./present.js";
import { columns } from "../shared/columns.js";

export type OutputFormat = "table" | "json" | "csv";

/** Header, value, widest cell (device text is cut there; policy ids are ours and never cut). */
const COLUMNS: [string, (d: DeviceView) => string, number?][] = [
  ["ADDRESS", (d) => d.address ?? ""],
  ["MANUFACTURER", (d) => d.manufacturer ?? "unknown"],
  ["BRAND", (d) => d.brand ?? ""],
  ["MODEL", (d) => d.model ?? ""],
  ["FIRMWARE", (d) => d.firmware ?? ""],
  ["TYPE", (d) => d.deviceType],
  ["CONF", (d) => d.confidence.toFixed(2)],
  // "check": a restricted maker is suspected below the verdict threshold (a relabel's badge alone).
  ["RESTRICTED", (d) => (d.restricted ? "YES" : d.suspected?.length ? "check" : "no")],
  ["POLICIES", (d) => d.policies.join(","), 200],
  ["PORTS", (d) => d.openPorts.join(",")],
];

/** Fixed-width table; every cell passes through forTerminal. */
export function formatTable(devices: DeviceView[]): string {
  const rows = devices.map((d) => COLUMNS.map(([, get, max]) => forTerminal(get(d), max)));
  return columns(
    COLUMNS.map(([h]) => h),
    rows,
  );
}

/** One device per line, with its evidence. */
export function formatJsonLines(devices: DeviceView[]): string {
  return devices.map((d) => JSON.stringify(d)).join("\n");
}

const CSV_FIELDS = [
  "address",
  "hostname",
  "mac",
  "serial",
  "manufacturer",
  "brand",
  "model",
  "firmware",
  "deviceType",
  "confidence",
  "restricted",
  "policies",
  "suspected",
  "openPorts",
] as const;

/** CSV with spreadsheet formula injection neutralised (a leading = + - @ tab or CR is quoted away). */
export function formatCsv(devices: DeviceView[]): string {
  const rows = devices.map((d) =>
    CSV_FIELDS.map((f) => {
      const v = f === "suspected" ? (d.suspected ?? []).map((x) => x.manufacturer) : d[f];
      if (Array.isArray(v)) return v.join(" ");
      if (typeof v === "boolean") return v ? "true" : "false";
      return v === null || v === undefined ? "" : String(v);
    }),
  );
  return stringify([[...CSV_FIELDS], ...rows], { escape_formulas: true }).trimEnd();
}

export function formatDevices(devices: DeviceView[], format: OutputFormat): string {
  if (format === "json") return formatJsonLines(devices);
  if (format === "csv") return formatCsv(devices);
  return formatTable(devices);
}
