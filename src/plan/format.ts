/**
 * A replacement plan as terminal text. Model and site names come from devices and users: they go through
 * forTerminal, so a hostile name shows its control characters instead of running them.
 */
import { forTerminal } from "../report/escape.js";
import { columns } from "../shared/columns.js";
import type { Plan, PlanDevice } from "./model.js";
import { readPlanWarnings } from "./warnings.js";

/** 12400 -> "12,400 CAD"; cents only when there are some (12,400.50 CAD). */
export function formatMoney(amount: number, currency: string): string {
  const [whole = "0", frac = "00"] = Math.abs(amount).toFixed(2).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${amount < 0 ? "-" : ""}${grouped}${frac === "00" ? "" : `.${frac}`} ${currency}`;
}

/** Money cells right-aligned within their column. */
function alignRight(cells: string[]): string[] {
  const width = Math.max(0, ...cells.map((c) => c.length));
  return cells.map((c) => c.padStart(width));
}

/** "5 (4 camera, 1 nvr)": how many devices of each type, in a fixed order. */
function countByType(ids: readonly string[], byId: ReadonlyMap<string, PlanDevice>): string {
  const counts = new Map<string, number>();
  for (const id of ids) {
    const type = byId.get(id)?.deviceType ?? "unknown";
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  const parts = [...counts]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([t, n]) => `${n} ${forTerminal(t, 12)}`);
  return `${ids.length} (${parts.join(", ")})`;
}

function deviceLabel(id: string, byId: ReadonlyMap<string, PlanDevice>): string {
  const d = byId.get(id);
  const model = d?.model ? ` ${forTerminal(d.model, 40)}` : "";
  return `${forTerminal(id, 40)}${model}`;
}

export function formatPlan(plan: Plan, devices: PlanDevice[]): string {
  const byId = new Map(devices.map((d) => [d.id, d]));
  const money = (n: number) => formatMoney(n, plan.currency);
  const { phases, phaseDays, start, budget } = plan.options;
  const funded = plan.phases.reduce((s, p) => s + p.deviceCount, 0);
  const out = [
    `Replacement plan: ${phases} phase${phases === 1 ? "" : "s"} of ${phaseDays} days from ${start}, ` +
      (budget === null
        ? "no budget limit"
        : `budget ${money(budget)} in all (${money(plan.phases[0]?.budget ?? 0)} a phase)`),
    `Prices: ${forTerminal(plan.costModel.file, 200)} (sha256 ${plan.costModel.sha256.slice(0, 12)})`,
    `${plan.costs.length} devices; ${funded} planned for ${money(plan.totalCost)}; ${plan.unfunded.length} unfunded`,
  ];

  for (const p of plan.phases) {
    out.push(
      "",
      `Phase ${p.number}: ${p.start} to ${p.end}  budget ${p.budget === null ? "no limit" : money(p.budget)}  ` +
        `cost ${money(p.cost)}  ${p.deviceCount} device${p.deviceCount === 1 ? "" : "s"}`,
    );
    if (p.visits.length === 0) {
      out.push("  nothing planned");
      continue;
    }
    const travel = alignRight(p.visits.map((v) => money(v.travel)));
    const totals = alignRight(p.visits.map((v) => money(v.total)));
    const table = columns(
      ["site", "criticality", "devices", "travel", "total"],
      p.visits.map((v, i) => [
        forTerminal(v.siteName, 40),
        v.criticality,
        countByType(v.deviceIds, byId),
        travel[i] ?? "",
        totals[i] ?? "",
      ]),
    );
    out.push(...table.split("\n").map((l) => `  ${l}`));
    for (const l of p.late) out.push(`  late: ${deviceLabel(l.deviceId, byId)} due ${l.deadline}`);
  }

  if (plan.unfunded.length > 0) {
    const sum = plan.unfunded.reduce((s, u) => s + Math.round(u.cost * 100), 0) / 100;
    out.push(
      "",
      `Unfunded: ${plan.unfunded.length} device${plan.unfunded.length === 1 ? "" : "s"}, ${money(sum)}`,
    );
    const costs = alignRight(plan.unfunded.map((u) => money(u.cost)));
    const table = columns(
      ["device", "site", "cost", "due"],
      plan.unfunded.map((u, i) => [
        deviceLabel(u.deviceId, byId),
        forTerminal(byId.get(u.deviceId)?.siteName, 40),
        costs[i] ?? "",
        u.deadline ?? "",
      ]),
    );
    out.push(...table.split("\n").map((l) => `  ${l}`));
  }

  const warnings = readPlanWarnings(plan.warnings);
  if (warnings.length > 0)
    out.push("", "Warnings:", ...warnings.map((w) => `  - ${forTerminal(w.text, 1000)}`));
  return out.join("\n") + "\n";
}
