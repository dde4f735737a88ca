import { openInventory } from "../../inventory/index.js";
import { formatDevices, presentRecord } from "../../report/index.js";
import { resolveDataDir } from "../../shared/paths.js";
import { out, outputFormat, type FormatFlags } from "../output.js";

export async function devicesCommand(
  flags: FormatFlags & { restricted?: boolean; manufacturer?: string; dataDir?: string },
): Promise<number> {
  const format = outputFormat(flags);
  const inv = await openInventory(resolveDataDir(flags.dataDir));
  try {
    const records = await inv.store.listDevices({
      restricted: flags.restricted ? true : undefined,
      manufacturer: flags.manufacturer,
    });
    const views = records.map(presentRecord);
    if (format === "table") out(views.length ? formatDevices(views, "table") : "no devices in the inventory");
    else if (views.length) out(formatDevices(views, format));
    return 0;
  } finally {
    await inv.close();
  }
}
