import { openInventory } from "../../inventory/index.js";
import { presentRecord } from "../../report/index.js";
import { resolveDataDir } from "../../shared/paths.js";
import { checkShowFlags, showDevices, type ShowFlags } from "../show.js";

export async function devicesCommand(
  flags: ShowFlags & { restricted?: boolean; manufacturer?: string; dataDir?: string },
): Promise<number> {
  checkShowFlags(flags);
  const inv = await openInventory(resolveDataDir(flags.dataDir));
  try {
    const records = await inv.store.listDevices({
      restricted: flags.restricted ? true : undefined,
      manufacturer: flags.manufacturer,
    });
    showDevices(records.map(presentRecord), flags, "no devices in the inventory", false);
    return 0;
  } finally {
    await inv.close();
  }
}
