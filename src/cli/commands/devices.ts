import { openInventory } from "../../inventory/index.js";
import { presentRecord } from "../../report/index.js";
import { resolveDataDir } from "../../shared/paths.js";
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
    const records = await inv.store.listDevices({
      restricted: flags.restricted ? true : undefined,
      manufacturer: flags.manufacturer,
      site: flags.site,
      organization: flags.org,
    });
    // JSON carries where each device was seen (scans, imports, listens); the table stays one line per device.
    const ids = records.map((r) => r.id);
    const sources = flags.json ? await inv.store.sourcesOf(ids) : undefined;
    const conflicts = flags.json ? await inv.store.conflictsOf(ids) : undefined;
    showDevices(
      records.map((r) =>
        presentRecord(
          r,
          sources ? { sources: sources.get(r.id) ?? [], identityConflicts: conflicts?.get(r.id) ?? [] } : {},
        ),
      ),
      flags,
      "no devices in the inventory",
      false,
    );
    return 0;
  } finally {
    await inv.close();
  }
}
