import type { Reopened } from "../inventory/index.js";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type { Identification } from "../identify/identification.js";
import type { HostRecord, Store } from "../inventory/index.js";
import type { Observation } from "../observations/observation.js";
import { InputError } from "../shared/errors.js";
import type { FormatReport } from "./formats/read-report.js";
import type { ImportError, ImportFormat, ImportRecord } from "./record.js";

export interface ImportRunOptions {
  format: ImportFormat;
  file: string;
  store: Store;
  identify: (observations: Observation[]) => Identification;
  /** every record belongs to this site (else: the site whose segment holds its address, if exactly one) */
  siteId?: string;
  /** reject the whole import, writing nothing, when any row is bad */
  strict?: boolean;
  columns?: Record<string, string>;
  /** records per transaction (default 2000) */
  batchSize?: number;
  signal?: AbortSignal;
  onError?: (e: ImportError) => void;
  onProgress?: (rows: number, records: number) => void;
}

export interface ImportResult {
  /** the import run's id (the inventory's scans table) */
  id?: string;
  /** devices recorded removed that this import saw again: reopened (src/inventory/remediation.ts) */
  reopened?: Reopened[];
  status: "done" | "interrupted" | "already-imported" | "rejected";
  /** the last source line read */
  rows: number;
  records: number;
  errors: number;
  created: number;
  updated: number;
  conflicts: number;
  /** an earlier run of this import stopped there; its rows were not read again */
  resumedAfter?: number;
  /** when already-imported: when that was */
  importedAt?: string;
  /** what the format said of the file: its encoding, the lines it dropped as not a camera's */
  report: FormatReport;
}

/**
 * Streams a file through its format into the inventory, a batch per transaction with the run's progress, so a
 * killed import leaves whole batches only and running it again continues after the last one (same file, format,
 * site and mapping: the same digest). A file imported whole before is not imported twice.
 */
export async function runImport(o: ImportRunOptions): Promise<ImportResult> {
  const digest = await importDigest(o);
  const result: ImportResult = {
    status: "done",
    rows: 0,
    records: 0,
    errors: 0,
    created: 0,
    updated: 0,
    conflicts: 0,
    report: {},
  };
  const earlier = await o.store.findImport(digest);
  if (earlier?.status === "done")
    return { ...result, id: earlier.id, status: "already-imported", importedAt: earlier.startedAt };
  if (o.siteId && !(await o.store.siteExists(o.siteId)))
    throw new InputError(`site "${o.siteId}" is not in the inventory (camsweep site add)`, o.file);

  const read = () =>
    o.format.read(o.file, { ...(o.columns ? { columns: o.columns } : {}), signal: o.signal });
  if (o.strict) {
    // A first pass finds every bad row before anything is written.
    let bad = 0;
    for await (const item of read()) {
      if ("error" in item) {
        bad++;
        o.onError?.(item.error);
      } else if (!keyOf(item.record)) {
        bad++;
        o.onError?.(noKey(item.record.line));
      }
      if (o.signal?.aborted) return { ...result, status: "interrupted" };
    }
    if (bad) return { ...result, status: "rejected", errors: bad };
  }

  const skip = earlier?.rowsDone ?? 0;
  const id =
    earlier?.id ??
    (await o.store.beginImport(
      digest,
      {
        format: o.format.id,
        file: basename(o.file),
        path: o.file,
        ...(o.columns ? { columns: o.columns } : {}),
      },
      o.siteId,
    ));
  if (earlier) {
    result.resumedAfter = skip;
    await o.store.startScan(id, 0);
  }
  result.id = id;
  const size = o.batchSize ?? 2000;
  let batch: ImportRecord[] = [];
  const flush = async (line: number) => {
    const hosts = hostsOf(batch, o.identify);
    batch = [];
    const recorded = await o.store.recordBatch(id, hosts, line, {
      ...(o.siteId ? { siteId: o.siteId } : {}),
      reidentify: o.identify,
    });
    for (const r of recorded) {
      if (r.created) result.created++;
      else result.updated++;
      result.conflicts += r.conflicts.length;
    }
  };
  let status: ImportResult["status"] = "interrupted";
  let reopened: Reopened[] = [];
  try {
    for await (const item of read()) {
      if (o.signal?.aborted) break;
      const line = "error" in item ? item.error.line : item.record.line;
      result.rows = Math.max(result.rows, line);
      if (line <= skip) continue;
      if ("error" in item) {
        result.errors++;
        o.onError?.(item.error);
        continue;
      }
      if (!keyOf(item.record)) {
        result.errors++;
        o.onError?.(noKey(line));
        continue;
      }
      batch.push(item.record);
      result.records++;
      if (batch.length >= size) {
        await flush(line);
        o.onProgress?.(result.rows, result.records);
      }
    }
    if (!o.signal?.aborted) {
      await flush(result.rows);
      await o.store.analyze();
      status = "done";
    }
  } finally {
    reopened = await o.store
      .finishScan(id, status === "done" ? "done" : "interrupted", result.records)
      .catch(() => []);
  }
  return { ...result, status, reopened };
}

/** The file's bytes, the format, the site and the column mapping: one import is the same only if all agree. */
async function importDigest(o: ImportRunOptions): Promise<string> {
  const h = createHash("sha256");
  h.update(JSON.stringify({ format: o.format.id, site: o.siteId ?? null, columns: o.columns ?? null }));
  try {
    for await (const chunk of createReadStream(o.file)) h.update(chunk as Buffer);
  } catch (e) {
    throw new InputError(
      `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      o.file,
    );
  }
  return h.digest("hex");
}

const keyOf = (r: ImportRecord) => r.mac ?? r.serial ?? r.address ?? r.hostname;
const noKey = (line: number): ImportError => ({
  line,
  message: "no address, MAC, serial or hostname: nothing to tie the row to a device",
});

/**
 * A batch's records, one host record per device key (rows about the same device, such as a DNS client's many
 * queries, become one), identified from what they said. The store merges them with what it holds.
 */
function hostsOf(records: ImportRecord[], identify: ImportRunOptions["identify"]): HostRecord[] {
  const byKey = new Map<string, ImportRecord[]>();
  for (const r of records) {
    const k = `${r.mac ?? ""}|${r.serial ?? ""}|${r.address ?? ""}|${r.mac || r.serial || r.address ? "" : (r.hostname ?? "")}`;
    const list = byKey.get(k);
    if (list) list.push(r);
    else byKey.set(k, [r]);
  }
  return [...byKey.values()].map((rs) => {
    const first = rs[0]!;
    const observations = rs.flatMap((r) => r.observations);
    const identification = identify(observations);
    return {
      address: first.address ?? null,
      hostname: rs.find((r) => r.hostname)?.hostname ?? null,
      openPorts: [],
      observations,
      // The row's own MAC and serial are identity keys even where identification read none from its observations.
      identification: {
        ...identification,
        mac: identification.mac ?? first.mac ?? null,
        serial: identification.serial ?? first.serial ?? null,
      },
    };
  });
}
