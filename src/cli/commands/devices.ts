import { openInventory } from "../../inventory/index.js";
import { formatJsonLines, presentRecord } from "../../report/index.js";
import { resolveDataDir } from "../../shared/paths.js";
import { out } from "../output.js";
import { checkShowFlags, showDevices, type ShowFlags } from "../show.js";

export async function devicesCommand(
  flags: ShowFlags & {
    restricted?: boolean;
    manufacturer?: string;
    site?: string;
    org?: string;
    dataDir?: string;
  },
): Promise<number> {
  checkShowFlags(flags);
  const inv = await openInventory(resolveDataDir(flags.dataDir));
  try {
    const filter = {
      restricted: flags.restricted ? true : undefined,
      manufacturer: flags.manufacturer,
      site: flags.site,
      organization: flags.org,
    };
    if (flags.json && !flags.explain) {
      // JSON Lines go out a page at a time, each device with where it was seen and its kept conflicts: a million
      // devices list in bounded memory.
      await inv.store.eachDevicePage(filter, (page) => {
        const views = page.map((d) =>
          presentRecord(d.record, { sources: d.sources, identityConflicts: d.conflicts }),
        );
        out(formatJsonLines(views)); // synchronous: a slow reader slows the listing instead of filling memory
      });
      return 0;
    }
    const records = await inv.store.listDevices(filter);
    showDevices(
      records.map((r) => presentRecord(r)),
      flags,
      "no devices in the inventory",
      false,
    );
    return 0;
  } finally {
    await inv.close();
  }
}
