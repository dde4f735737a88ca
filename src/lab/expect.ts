import type { DeviceView } from "../report/index.js";
import type { LabDevice } from "./index.js";

const FIELDS = ["manufacturer", "brand", "model", "deviceType", "restricted", "policies"] as const;

/** Differences between what a scan found and what the persona says it is ("" when none). */
export function compareWithPersona(d: LabDevice, found: DeviceView | undefined): string[] {
  const name = `${d.address} ${d.persona.id}`;
  if (!found) return [`${name}: not found by the scan`];
  const expect = d.persona.expect as Partial<Record<(typeof FIELDS)[number], unknown>>;
  return FIELDS.filter((f) => f in expect && expect[f] !== undefined)
    .filter((f) => JSON.stringify(norm(found[f])) !== JSON.stringify(norm(expect[f])))
    .map((f) => `${name}: ${f} is ${JSON.stringify(found[f])}, expected ${JSON.stringify(expect[f])}`);
}

function norm(v: unknown): unknown {
  return Array.isArray(v) ? [...v].sort() : (v ?? null);
}
