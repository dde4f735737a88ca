/**
 * The phased replacement plan: which restricted devices go in which phase, site by site, within a budget. Pure and
 * deterministic: the same devices (in any order), options and cost model give the same plan. Money is counted in
 * whole cents so sums never drift.
 */
import type { Criticality } from "../inventory/organizations.js";
import { isIsoDate } from "../shared/dates.js";
import { CamsweepError, UsageError } from "../shared/errors.js";
import { cents, deviceCost, type LoadedCostModel } from "./cost-model.js";
import { formatMoney } from "./format.js";
import type { DeviceCost, Plan, PlanDevice, PlannedVisit, PlanOptions, PlanPhase } from "./model.js";
import type { PlanWarning } from "./warnings.js";

export const DEFAULT_PHASE_DAYS = 90;
export const MAX_PHASES = 100;
/** Ten years a phase: longer is a typo, and keeps every date within four-digit years. */
export const MAX_PHASE_DAYS = 3660;

const CRITICALITY_ORDER: Record<Criticality, number> = { critical: 0, high: 1, normal: 2, low: 3 };

/** Code-unit order: the same everywhere, unlike localeCompare. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order devices are funded in: prohibited before advisory; then higher risk; then the more critical site; then
 * the earliest deadline (none last); then id. A total order, so the input order never matters.
 */
export function comparePriority(a: PlanDevice, b: PlanDevice): number {
  return (
    Number(a.status !== "prohibited") - Number(b.status !== "prohibited") ||
    b.risk - a.risk ||
    CRITICALITY_ORDER[a.criticality] - CRITICALITY_ORDER[b.criticality] ||
    byText(a.deadline ?? "~", b.deadline ?? "~") ||
    byText(a.id, b.id)
  );
}

/** `iso` plus `days`, as a UTC calendar day. */
function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The options with their defaults, or a UsageError naming the flag that is wrong. */
export function checkPlanOptions(opts: PlanOptions): Plan["options"] {
  const { phases, budget, start } = opts;
  const phaseDays = opts.phaseDays ?? DEFAULT_PHASE_DAYS;
  if (!Number.isInteger(phases) || phases < 1 || phases > MAX_PHASES)
    throw new UsageError(`--phases: a whole number from 1 to ${MAX_PHASES} (got ${JSON.stringify(phases)})`);
  if (budget !== null && !(Number.isFinite(budget) && budget >= 0))
    throw new UsageError(`--budget: an amount of 0 or more (got ${JSON.stringify(budget)})`);
  if (!isIsoDate(start))
    throw new UsageError(`--start: a real date written YYYY-MM-DD (got ${JSON.stringify(start)})`);
  if (!Number.isInteger(phaseDays) || phaseDays < 1 || phaseDays > MAX_PHASE_DAYS)
    throw new UsageError(
      `--phase-days: a whole number from 1 to ${MAX_PHASE_DAYS} (got ${JSON.stringify(phaseDays)})`,
    );
  if (
    new Date(Date.parse(`${start}T00:00:00Z`) + (phases * phaseDays - 1) * 86_400_000).getUTCFullYear() > 9999
  )
    throw new UsageError(`--start: a plan starting ${start} would end after 9999-12-31`);
  return { phases, start, phaseDays, budget };
}

