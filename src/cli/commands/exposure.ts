import { openInventory } from "../../inventory/index.js";
import { UsageError } from "../../shared/errors.js";
import { resolveDataDir } from "../../shared/paths.js";
import { auditContext, type AuditFlags } from "../audit-flags.js";
import { out } from "../output.js";

/** `camsweep device exposure`: state whether devices are reachable from the internet (a risk factor). */
export async function exposureCommand(
  names: string[],
  flags: {
    internet?: boolean;
    notInternet?: boolean;
    unknown?: boolean;
    source?: string;
    site?: string;
    dataDir?: string;
  } & AuditFlags,
): Promise<number> {
  const chosen = [flags.internet, flags.notInternet, flags.unknown].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError("say one of --internet, --not-internet or --unknown");
  if (!flags.unknown && !flags.source)
    throw new UsageError("--source: say who or what established it (a perimeter scan, a firewall review)");
  const internet = flags.internet ? true : flags.notInternet ? false : null;
  const inv = await openInventory(resolveDataDir(flags.dataDir), { audit: auditContext(flags) });
  try {
    const ids = await inv.store.setExposure(names, {
      internet,
      source: flags.source ?? "cleared",
      ...(flags.site ? { site: flags.site } : {}),
    });
    const what =
      internet === null ? "unknown" : internet ? "exposed to the internet" : "not exposed to the internet";
    out(`${ids.length} device(s) marked ${what}; camsweep assess takes it into account`);
    return 0;
  } finally {
    await inv.close();
  }
}
