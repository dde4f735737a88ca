import { readLines } from "../../imports/formats/read-lines.js";
import { openInventory } from "../../inventory/index.js";
import { InputError, UsageError } from "../../shared/errors.js";
import { resolveDataDir } from "../../shared/paths.js";
import { auditContext, type AuditFlags } from "../audit-flags.js";
import { out } from "../output.js";

/** At most this many names from one --from file: one statement is one transaction. */
const MAX_NAMES = 100_000;

/**
 * `camsweep device exposure`: state whether devices are reachable from the internet (a risk factor), named on the
 * command line or listed in a file (one device id or address per line, `#` comments: a perimeter scan's list, a
 * firewall's NAT table cut down to the inside addresses).
 */
export async function exposureCommand(
  names: string[],
  flags: {
    from?: string;
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
  const lineOf = new Map<string, number>();
  if (flags.from)
    for (const [name, n] of await namesIn(flags.from)) if (!lineOf.has(name)) lineOf.set(name, n);
  const all = [...names, ...lineOf.keys()];
  if (!all.length) throw new UsageError("name the devices (ids or addresses) or give --from FILE");
  const inv = await openInventory(resolveDataDir(flags.dataDir), { audit: auditContext(flags) });
  try {
    const ids = await inv.store
      .setExposure(all, {
        internet,
        source: flags.source ?? "cleared",
        ...(flags.site ? { site: flags.site } : {}),
      })
      .catch((e: Error) => {
        // An unknown name from the file is that file's bad line.
        const name = /^"(.*)": no device/.exec(e.message)?.[1];
        const n = name === undefined ? undefined : lineOf.get(name);
        throw n === undefined || !flags.from ? e : new InputError(e.message, flags.from, n);
      });
    const what =
      internet === null ? "unknown" : internet ? "exposed to the internet" : "not exposed to the internet";
    out(`${ids.length} device(s) marked ${what}; camsweep assess takes it into account`);
    return 0;
  } finally {
    await inv.close();
  }
}

async function namesIn(file: string): Promise<[string, number][]> {
  const out: [string, number][] = [];
  for await (const l of readLines(file)) {
    const text = l.text.replace(/#.*/, "").trim();
    if (!text) continue;
    if (l.tooLong || /\s/.test(text) || text.length > 200)
      throw new InputError("one device id or address per line", file, l.n);
    if (out.length >= MAX_NAMES)
      throw new InputError(`more than ${MAX_NAMES} devices in one statement`, file, l.n);
    out.push([text, l.n]);
  }
  return out;
}
