import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { SingleBar } from "cli-progress";
import { presentIdentification } from "../../report/index.js";
import type { ScannedHost } from "../../scan/index.js";
import { runRecordedScan } from "../../scan/recorded.js";
import { loadConfig } from "../../shared/config.js";
import { UsageError } from "../../shared/errors.js";
import { resolveDataDir } from "../../shared/paths.js";
import { DEFAULT_PORTS, parsePorts, resolveTargets } from "../../targets/index.js";
import { err, interruptSignal, list, type FormatFlags } from "../output.js";
import { checkShowFlags, showDevices } from "../show.js";

export interface ScanFlags extends FormatFlags {
  inputList?: string[];
  exclude?: string[];
  excludeFile?: string[];
  allow?: string[];
  config?: string;
  ports?: string;
  concurrency: number;
  connectTimeout: number;
  timeout: number;
  udp: boolean;
  maxHosts: number;
  saveObservations?: string;
  dataDir?: string;
  store: boolean;
  progress?: boolean;
  summary?: boolean;
}

export async function scan(targets: string[], flags: ScanFlags): Promise<number> {
  checkShowFlags(flags);
  const config = loadConfig(flags.config);
  const ports = flags.ports ?? config.ports;
  const portSpecs = ports ? parsePorts(ports) : [...DEFAULT_PORTS];
  // Every target is resolved and checked against the scope before a single packet leaves.
  // The config's allow-list is the audit's standing scope: --allow may narrow it, never widen it.
  const hosts = await resolveTargets({
    targets,
    inputFiles: flags.inputList,
    exclude: [...config.exclude, ...list(flags.exclude)],
    excludeFiles: flags.excludeFile,
    allow: list(flags.allow),
    scope: config.path ? { allow: config.allow, source: config.path } : undefined,
    maxHosts: flags.maxHosts,
  });
  if (hosts.length === 0) {
    err("camsweep: no targets left to scan (all excluded)");
    return 2;
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
  try {
    bar?.start(hosts.length, 0, { devices: 0 });
    const { found, status } = await runRecordedScan({
      hosts,
      concurrency: flags.concurrency,
      signal: interrupt.signal,
      dataDir: flags.store ? resolveDataDir(flags.dataDir) : undefined,
      args: { targets, ports: portSpecs, allow: flags.allow ?? [] },
      probe: {
        ports: portSpecs,
        connectTimeoutMs: flags.connectTimeout,
        readTimeoutMs: flags.timeout,
        udp: flags.udp,
      },
      onProgress: (done, _total, devices) => bar?.update(done, { devices }),
      onDevice: (h) => saver?.add(h),
    });
    bar?.stop();
    const views = found.map(view);
    showDevices(views, flags, "no devices answered");
    if (status === "interrupted") err(`camsweep: scan interrupted; ${views.length} devices recorded`);
    return status === "interrupted" ? 130 : 0;
  } finally {
    bar?.stop();
    interrupt.dispose();
    saver?.close();
  }
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
