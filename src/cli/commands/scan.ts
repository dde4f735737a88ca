import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { SingleBar } from "cli-progress";
import { openInventory } from "../../inventory/index.js";
import { formatDevices, formatSummary, presentIdentification, summarize } from "../../report/index.js";
import { runScan, type ScannedHost } from "../../scan/index.js";
import { loadConfig } from "../../shared/config.js";
import { UsageError } from "../../shared/errors.js";
import { resolveDataDir } from "../../shared/paths.js";
import { DEFAULT_PORTS, parsePorts, resolveTargets } from "../../targets/index.js";
import { err, list, out, outputFormat, type FormatFlags } from "../output.js";

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
  const format = outputFormat(flags);
  const config = loadConfig(flags.config);
  const ports = flags.ports ?? config.ports;
  const portSpecs = ports ? parsePorts(ports) : [...DEFAULT_PORTS];
  // Every target is resolved and checked against the scope before a single packet leaves.
  const hosts = await resolveTargets({
    targets,
    inputFiles: flags.inputList,
    exclude: [...config.exclude, ...list(flags.exclude)],
    excludeFiles: flags.excludeFile,
    allow: [...config.allow, ...list(flags.allow)],
    maxHosts: flags.maxHosts,
  });
  if (hosts.length === 0) {
    err("camsweep: no targets left to scan (all excluded)");
    return 2;
  }

  const saver = flags.saveObservations ? new ObservationSaver(flags.saveObservations) : null;
  const inv = flags.store ? await openInventory(resolveDataDir(flags.dataDir)) : null;
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigint);
  const bar =
    flags.progress !== false && process.stderr.isTTY
      ? new SingleBar({
          stream: process.stderr,
          format: " scanning [{bar}] {value}/{total} hosts | {devices} devices",
        })
      : null;
  let devices = 0;
  let scanId: string | undefined;
  let status: "done" | "interrupted" | "failed" = "failed";
  let writes = Promise.resolve();
  try {
    scanId = await inv?.store.beginScan("scan", { targets, ports: portSpecs, allow: flags.allow ?? [] });
    bar?.start(hosts.length, 0, { devices });
    const found = await runScan({
      hosts,
      concurrency: flags.concurrency,
      signal: abort.signal,
      probe: {
        ports: portSpecs,
        connectTimeoutMs: flags.connectTimeout,
        readTimeoutMs: flags.timeout,
        maxBodyBytes: 64 * 1024,
        udp: flags.udp,
        portConcurrency: 4,
      },
      onHost: (h, done) => {
        if (h) devices++;
        bar?.update(done, { devices });
        if (!h) return;
        // One host at a time into the store, each atomically.
        writes = writes.then(async () => {
          saver?.add(h);
          if (inv && scanId) await inv.store.recordHost(scanId, { ...h, hostname: h.hostname ?? null });
        });
        return writes;
      },
    });
    await writes;
    status = abort.signal.aborted ? "interrupted" : "done";
    bar?.stop();
    const views = found.map(view);
    if (format === "table") {
      out(views.length ? formatDevices(views, "table") : "no devices answered");
      if (flags.summary !== false) out(`\n${formatSummary(summarize(views))}`);
    } else if (views.length) out(formatDevices(views, format));
    if (status === "interrupted") err(`camsweep: scan interrupted; ${devices} devices recorded`);
    return status === "interrupted" ? 130 : 0;
  } finally {
    bar?.stop();
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
    saver?.close();
    if (inv) {
      if (scanId) await inv.store.finishScan(scanId, status, hosts.length).catch(() => undefined);
      await inv.close();
    }
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
