import { openInventory, type OpenInventory } from "../inventory/index.js";
import { runScan, type ScannedHost, type ScanOptions } from "./index.js";

export interface RecordedScanOptions extends Omit<ScanOptions, "onHost"> {
  /** inventory to record into; none: nothing is recorded */
  dataDir?: string;
  /** what the scan was asked to do, kept with the scan record */
  args: Record<string, unknown>;
  /** each answering host, after it is recorded */
  onDevice?: (h: ScannedHost) => void;
  /** progress: hosts done (answering or not) */
  onProgress?: (done: number, total: number, devices: number) => void;
}

export interface RecordedScan {
  found: ScannedHost[];
  status: "done" | "interrupted";
}

/**
 * A scan whose every answering host goes into the inventory as soon as it is done, one host per
 * transaction: an interrupted scan keeps what it finished and nothing half. The database starts up while
 * the first hosts are probed (a fresh PGlite takes seconds to initialise).
 */
export async function runRecordedScan(opts: RecordedScanOptions): Promise<RecordedScan> {
  const pending = opts.dataDir ? openInventory(opts.dataDir) : undefined;
  const abort = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, abort.signal]) : abort.signal;
  let inv: OpenInventory | undefined;
  let scanId: string | undefined;
  const ready = pending?.then(async (i) => {
    inv = i;
    scanId = await i.store.beginScan("scan", opts.args);
    return i;
  });
  ready?.catch(() => abort.abort()); // a store that cannot open stops the probing; the error is thrown below
  let writes: Promise<void> = Promise.resolve();
  let devices = 0;
  let status: RecordedScan["status"] | "failed" = "failed";
  try {
    const found = await runScan({
      ...opts,
      signal,
      onHost: (h, done, total) => {
        if (h) devices++;
        opts.onProgress?.(done, total, devices);
        if (!h) return;
        // One host at a time into the store, in completion order.
        writes = writes.then(async () => {
          const i = await ready;
          if (i && scanId) await i.store.recordHost(scanId, { ...h, hostname: h.hostname ?? null });
          opts.onDevice?.(h);
        });
        return writes;
      },
    });
    await writes;
    await ready; // surfaces an open failure even when no host answered
    status = opts.signal?.aborted ? "interrupted" : "done";
    return { found, status };
  } finally {
    await writes.catch(() => undefined);
    const i = inv ?? (await ready?.catch(() => undefined));
    if (i) {
      if (scanId) await i.store.finishScan(scanId, status, opts.hosts.length).catch(() => undefined);
      await i.close();
    }
  }
}
