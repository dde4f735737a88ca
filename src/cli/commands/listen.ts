import { identify, loadKnowledge } from "../../identify/index.js";
import type { Identification } from "../../identify/identification.js";
import { openInventory, type OpenInventory } from "../../inventory/index.js";
import type { Observation } from "../../observations/observation.js";
import type { DiscoveryProtocol } from "../../probes/discovery/protocol.js";
import { listen, resolveInterface } from "../../probes/local/index.js";
import { forTerminal, presentIdentification, type DeviceView } from "../../report/index.js";
import { CamsweepError, UsageError } from "../../shared/errors.js";
import { resolveDataDir } from "../../shared/paths.js";
import { auditContext, type AuditFlags } from "../audit-flags.js";
import { err, interruptSignal, list, out, outputFormat, type FormatFlags } from "../output.js";
import { checkShowFlags, showDevices } from "../show.js";

export interface ListenFlags extends FormatFlags, AuditFlags {
  interface: string;
  duration: string;
  protocols?: string[];
  store: boolean;
  dataDir?: string;
  summary?: boolean;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** A week: far below setTimeout's limit (about 24.8 days), far above any audit's listen. */
const MAX_DURATION_MS = 7 * 24 * 3_600_000;

/** "10m", "30s", "1h", "1.5h", "500ms" or plain seconds ("90") -> milliseconds; anything else names the flag. */
export function parseDuration(flag: string, value: string): number {
  const m = /^(\d{1,9}(?:\.\d{1,3})?)(ms|s|m|h)?$/.exec(value.trim());
  const ms = m ? Math.round(Number(m[1]) * (UNITS[m[2] ?? "s"] ?? 1000)) : NaN;
  if (!(ms > 0 && ms <= MAX_DURATION_MS))
    throw new UsageError(
      `${flag} must be a time such as 30s, 10m, 1h or a number of seconds, more than 0 and at most 7 days (got "${value}")`,
    );
  return ms;
}

/** --protocols ids -> the discovery table's entries, in table order; an unknown id names the flag and the choices. */
export function selectProtocols(
  values: string[] | undefined,
  table: readonly DiscoveryProtocol[],
): DiscoveryProtocol[] {
  const ids = list(values);
  if (!ids.length) return [...table];
  const known = table.map((p) => p.id as string);
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length)
    throw new UsageError(`--protocols: unknown ${unknown.join(", ")}; choose from ${known.join(", ")}`);
  return table.filter((p) => ids.includes(p.id));
}

/**
 * `camsweep listen`: what devices on one interface announce by themselves, sending nothing. Each source address is
 * identified like a scanned host and, unless --no-store, recorded in the inventory. Ctrl-C ends the listen early
 * and keeps what was heard (it is the ordinary way to stop one, so the exit code stays 0).
 */