interface Item {
  device: PlanDevice;
  cost: DeviceCost;
  /** hardware + labour, in cents */
  cents: number;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
/** The word for one, or for more. */
function one(n: number, single: string, many: string): string {
  return n === 1 ? single : many;
}

/** At most five ids, then how many more. */
function someIds(items: readonly Item[]): string {
  const ids = items.slice(0, 5).map((i) => i.device.id);
  return items.length > 5 ? `${ids.join(", ")} and ${items.length - 5} more` : ids.join(", ");
}

/**
 * The plan: devices in priority order, grouped by site so one visit (one travel charge) covers a site's devices in
 * a phase; sites in the order of their most urgent device; phases filled in order, each with an even share of the
 * budget. A site that does not fit whole is split: its most urgent devices that fit go now, the rest wait for a
 * later phase (and pay travel again). What fits no phase is unfunded.
 */
export function planRemoval(devices: PlanDevice[], opts: PlanOptions, cost: LoadedCostModel): Plan {
  const options = checkPlanOptions(opts);
  const currency = cost.model.currency;
  const money = (c: number) => formatMoney(c / 100, currency);

  const items: Item[] = [...devices].sort(comparePriority).map((device) => {
    const c = deviceCost(device, cost.model);
    return { device, cost: c, cents: cents(c.total) };
  });
  const seen = new Set<string>();
  for (const { device } of items) {
    if (seen.has(device.id))
      throw new CamsweepError(`device ${device.id} is listed twice in the plan's input`);
    seen.add(device.id);
  }

  // Sites keyed by organization too: two organizations may name a site alike. Insertion order is priority order.
  const bySite = new Map<string, Item[]>();
  for (const it of items) {
    const key = `${it.device.organizationId}\u0000${it.device.siteId}`;
    const site = bySite.get(key);
    if (site) site.push(it);
    else bySite.set(key, [it]);
  }
  let queue = [...bySite.values()];

  const travel = cents(cost.model.travel.perVisit.amount);
  const phaseBudget = options.budget === null ? null : Math.floor(cents(options.budget) / options.phases);
  const funded = new Set<string>();
  const phases: PlanPhase[] = [];
  for (let k = 1; k <= options.phases; k++) {
    let left = phaseBudget ?? Number.POSITIVE_INFINITY;
    const visits: PlannedVisit[] = [];
    queue = queue.map((site) => {
      const taken: Item[] = [];
      const kept: Item[] = [];
      for (const it of site) {
        const need = it.cents + (taken.length ? 0 : travel);
        if (need <= left) {
          taken.push(it);
          left -= need;
        } else kept.push(it);
      }
      const first = taken[0];
      if (first) {
        const sum = taken.reduce((s, it) => s + it.cents, 0);
        for (const it of taken) funded.add(it.device.id);
        visits.push({
          siteId: first.device.siteId,
          siteName: first.device.siteName,
          organizationId: first.device.organizationId,
          criticality: first.device.criticality,
          deviceIds: taken.map((it) => it.device.id),
          travel: travel / 100,
          devices: sum / 100,
          total: (sum + travel) / 100,
        });
      }
      return kept;
    });
    // A split site waits its turn by its most urgent device left.
    queue = queue
      .filter((s) => s.length > 0)
      .sort((a, b) => comparePriority((a[0] as Item).device, (b[0] as Item).device));

    const end = addDays(options.start, k * options.phaseDays - 1);
    const inPhase = new Set(visits.flatMap((v) => v.deviceIds));
    phases.push({
      number: k,
      start: addDays(options.start, (k - 1) * options.phaseDays),
      end,
      budget: phaseBudget === null ? null : phaseBudget / 100,
      visits,
      deviceCount: inPhase.size,
      cost: visits.reduce((s, v) => s + cents(v.total), 0) / 100,
      late: items
        .filter((it) => inPhase.has(it.device.id) && !!it.device.deadline && it.device.deadline < end)
        .map((it) => ({ deviceId: it.device.id, deadline: it.device.deadline as string })),
    });
  }

  const left = items.filter((it) => !funded.has(it.device.id));
  const warnings: PlanWarning[] = [];
  if (left.length > 0 && options.budget !== null && phaseBudget !== null) {
    const needAll = items.reduce((s, it) => s + it.cents, 0) + travel * bySite.size;
    const budget = cents(options.budget);
    warnings.push(
      needAll > budget
        ? {
            code: "budget-short",
            params: {
              budget: budget / 100,
              funded: funded.size,
              devices: items.length,
              needed: needAll / 100,
              more: (needAll - budget) / 100,
            },
            text:
              `The budget of ${money(budget)} funds ${funded.size} of ${plural(items.length, "device")}; ` +
              `replacing all of them needs at least ${money(needAll)} (one visit per site), ${money(needAll - budget)} more.`,
          }
        : {
            code: "phase-budget",
            params: {
              budget: budget / 100,
              devices: items.length,
              needed: needAll / 100,
              phaseBudget: phaseBudget / 100,
              unfunded: left.length,
            },
            text:
              `The budget of ${money(budget)} would cover ${plural(items.length, "device")} (${money(needAll)} with one ` +
              `visit per site), but not within each phase's ${money(phaseBudget)}: ` +
              `${plural(left.length, "device")} ${one(left.length, "stays", "stay")} unfunded.`,
          },
    );
    const tooDear = left.filter((it) => it.cents + travel > phaseBudget);
    const n = tooDear.length;
    if (n > 0)
      warnings.push({
        code: "too-dear",
        params: {
          devices: n,
          phaseBudget: phaseBudget / 100,
          ids: tooDear.slice(0, 5).map((i) => i.device.id),
          moreIds: Math.max(0, n - 5),
        },
        text:
          `${plural(n, "device")} ${one(n, "costs", "cost")} more than a phase's budget of ${money(phaseBudget)} ` +
          `on ${one(n, "its", "their")} own (with travel), so no phase can fund ${one(n, "it", "them")}: ` +
          `${someIds(tooDear)}.`,
      });
  }
  for (const p of phases) {
    const first = p.late.map((l) => l.deadline).sort()[0];
    if (first)
      warnings.push({
        code: "late-in-phase",
        params: { phase: p.number, start: p.start, end: p.end, devices: p.late.length, earliest: first },
        text:
          `Phase ${p.number} (${p.start} to ${p.end}): ${plural(p.late.length, "device")} due before it ends, ` +
          `the earliest on ${first}.`,
      });
  }
  const dates = left.flatMap((it) => (it.device.deadline ? [it.device.deadline] : [])).sort();
  const earliest = dates[0];
  if (earliest !== undefined) {
    const planEnd = phases[phases.length - 1]?.end ?? options.start;
    const soon = dates.filter((d) => d <= planEnd).length;
    const n = dates.length;
    warnings.push({
      code: "unfunded-deadlines",
      params: { devices: n, earliest, dueBeforeEnd: soon, planEnd },
      text:
        `${plural(n, "unfunded device")} ${one(n, "has a policy deadline", "have policy deadlines")}, ` +
        `${one(n, "", "the earliest ")}${earliest}` +
        (soon > 0
          ? `; ${one(n, "it", `${soon} of them`)} ${one(soon, "falls", "fall")} due before the plan ends on ${planEnd}`
          : "") +
        `: fund ${one(n, "it", "them")} or the deadline${one(n, "", "s")} will be missed.`,
    });
  }

  const burnDown = [{ date: options.start, remaining: items.length }];
  for (const p of phases)
    burnDown.push({
      date: p.end,
      remaining: (burnDown[burnDown.length - 1]?.remaining ?? 0) - p.deviceCount,
    });
  return {
    options,
    currency,
    costModel: { file: cost.file, sha256: cost.sha256 },
    phases,
    costs: items.map((it) => it.cost),
    unfunded: left.map((it) => ({
      deviceId: it.device.id,
      cost: it.cents / 100,
      deadline: it.device.deadline ?? null,
    })),
    totalCost: phases.reduce((s, p) => s + cents(p.cost), 0) / 100,
    burnDown,
    warnings,
  };
}
