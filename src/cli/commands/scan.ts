import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { SingleBar } from "cli-progress";
import { loadCredentials } from "../../credentials/index.js";
import { openInventory, type OpenInventory, type Reopened } from "../../inventory/index.js";
import { forTerminal } from "../../report/escape.js";
import { presentIdentification } from "../../report/index.js";
import { type ScannedHost, timing as timingProfile } from "../../scan/index.js";
import { runRecordedScan } from "../../scan/recorded.js";
import { UsageError } from "../../shared/errors.js";
import { resolveDataDir } from "../../shared/paths.js";
import { type Host, parsePorts, resolveTargets } from "../../targets/index.js";
import { auditContext, type AuditFlags } from "../audit-flags.js";
import { err, interruptSignal, out, type FormatFlags } from "../output.js";
import { checkShowFlags, showDevices } from "../show.js";
import { readNeighbourFile } from "../../probes/neighbours/index.js";
import { coverageSegments, formatCoverage } from "../../scan/coverage.js";
import { NeighbourLookup } from "../../scan/neighbours.js";
import { formatHeard, hearLocal, type LocalHeard, planLocal } from "./scan-local.js";
import { formatPlan } from "./scan-plan.js";
import { type ScanArgs, scanArgs } from "./scan-args.js";

export interface ScanFlags extends FormatFlags, AuditFlags {
  inputList?: string[];
  exclude?: string[];
  excludeFile?: string[];
  allow?: string[];
  scope?: string;
  config?: string;
  ports?: string;
  timing?: string;
  concurrency?: number;
  connectTimeout?: number;
  timeout?: number;
  maxRate?: number;
  maxRetries?: number;
  udp: boolean;
  assumeUp?: boolean;
  maxHosts: number;
  saveObservations?: string;
  dataDir?: string;
  store: boolean;
  progress?: boolean;
  summary?: boolean;
  dryRun?: boolean;
  resume?: string | boolean;
  credentials?: string;
  local?: boolean;
  interface?: string;
  neighbours?: string;
}

export async function scan(targets: string[], flags: ScanFlags): Promise<number> {
  checkShowFlags(flags);
  if (flags.resume) return resume(targets, flags);
  const { args, hosts } = await scanArgs(targets, flags);
  return run(args, flags, hosts);
}

/** Continues an interrupted scan from the inventory: the same targets, ports and timing, finished hosts skipped. */
async function resume(targets: string[], flags: ScanFlags): Promise<number> {
  if (targets.length || flags.inputList)
    throw new UsageError("--resume continues a recorded scan with its own targets; give no targets");
  if (!flags.store) throw new UsageError("--resume needs the inventory (it holds the scan's progress)");
  const inv = await openInventory(resolveDataDir(flags.dataDir), { audit: auditContext(flags) });
  let rec;
  try {
    rec = await inv.store.resumableScan(typeof flags.resume === "string" ? flags.resume : undefined);
  } catch (e) {
    await inv.close();
    throw e;
  }
  if (!rec || rec.status === "done") {
    await inv.close();
    throw new UsageError(
      typeof flags.resume === "string"
        ? `no scan ${flags.resume} to resume${rec ? " (it finished)" : ""}`
        : "no interrupted scan to resume in this inventory",
    );
  }
  err(`camsweep: resuming scan ${rec.id}`);
  return run(rec.args as unknown as ScanArgs, flags, undefined, { inv, id: rec.id });
}

