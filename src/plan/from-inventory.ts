import type { OpenInventory } from "../inventory/index.js";
import type { PlanDevice, Plan, PlanOptions } from "./model.js";
import { planRemoval } from "./plan.js";
import { sitelessWarning } from "./warnings.js";

/**
 * A replacement plan for what the inventory holds: the devices a verdict says must go (with `advisory`, those it
 * advises against too), priced by the cost model. The CLI's `camsweep plan` and the API's /plan both call this.
 */
export async function planForInventory(
  inv: OpenInventory,
  o: PlanOptions & { organizationId: string | null; advisory: boolean },
  cost: Parameters<typeof planRemoval>[2],
): Promise<{ plan: Plan; devices: PlanDevice[] }> {
  const { devices, siteless } = await inv.workflow.planCandidates({
    organizationId: o.organizationId,
    advisory: o.advisory,
  });
  const plan = planRemoval(
    devices,
    {
      phases: o.phases,
      start: o.start,
      budget: o.budget,
      ...(o.phaseDays !== undefined ? { phaseDays: o.phaseDays } : {}),
    },
    cost,
  );
  if (siteless) plan.warnings.push(sitelessWarning(siteless));
  return { plan, devices };
}
