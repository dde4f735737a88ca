import { auditHead } from "../../inventory/audit.js";
import type { OpenInventory, SiteCompliance, SiteClearance } from "../../inventory/index.js";
import { clearanceOf } from "../../inventory/clearance.js";
import { removalDays, removalsByDay, reportDevices } from "../../inventory/report-data.js";
import type { Plan } from "../../plan/model.js";
import { complianceTotals, type ComplianceTotals } from "../compliance.js";
import type { OrganizationReport, ReportModel, StatusCounts } from "./model.js";

/**
 * Gathers a report's model from the inventory once (every renderer then reads the same data): status per
 * organization and site with verified clearance, every device, the burn-down from the workflow's history, and the
 * latest saved plan compared with what was removed by each phase's end.
 */
export async function gatherReport(
  inv: OpenInventory,
  o: { organizationId: string | null; today: string; now?: Date },
): Promise<ReportModel> {
  const [summary, devices] = await Promise.all([
    gatherSummary(inv, o),
    reportDevices(inv.db, o.organizationId, o.today),
  ]);
  return { ...summary, devices };
}

/**
 * The report without its device list: counts, charts and plan, from aggregates only, so the web app's overview
 * costs the same at a hundred thousand devices as at a hundred.
 */
export async function gatherSummary(
  inv: OpenInventory,
  o: { organizationId: string | null; today: string; now?: Date },
): Promise<Omit<ReportModel, "devices">> {
  const org = o.organizationId;
  const [{ sites, manufacturers }, latest, changes, saved, head, orgs] = await Promise.all([
    inv.store.complianceCounts(org, o.today),
    inv.store.latestAssessment(),
    removalsByDay(inv.db, org),
    inv.workflow.latestPlan(org),
    auditHead(inv.db),
    inv.store.listOrganizations(),
  ]);
  // The counts hold each site's latest removal and reopened devices: only the sweeps are left to find.
  const clearance = await clearanceOf(
    inv.db,
    sites.flatMap((s) =>
      s.siteId ? [{ siteId: s.siteId, lastRemoval: s.lastRemoval, reopened: s.reopened }] : [],
    ),
  );
  const plan = saved?.plan ?? null;
  const totals = counts(complianceTotals(sites));
  const named = org !== null ? orgs.find((x) => x.id === org) : undefined;
  return {
    generatedAt: (o.now ?? new Date()).toISOString(),
    asOf: o.today,
    organization: named ? { id: named.id, name: named.name } : null,
    assessment: latest && {
      id: latest.id,
      finishedAt: latest.finishedAt,
      packs: (latest.packs as { id: string; sha256?: string }[]).map((p) => ({
        id: p.id,
        sha256: p.sha256 ?? "",
      })),
    },
    totals,
    organizations: byOrganization(sites, clearance, orgs),
    manufacturers,
    burnDown: burnDown(totals.prohibited + totals.excepted, changes, o.today, plan),
    plan,
    planVsActual: plan
      ? planVsActual(
          plan,
          await removalDays(
            inv.db,
            plan.costs.map((c) => c.deviceId),
          ),
        )
      : [],
    auditHead: head,
  };
}

function counts(t: ComplianceTotals): StatusCounts {
  return {
    devices: t.devices,
    prohibited: t.prohibited,
    excepted: t.excepted,
    advisory: t.advisory,
    allowed: t.allowed,
    unowned: t.unowned,
    removed: t.removed,
    reopened: t.reopened,
    kev: t.kev,
    notAssessed: t.unassessed,
  };
}

function byOrganization(
  sites: readonly SiteCompliance[],
  clearance: readonly SiteClearance[],
  orgs: readonly { id: string; jurisdiction: string }[],
): OrganizationReport[] {
  const clear = new Map(clearance.map((c) => [c.siteId, c]));
  const groups = new Map<string | null, SiteCompliance[]>();
  for (const s of sites) groups.set(s.organizationId, [...(groups.get(s.organizationId) ?? []), s]);
  return [...groups].map(([id, list]) => ({
    id,
    name: list[0]!.organizationName ?? "(devices on no site)",
    type: list[0]!.organizationType,
    jurisdiction: orgs.find((x) => x.id === id)?.jurisdiction ?? null,
    counts: counts(complianceTotals(list)),
    sites: list.map((s) => {
      const c = s.siteId ? clear.get(s.siteId) : undefined;
      return {
        id: s.siteId,
        name: s.siteName ?? "(no site)",
        criticality: s.criticality,
        counts: counts(complianceTotals([s])),
        verifiedClear: c?.verifiedClear ?? null,
        lastSweep: c?.lastSweep ?? null,
        lastRemoval: c?.lastRemoval ?? null,
      };
    }),
  }));
}

/**
 * Prohibited devices on the network by day: walked back from today's count through each day's removals and
 * reopenings; the saved plan's own burn-down beside it.
 */
export function burnDown(
  remaining: number,
  changes: readonly { day: string; change: number }[],
  today: string,
  plan: Plan | null,
): ReportModel["burnDown"] {
  const actual = new Map<string, number>([[today, remaining]]);
  let n = remaining;
  for (const c of [...changes].reverse()) {
    if (c.day > today) continue;
    actual.set(c.day, actual.get(c.day) ?? n);
    n -= c.change;
    // the day before the first change: where the count stood
    actual.set(dayBefore(c.day), n);
  }
  const planned = new Map((plan?.burnDown ?? []).map((p) => [p.date, p.remaining]));
  return [...new Set([...actual.keys(), ...planned.keys()])].sort().map((date) => ({
    date,
    actual: actual.get(date) ?? null,
    planned: planned.get(date) ?? null,
  }));
}

const dayBefore = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** Per phase: devices planned in it, and how many of them were removed by its last day. */
export function planVsActual(plan: Plan, removed: ReadonlyMap<string, string>): ReportModel["planVsActual"] {
  return plan.phases.map((p) => {
    const ids = p.visits.flatMap((v) => v.deviceIds);
    return {
      phase: p.number,
      end: p.end,
      planned: ids.length,
      removed: ids.filter((id) => (removed.get(id) ?? "9999") <= p.end).length,
    };
  });
}