async function run(
  args: ScanArgs,
  flags: ScanFlags,
  resolved?: Host[],
  resumed?: { inv: OpenInventory; id: string },
): Promise<number> {
  // Every target is resolved and checked against the scope before a single packet leaves.
  let hosts: Host[];
  try {
    hosts = resolved ?? (await resolveTargets(args.resolve));
  } catch (e) {
    await resumed?.inv.close();
    throw e;
  }
  const ports = parsePorts(args.ports);
  const t = timingProfile(args.timing.name, args.timing.overrides);
  // Read now, so a bad file is refused before any packet; never stored with the scan (a resume reads them again).
  let credentials;
  try {
    credentials = loadCredentials(flags.credentials);
  } catch (e) {
    await resumed?.inv.close();
    throw e;
  }
  if (hosts.length === 0) {
    await resumed?.inv.close();
    err("camsweep: no targets left to scan (all excluded)");
    return 2;
  }
  let imported;
  try {
    imported = args.neighbours ? [await readNeighbourFile(args.neighbours)] : [];
  } catch (e) {
    await resumed?.inv.close();
    throw e;
  }
  if (flags.dryRun) {
    await resumed?.inv.close();
    const local = args.local ? planLocal(args.local.interface) : [];
    out([formatPlan(hosts, ports, t, args.probe.udp, credentials, args.probe.assumeUp), ...local].join("\n"));
    return 0;
  }

  const saver = flags.saveObservations ? new ObservationSaver(flags.saveObservations) : null;
  const interrupt = interruptSignal();
  const bar =
    flags.progress !== false && process.stderr.isTTY
      ? new SingleBar({
          stream: process.stderr,
          format: " scanning [{bar}] {value}/{total} hosts | {devices} devices",
        })
      : null;
  const shortages = new Map<string, number>();
  const neighbours = new NeighbourLookup(undefined, undefined, undefined, imported);
  try {
    // Local discovery first: what the segment's devices say joins their hosts' observations.
    let heard: LocalHeard | undefined;
    if (args.local) {
      const wanted = new Set(hosts.map((h) => h.address));
      heard = await hearLocal(args.local.interface, (a) => wanted.has(a), t.readTimeoutMs, interrupt.signal);
      for (const line of formatHeard(heard)) err(line);
    }
    const coverage = () =>
      coverageSegments({
        targets: args.resolve.targets,
        local: heard?.subnets ?? [],
        macs: neighbours.found,
      });
    bar?.start(hosts.length, 0, { devices: 0 });
    const { found, status, skipped, scanId, reopened } = await runRecordedScan({
      hosts,
      timing: t,
      signal: interrupt.signal,
      ...(resumed
        ? { inventory: resumed.inv, resumeId: resumed.id }
        : { dataDir: flags.store ? resolveDataDir(flags.dataDir) : undefined, audit: auditContext(flags) }),
      args: args as unknown as Record<string, unknown>,
      probe: {
        ports,
        udp: args.probe.udp,
        assumeUp: args.probe.assumeUp,
        ...(credentials.size ? { credentials } : {}),
      },
      ...(heard ? { seen: heard.seen } : {}),
      neighbours,
      coverage: () => [
        ...coverage(),
        ...(heard?.outside.length ? [{ coverage: "outside-scope", answered: heard.outside }] : []),
      ],
      onProgress: (done, _total, devices) => bar?.update(done, { devices }),
      onShortage: (code) => shortages.set(code, (shortages.get(code) ?? 0) + 1),
      onDevice: (h) => saver?.add(h),
    });
    bar?.stop();
    const views = found.map(view);
    showDevices(views, flags, skipped ? "no new devices answered" : "no devices answered");
    for (const [code, n] of shortages)
      err(
        `camsweep: this machine ran short (${code}) ${n} times and those connects waited; ` +
          "lower --concurrency or raise the open-file limit (ulimit -n)",
      );
    if (flags.summary !== false && (heard || neighbours.found.size))
      for (const line of formatCoverage(coverage())) err(`camsweep: ${line}`);
    if (skipped) err(`camsweep: ${skipped} hosts were finished by the interrupted run and not probed again`);
    alertReopened(reopened);
    if (status === "interrupted")
      err(
        `camsweep: scan interrupted; ${views.length} devices recorded` +
          (scanId ? `; continue with: camsweep scan --resume ${scanId}` : ""),
      );
    return status === "interrupted" ? 130 : 0;
  } finally {
    bar?.stop();
    interrupt.dispose();
    saver?.close();
  }
}

/** A device recorded removed is back on the network: said loudly, on stderr, one line each. */
export function alertReopened(reopened: readonly Reopened[]): void {
  for (const r of reopened)
    err(
      `camsweep: ALERT: device ${r.deviceId} (${forTerminal(r.address)}), recorded ${r.from} since ${r.removedAt}, ` +
        "was seen again and is reopened (camsweep remediate show)",
    );
}

export function view(h: ScannedHost) {
  return presentIdentification(h.identification, h);
}

/** JSON Lines written whole per host to FILE.partial, renamed to FILE when the scan ends (or is interrupted). */
class ObservationSaver {
  private readonly tmp: string;
  private fd: number | null;
  constructor(private readonly file: string) {
    this.tmp = `${file}.partial`;
    try {
      this.fd = openSync(this.tmp, "w");
    } catch (e) {
      throw new UsageError(
        `--save-observations ${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? e})`,
      );
    }
  }
  add(h: ScannedHost): void {
    if (this.fd === null || h.observations.length === 0) return;
    writeSync(this.fd, h.observations.map((o) => JSON.stringify(o)).join("\n") + "\n");
  }
  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    try {
      renameSync(this.tmp, this.file);
    } catch (e) {
      rmSync(this.tmp, { force: true });
      throw e;
    }
  }
}