export async function listenCommand(flags: ListenFlags): Promise<number> {
  checkShowFlags(flags);
  const durationMs = parseDuration("--duration", flags.duration);
  const { DISCOVERY } = await import("../../probes/discovery/table.js");
  const protocols = selectProtocols(flags.protocols, DISCOVERY);
  const iface = resolveInterface(flags.interface); // a wrong name is refused before the inventory opens
  // Opened before listening: PGlite's start holds the event loop for seconds.
  const inv = flags.store
    ? await openInventory(resolveDataDir(flags.dataDir), { audit: auditContext(flags) })
    : undefined;
  const interrupt = interruptSignal();
  try {
    const heard = new Map<string, Map<string, number>>();
    const result = await listen({
      interface: iface.name,
      durationMs,
      protocols,
      signal: interrupt.signal,
      onListening: (on, failed) => {
        for (const f of failed)
          err(`camsweep: cannot listen for ${f.protocol} (${f.family}, port ${f.port}): ${f.error}`);
        if (on.length)
          err(
            `camsweep: listening on ${iface.name} for ${flags.duration}: ` +
              on.map((l) => `${l.protocol} ${l.group ?? "*"}:${l.port}`).join(", ") +
              "; nothing is sent (joining the groups makes the kernel send IGMP/MLD membership reports)",
          );
      },
      onObservation: (o, protocol) => {
        const address = o.target ?? "";
        const counts = heard.get(address) ?? new Map<string, number>();
        if (!heard.has(address)) err(`camsweep: heard ${forTerminal(address)} (${protocol})`);
        counts.set(protocol, (counts.get(protocol) ?? 0) + 1);
        heard.set(address, counts);
      },
    });
    if (!result.listening.length)
      throw new CamsweepError(
        `could not listen on ${iface.name} for any protocol: ` +
          [...result.failed.map((f) => `${f.protocol}: ${f.error}`), ...result.skipped].join("; "),
      );
    for (const s of result.skipped) err(`camsweep: ${s}`);
    const found = identified(result.observations);
    if (inv) await record(inv, flags, iface.name, durationMs, found);
    show(found, heard, flags);
    const extra = [
      result.dropped ? `${result.dropped} dropped over the caps` : "",
      result.ignored ? `${result.ignored} not understood` : "",
      result.repeats ? `${result.repeats} repeats` : "",
    ].filter(Boolean);
    err(
      `camsweep: ${result.interrupted ? "stopped early; " : ""}kept ${result.observations.length} datagrams ` +
        `from ${heard.size} addresses${extra.length ? ` (${extra.join(", ")})` : ""}`,
    );
    return 0;
  } finally {
    interrupt.dispose();
    await inv?.close();
  }
}

type Identified = { view: DeviceView; identification: Identification; observations: Observation[] };

function identified(observations: Observation[]): Identified[] {
  const bySource = new Map<string, Observation[]>();
  for (const o of observations) bySource.set(o.target ?? "", [...(bySource.get(o.target ?? "") ?? []), o]);
  const kb = loadKnowledge();
  return [...bySource.values()].map((observations) => {
    const identification = identify(observations, kb);
    return { view: presentIdentification(identification, { openPorts: [] }), identification, observations };
  });
}

/** One inventory record per source address, under one run recorded with what it listened to. */
async function record(
  inv: OpenInventory,
  flags: ListenFlags,
  iface: string,
  durationMs: number,
  found: Identified[],
): Promise<void> {
  // Its own kind: only "scan" records are offered to `scan --resume`, which cannot resume a listen.
  const id = await inv.store.beginScan("listen", {
    interface: iface,
    durationMs,
    protocols: list(flags.protocols),
  });
  for (const f of found)
    await inv.store.recordHost(id, {
      address: f.view.address,
      openPorts: [],
      observations: f.observations,
      identification: f.identification,
    });
  await inv.store.finishScan(id, "done", found.length);
}

function show(found: Identified[], heard: Map<string, Map<string, number>>, flags: ListenFlags): void {
  const format = outputFormat(flags);
  const views = found.map((f) => f.view);
  const counts = (v: DeviceView) => Object.fromEntries(heard.get(v.address ?? "") ?? []);
  if (format === "json") {
    // The device line of `scan --json`, with what was heard from it.
    if (views.length) out(views.map((v) => JSON.stringify({ ...v, heard: counts(v) })).join("\n"));
    return;
  }
  if (format === "table" && views.length) {
    out("HEARD");
    for (const f of found) {
      const what = Object.entries(counts(f.view)).map(([p, n]) => `${p}×${n}`);
      // Node cannot tell the arrival interface: a source off the interface's subnets is said so (docs/local-discovery.md).
      const off = f.observations.some((o) => o.request?.["onLink"] === false)
        ? "  (not on the interface's subnets)"
        : "";
      out(`  ${forTerminal(f.view.address).padEnd(40)}  ${what.join(" ")}${off}`);
    }
    out("");
  }
  showDevices(views, flags, "nothing heard");
}
