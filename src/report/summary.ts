import type { DeviceView } from "./present.js";

export interface Summary {
  devices: number;
  restricted: number;
  /** not restricted, but a restricted maker is suspected (a relabel's badge alone): devices to check */
  toCheck: number;
  byManufacturer: Record<string, number>;
  restrictedByManufacturer: Record<string, number>;
  restrictedByPolicy: Record<string, number>;
}

export function summarize(devices: DeviceView[]): Summary {
  return addToSummary(emptySummary(), devices);
}

export function emptySummary(): Summary {
  return {
    devices: 0,
    restricted: 0,
    toCheck: 0,
    byManufacturer: {},
    restrictedByManufacturer: {},
    restrictedByPolicy: {},
  };
}

/** Counts more devices into s (a list read a page at a time is summarized page by page). */
export function addToSummary(s: Summary, devices: DeviceView[]): Summary {
  s.devices += devices.length;
  const inc = (o: Record<string, number>, k: string) => (o[k] = (o[k] ?? 0) + 1);
  for (const d of devices) {
    const maker = d.manufacturer ?? "unknown";
    inc(s.byManufacturer, maker);
    if (!d.restricted && d.suspected?.length) s.toCheck++;
    if (!d.restricted) continue;
    s.restricted++;
    inc(s.restrictedByManufacturer, d.brand ? `${maker} (${d.brand})` : maker);
    for (const p of d.policies) inc(s.restrictedByPolicy, p);
  }
  return s;
}

export function formatSummary(s: Summary): string {
  const list = (o: Record<string, number>) =>
    Object.entries(o)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([k, n]) => `  ${k.padEnd(28)} ${n}`);
  return [
    `${s.devices} devices, ${s.restricted} restricted${s.toCheck ? `, ${s.toCheck} to check (a restricted maker suspected below the verdict threshold)` : ""}`,
    ...(s.restricted
      ? ["Restricted by manufacturer (brand shown):", ...list(s.restrictedByManufacturer)]
      : []),
    ...(s.restricted ? ["Restricted by policy:", ...list(s.restrictedByPolicy)] : []),
  ].join("\n");
}
