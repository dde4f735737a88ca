import { openInventory } from "../../inventory/index.js";
import { presentRecord } from "../../report/index.js";
import { resolveDataDir } from "../../shared/paths.js";
import { err, outClosed } from "../output.js";
import { checkShowFlags, deviceOutput, type ShowFlags } from "../show.js";

export interface DevicesFlags extends ShowFlags {
  restricted?: boolean;
  manufacturer?: string;
  site?: string;
  org?: string;
  limit?: number;
  after?: string;
  dataDir?: string;
}

/**
 * `camsweep devices`: the inventory's devices, read a page at a time in every format, so a million list in bounded
 * memory; --limit and --after page through them (the next page's command is printed on stderr).
 */
export async function devicesCommand(flags: DevicesFlags): Promise<number> {
  checkShowFlags(flags);
  const inv = await openInventory(resolveDataDir(flags.dataDir), { readOnly: true });
  try {
    const filter = {
      restricted: flags.restricted ? true : undefined,
      manufacturer: flags.manufacturer,
      site: flags.site,
      organization: flags.org,
    };
    const show = deviceOutput(flags, "no devices in the inventory", false);
    // Only JSON Lines carry where each device was seen and its kept conflicts: the other forms skip the lookups.
    const details = Boolean(flags.json && !flags.explain);
    const next = await inv.store.eachDevicePage(
      filter,
      (page) => {
        show.write(
          page.map((d) =>
            details
              ? presentRecord(d.record, { sources: d.sources, identityConflicts: d.conflicts })
              : presentRecord(d.record),
          ),
        );
        return !outClosed(); // synchronous writes: a slow reader slows the listing instead of filling memory
      },
      {
        details,
        // The query stops at the limit, so the default fetch size serves any page.
        ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
        ...(flags.after ? { after: flags.after } : {}),
      },
    );
    show.end();
    if (next) err(`more devices: the next page starts with --after ${next}`);
    return 0;
  } finally {
    await inv.close();
  }
}
