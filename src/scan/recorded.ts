import { type AuditContext, openInventory, type OpenInventory, type Reopened } from "../inventory/index.js";
import { runScan, type ScannedHost, type ScanOptions } from "./index.js";

export interface RecordedScanOptions extends Omit<ScanOptions, "onHost" | "skip"> {
  /** inventory to record into (opened here); none: nothing is recorded */
  dataDir?: string;
  /** who scans and why, for the audit log of the inventory opened here */
  audit?: AuditContext;
  /** or an inventory the caller opened (it is closed here all the same) */
  inventory?: OpenInventory;
  /** what the scan was asked to do, kept with the scan record so --resume can do it again */
  args: Record<string, unknown>;
  /** continue this earlier scan: the hosts it finished are skipped, the rest recorded under its id */
  resumeId?: string;
  /** how the scan covered its segments, asked once the probes are over and kept with the scan record */
  coverage?: () => unknown[];
  /** each answering host, after it is recorded */
  onDevice?: (h: ScannedHost) => void;
  /** progress: hosts done (answering or not), including those an earlier run finished */
  onProgress?: (done: number, total: number, devices: number) => void;
}

export interface RecordedScan {
  scanId?: string;
  found: ScannedHost[];
  status: "done" | "interrupted";
  /** hosts skipped because an earlier run of this scan had finished them */
  skipped: number;
  /** devices recorded removed that this scan saw again: reopened (filled as the scan is finished) */
  reopened: Reopened[];
}

/** Silent hosts are marked finished in batches: one row each, but not one transaction each. */
const SILENT_BATCH = 512;
const SILENT_FLUSH_MS = 1000;

/**
 * A scan whose every answering host goes into the inventory as soon as it is done, one host per
 * transaction, and whose progress (every finished host, answering or not) is kept with it: an interrupted
 * scan keeps what it finished and nothing half, and `resumeId` continues it without probing a finished host
 * again.
 */
export async function runRecordedScan(opts: RecordedScanOptions): Promise<RecordedScan> {
  const pending = opts.inventory
    ? Promise.resolve(opts.inventory)
    : opts.dataDir
      ? openInventory(opts.dataDir, { audit: opts.audit ?? {} })
      : undefined;
  const abort = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, abort.signal]) : abort.signal;
  let inv: OpenInventory | undefined;
  let scanId: string | undefined;
  let skip: Set<string> | undefined;
  const ready = pending?.then(async (i) => {
    inv = i;
    if (opts.resumeId) {
      scanId = opts.resumeId;
      skip = await i.store.doneHosts(scanId);
    } else scanId = await i.store.beginScan("scan", opts.args);
    await i.store.startScan(scanId, opts.hosts.length);
    return i;
  });
  ready?.catch(() => abort.abort()); // a store that cannot open stops the probing; the error is thrown below
  // The store is open before the first probe. Opening it compiles and starts PGlite, which holds the event loop
  // for seconds: probes running meanwhile would have their timers fire late, ahead of the replies that had
  // arrived, and record live ports as silent.
  await ready?.catch(() => undefined);

  let writes: Promise<void> = Promise.resolve();
  const queue = (fn: (i: OpenInventory, id: string) => Promise<void>) => {
    writes = writes.then(async () => {
      const i = await ready;
      if (i && scanId) await fn(i, scanId);
    });
    return writes;
  };
  let silent: string[] = [];
  let lastFlush = Date.now();
  const flushSilent = () => {
    const batch = silent;
    silent = [];
    lastFlush = Date.now();
    return queue((i, id) => i.store.markHostsDone(id, batch));
  };

  let devices = 0;
  let status: RecordedScan["status"] | "failed" = "failed";
  const reopened: Reopened[] = [];
  try {
    const found = await runScan({
      ...opts,
      signal,
      ...(skip ? { skip } : {}),
      onHost: (h, address, done, total) => {
        if (h) devices++;
        opts.onProgress?.(done, total, devices);
        if (!h) {
          if (!pending) return;
          silent.push(address);
          if (silent.length >= SILENT_BATCH || Date.now() - lastFlush >= SILENT_FLUSH_MS)
            return flushSilent();
          return;
        }
        if (!pending) return opts.onDevice?.(h);
        // One host at a time into the store, in completion order.
        return queue(async (i, id) => {
          await i.store.recordHost(id, { ...h, hostname: h.hostname ?? null });
          opts.onDevice?.(h);
        });
      },
    });
    await flushSilent();
    await writes;
    await ready; // surfaces an open failure even when no host answered
    status = opts.signal?.aborted ? "interrupted" : "done";
    return { ...(scanId ? { scanId } : {}), found, status, skipped: skip?.size ?? 0, reopened };
  } finally {
    // What was found before an interruption is kept: the silent hosts too, so a resume skips them.
    await flushSilent().catch(() => undefined);
    await writes.catch(() => undefined);
    const i = inv ?? (await ready?.catch(() => undefined));
    if (i) {
      if (scanId && opts.coverage)
        await i.store.setScanCoverage(scanId, opts.coverage()).catch(() => undefined);
      if (scanId)
        reopened.push(...(await i.store.finishScan(scanId, status, opts.hosts.length).catch(() => [])));
      // The devices it wrote: their statistics and visibility (Store.analyze), as an import's are.
      if (devices > 0) await i.store.analyze().catch(() => undefined);
      await i.close();
    }
  }
}
