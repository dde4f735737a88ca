import { CLAIM_FIELDS, type Evidence } from "../identify/identification.js";
import { forTerminal } from "./escape.js";
import type { DeviceView } from "./present.js";

/** What the explanation says about a policy (from knowledge/policies.yaml). */
export interface PolicyInfo {
  title: string;
  issuer: string;
  instrument: string;
}

function where(e: Evidence): string {
  const s = e.source;
  return [s.protocol, s.port !== undefined ? `:${s.port}` : "", s.request ? forTerminal(s.request, 60) : ""]
    .filter(Boolean)
    .join(" ");
}

function line(e: Evidence): string {
  return `      ${e.confidence.toFixed(2)}  ${e.rule}  on ${e.part} (${where(e)})  "${forTerminal(e.excerpt, 70)}"`;
}

/**
 * `identify --explain`: for a person, why each value was concluded, which evidence lost, and what could
 * not be read. Every device-controlled string passes through forTerminal.
 */
export function formatExplanation(d: DeviceView, policies: Map<string, PolicyInfo> = new Map()): string {
  const maker = d.manufacturer ?? "unknown manufacturer";
  const out = [
    `${forTerminal(d.address ?? "(no address)", 80)}: ${maker}${d.brand ? ` (label ${forTerminal(d.brand)})` : ""}, ${d.deviceType}, ` +
      `${d.restricted ? "RESTRICTED" : "not restricted"}, confidence ${d.confidence.toFixed(2)}`,
  ];
  if (!d.manufacturer)
    out.push(
      "  manufacturer: unknown (no evidence reached the 0.50 threshold" +
        (d.conflicts.some((c) => c.field === "manufacturer") ? "; see the weaker candidates below)" : ")"),
    );
  for (const f of CLAIM_FIELDS) {
    const ev = d.evidence.filter((e) => e.field === f);
    if (!ev.length) continue;
    const value = f === "deviceType" ? d.deviceType : (d[f] ?? ev[0]?.value ?? "");
    out.push(`  ${f}: ${forTerminal(String(value), 80)}`);
    for (const e of ev) out.push(line(e));
  }
  if (d.brand && d.manufacturer) {
    const via = d.evidence.find((e) => e.rule.startsWith("vocabulary:"));
    out.push(
      via
        ? `  label and maker: ${forTerminal(via.excerpt, 120)}`
        : `  label and maker: the label ${forTerminal(d.brand)} is shown; firmware evidence names ${d.manufacturer} as the maker`,
    );
  }
  const restrictions = d.evidence.filter((e) => e.field === "restricted");
  if (restrictions.length) {
    out.push("  restricted by:");
    for (const e of restrictions) {
      const p = policies.get(e.value);
      out.push(
        `      ${e.value}${p ? `: ${p.title} (${p.issuer}, ${p.instrument})` : ""}; ${forTerminal(e.excerpt, 80)}`,
      );
    }
  } else if (d.manufacturer) out.push(`  restricted by: none (no policy covers ${d.manufacturer})`);
  for (const x of d.suspected ?? []) {
    out.push(
      `  to check: ${x.manufacturer} at ${x.confidence.toFixed(2)}, below the 0.50 verdict threshold; if confirmed: ${x.policies.join(", ")}`,
    );
    for (const e of x.evidence) out.push(line(e));
  }
  // A suspected maker was shown above with its evidence; the other losing values follow.
  const suspected = new Set((d.suspected ?? []).map((x) => x.manufacturer));
  const conflicts = d.conflicts.filter(
    (c) => !(c.field === "manufacturer" && suspected.has(c.value.toLowerCase())),
  );
  if (conflicts.length) {
    out.push("  evidence for other values (not taken):");
    for (const c of conflicts) {
      out.push(`    ${c.field} ${forTerminal(c.value, 60)} at ${c.confidence.toFixed(2)}`);
      for (const e of c.evidence) out.push(line(e));
    }
  }
  if (d.notes.length) {
    out.push("  not read:");
    for (const n of d.notes) out.push(`    - ${forTerminal(n, 200)}`);
  }
  return out.join("\n");
}
