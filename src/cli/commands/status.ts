import { openInventory } from "../../inventory/index.js";
import {
  complianceExit,
  complianceTotals,
  formatAttention,
  formatCompliance,
} from "../../report/compliance.js";
import { dayFlag } from "../../shared/dates.js";
import { resolveDataDir } from "../../shared/paths.js";
import { organizationFlag } from "../org-flag.js";
import { out } from "../output.js";

/**
 * `camsweep status`: compliance per organization and site from the stored verdicts. Exit 3 while prohibited devices
 * remain, 4 when none do but some devices are not (or no longer) assessed, 0 otherwise: for scripts.
 */
export async function statusCommand(flags: {
  org?: string;
  devices?: boolean;
  limit?: number;
  json?: boolean;
  asOf?: string;
  dataDir?: string;
}): Promise<number> {
  const today = dayFlag(flags.asOf); // the day exceptions are judged current on
  const inv = await openInventory(resolveDataDir(flags.dataDir), { readOnly: true });
  try {
    const org = await organizationFlag(inv.store, flags.org);
    const [sites, latest] = await Promise.all([
      inv.store.complianceBySite(org, today),
      inv.store.latestAssessment(),
    ]);
    const attention = flags.devices ? await inv.store.devicesNeedingAttention(org, flags.limit ?? 50) : [];
    const totals = complianceTotals(sites);
    if (flags.json)
      out(
        JSON.stringify({
          assessment: latest,
          totals,
          sites,
          ...(flags.devices ? { devices: attention } : {}),
        }),
      );
    else {
      out(formatCompliance(sites, latest));
      if (flags.devices)
        out(attention.length ? `\n${formatAttention(attention)}` : "\nno assessed device needs attention");
    }
    return complianceExit(totals);
  } finally {
    await inv.close();
  }
}
