import { openInventory } from "../../inventory/index.js";
import { formatPlan, loadCostModel, planForInventory } from "../../plan/index.js";
import { todayUtc } from "../../shared/dates.js";
import { UsageError } from "../../shared/errors.js";
import { resolveDataDir } from "../../shared/paths.js";
import { auditContext, type AuditFlags } from "../audit-flags.js";
import { organizationFlag } from "../org-flag.js";
import { out } from "../output.js";

/**
 * `camsweep plan --phases N --budget B --start DATE`: the phased, costed replacement plan of the devices the latest
 * verdicts say must go (src/plan is the planner; this reads the inventory and, with --save, keeps the plan for the
 * reports' plan-vs-actual and burn-down).
 */
export async function planCommand(
  flags: AuditFlags & {
    phases?: string;
    budget?: string;
    start?: string;
    phaseDays?: string;
    org?: string;
    costModel?: string;
    advisory?: boolean;
    save?: boolean;
    json?: boolean;
    dataDir?: string;
  },
): Promise<number> {
  const number = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v.replace(/[_,]/g, ""));
    if (!Number.isFinite(n)) throw new UsageError(`${flag} ${v}: not a number`);
    return n;
  };
  const cost = await loadCostModel(flags.costModel);
  const inv = await openInventory(resolveDataDir(flags.dataDir), {
    readOnly: !flags.save,
    audit: auditContext(flags),
  });
  try {
    const org = await organizationFlag(inv.store, flags.org);
    const { plan, devices } = await planForInventory(
      inv,
      {
        organizationId: org,
        advisory: !!flags.advisory,
        phases: number("--phases", flags.phases) ?? 3,
        start: flags.start ?? todayUtc(),
        budget: number("--budget", flags.budget) ?? null,
        ...(flags.phaseDays !== undefined ? { phaseDays: number("--phase-days", flags.phaseDays)! } : {}),
      },
      cost,
    );
    const saved = flags.save ? await inv.workflow.savePlan(org, plan) : null;
    if (flags.json) out(JSON.stringify({ ...(saved ? { id: saved } : {}), plan }));
    else {
      out(
        devices.length
          ? formatPlan(plan, devices)
          : "No device to replace: no current verdict says one must go.",
      );
      out(
        saved
          ? `\nplan ${saved} saved; camsweep report compares it with what is done`
          : "\n(not saved: --save keeps it for the reports)",
      );
    }
    return 0;
  } finally {
    await inv.close();
  }
}
