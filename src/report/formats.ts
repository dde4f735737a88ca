import { stringify } from "csv-stringify/sync";
import { forTerminal } from "./escape.js";
import type { DeviceView } from "./present.js";

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

const HEAD = COLUMNS.map(([h]) => h);
const cells = (d: DeviceView) => COLUMNS.map(([, get, max]) => forTerminal(get(d), max));

/** Fixed-width table; every cell passes through forTerminal. */
export function formatTable(devices: DeviceView[]): string {
  return tableWriter()(devices);
}

/**
 * The same table written a page at a time: the header once, columns as wide as the widest cell so far (a later
 * page with a wider cell widens the columns from there on; the list is never held whole to measure it).
 */
export function tableWriter(): (devices: DeviceView[]) => string {
  const widths = HEAD.map((h) => h.length);
  let first = true;
  return (devices) => {
    const rows = devices.map(cells);
    for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i]!, c.length)));
    const line = (cs: readonly string[]) =>
      cs
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd();
    const lines = rows.map(line);
    if (first) lines.unshift(line(HEAD));
    first = false;
    return lines.join("\n");
  };
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
export function formatCsv(devices: DeviceView[], o: { header?: boolean } = {}): string {
  const rows = devices.map((d) =>
    CSV_FIELDS.map((f) => {
      const v = f === "suspected" ? (d.suspected ?? []).map((x) => x.manufacturer) : d[f];
      if (Array.isArray(v)) return v.join(" ");
      if (typeof v === "boolean") return v ? "true" : "false";
      return v === null || v === undefined ? "" : String(v);
    }),
  );
  const header = o.header === false ? [] : [[...CSV_FIELDS]];
  return stringify([...header, ...rows], { escape_formulas: true }).trimEnd();
}

export function formatDevices(devices: DeviceView[], format: OutputFormat): string {
  if (format === "json") return formatJsonLines(devices);
  if (format === "csv") return formatCsv(devices);
  return formatTable(devices);
}
