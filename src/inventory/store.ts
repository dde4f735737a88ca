import { randomUUID } from "node:crypto";
import type { Observation } from "../observations/observation.js";
import { appendAudit, type AuditContext } from "./audit.js";
import type { Db, Queryable } from "./db.js";
import {
  cursorAfter,
  type DeviceFilter,
  type DevicePage,
  deviceQuery,
  type DeviceRecord,
  type DeviceRow,
  iso,
  toRecord,
} from "./device-list.js";
import { type HostRecord, type Recorded, type RecordOptions, recordDevice } from "./devices.js";
import { recordMany } from "./devices-bulk.js";
import { complianceBySite, complianceCounts } from "./compliance.js";
import {
  type AssessmentRun,
  beginAssessment,
  devicesToAssess,
  finishAssessment,
  devicesNeedingAttention,
  latestAssessment,
  saveAssessments,
  type StoredAssessment,
} from "./assessments.js";
import { type ExposureStatement, setExposure } from "./exposure.js";
import { type Reopened, reopenSeenAgain } from "./remediation.js";
import {
  addOrganization,
  addSegment,
  addSite,
  exists,
  listOrganizations,
  listSites,
} from "./organizations.js";

export type { HostRecord, RecordOptions, Recorded } from "./devices.js";
export type { DeviceFilter, DevicePage, DeviceRecord } from "./device-list.js";

/** A record that matched a device but offered another MAC or serial: the device kept its own. */
export interface IdentityConflict {
  field: string;
  held: string;
  offered: string;
  scanId: string;
  at: string;
}

/** Where a device's observations came from: the runs (scans, imports, listens) that saw it. */
export interface DeviceSource {
  id: string;
  kind: string;
  /** an import's format and file name */
  format?: string;
  file?: string;
  at: string;
}

export class Store {
  /** ctx: who acts and why, in every audit entry this store appends */
  constructor(
    private readonly db: Db,
    private readonly ctx: AuditContext = {},
  ) {}

  /** A run that records devices: a probing scan (resumable), an identify of saved observations, or a listen. */
  async beginScan(kind: "scan" | "identify" | "listen", args: Record<string, unknown>): Promise<string> {
    const id = randomUUID();
    await this.db.transaction(async (tx) => {
      await tx.query("INSERT INTO scans (id, kind, started_at, args) VALUES ($1, $2, now(), $3)", [
        id,
        kind,
        JSON.stringify(args),
      ]);
      await appendAudit(tx, {
        ...this.ctx,
        action: "start",
        entity: "scan",
        entityId: id,
        data: { kind, args },
      });
    });
    return id;
  }

  /** A scan to resume: the given one, or the latest that did not finish. Null when there is none. */
  async resumableScan(id?: string): Promise<ScanRecord | null> {
    const { rows } = await this.db.query<ScanRow>(
      id
        ? "SELECT id, args, status, target_count FROM scans WHERE id = $1 AND kind = 'scan'"
        : `SELECT id, args, status, target_count FROM scans
             WHERE kind = 'scan' AND status IN ('interrupted', 'running') ORDER BY started_at DESC LIMIT 1`,
      id ? [id] : [],
    );
    const r = rows[0];
    return r ? { id: r.id, args: r.args, status: r.status, targetCount: r.target_count } : null;
  }

  /** The latest scans, newest first, with how far each got. */
  async listScans(limit = 50): Promise<ScanSummary[]> {
    const { rows } = await this.db.query<ScanSummaryRow>(
      `SELECT s.id, s.kind, s.started_at, s.finished_at, s.status, s.target_count, s.device_count, s.coverage,
         (SELECT count(*)::int FROM scan_hosts h WHERE h.scan_id = s.id) AS done
       FROM scans s ORDER BY s.started_at DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      startedAt: iso(r.started_at),
      finishedAt: r.finished_at ? iso(r.finished_at) : null,
      status: r.status,
      targets: r.target_count,
      done: r.done,
      devices: r.device_count,
      ...(r.coverage ? { coverage: r.coverage } : {}),
    }));
  }

  /** What the scan reached and how, segment by segment (src/scan/coverage.ts). */
  async setScanCoverage(id: string, coverage: unknown[]): Promise<void> {
    await this.db.query("UPDATE scans SET coverage = $2 WHERE id = $1", [id, JSON.stringify(coverage)]);
  }

  /** Marks a scan running again (resume) and records how many hosts it covers. */
  async startScan(id: string, targetCount: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ status: string; kind: string }>(
        `UPDATE scans SET status = 'running', finished_at = NULL, target_count = $2 WHERE id = $1
         RETURNING (SELECT status FROM scans WHERE id = $1) AS status, kind`,
        [id, targetCount],
      );
      // A run taken up again after an interruption is a resume; the first start was audited by its begin.
      if (rows[0] && rows[0].status !== "running")
        await appendAudit(tx, {
          ...this.ctx,
          action: "resume",
          entity: rows[0].kind === "import" ? "import" : "scan",
          entityId: id,
          data: { after: rows[0].status },
        });
    });
  }

  /** Addresses this scan already finished (recorded or found silent). */
  async doneHosts(scanId: string): Promise<Set<string>> {
    const { rows } = await this.db.query<{ address: string }>(
      "SELECT address FROM scan_hosts WHERE scan_id = $1",
      [scanId],
    );
    return new Set(rows.map((r) => r.address));
  }

  /** Hosts that answered nothing: finished, with no device. One statement for the whole batch. */
  async markHostsDone(scanId: string, addresses: string[]): Promise<void> {
    if (addresses.length === 0) return;
    await this.db.query(
      `INSERT INTO scan_hosts (scan_id, address) SELECT $1, a FROM unnest($2::text[]) AS a
         ON CONFLICT (scan_id, address) DO NOTHING`,
      [scanId, addresses],
    );
  }

  /**
   * Ends a run. Devices recorded removed that it saw again are reopened in the same transaction and returned, for
   * the caller to alert on.
   */
  async finishScan(
    id: string,
    status: "done" | "interrupted" | "failed",
    hostCount: number,
  ): Promise<Reopened[]> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ kind: string; device_count: number; rows_done: number }>(
        `UPDATE scans SET finished_at = now(), status = $2, host_count = $3,
           device_count = (SELECT count(DISTINCT device_id) FROM observations WHERE scan_id = $1)
         WHERE id = $1 RETURNING kind, device_count, rows_done`,
        [id, status, hostCount],
      );
      const r = rows[0];
      if (r)
        await appendAudit(tx, {
          ...this.ctx,
          action: "finish",
          entity: r.kind === "import" ? "import" : "scan",
          entityId: id,
          data:
            r.kind === "import"
              ? { status, rows: Number(r.rows_done), records: hostCount, devices: Number(r.device_count) }
              : { status, hosts: hostCount, devices: Number(r.device_count) },
        });
      return reopenSeenAgain(tx, this.ctx, id);
    });
  }

  /**
   * Upserts one host's device and appends its observations, atomically: an interrupted scan leaves
   * every host either fully recorded or not at all. Matching and conflicts: devices.ts.
   */
  async recordHost(scanId: string, host: HostRecord, o: RecordOptions = {}): Promise<Recorded> {
    return this.db.transaction((tx) => recordDevice(tx, scanId, host, { audit: this.ctx, ...o }));
  }

  /**
   * An import's batch: its records and the import's progress (source rows done) in one transaction, so a killed
   * import leaves whole batches only and its re-run starts after the last one.
   */
  async recordBatch(
    scanId: string,
    hosts: HostRecord[],
    rowsDone: number,
    o: RecordOptions = {},
  ): Promise<Recorded[]> {
    return this.db.transaction(async (tx) => {
      const out: Recorded[] = [];
      out.push(...(await recordMany(tx, scanId, hosts, { audit: this.ctx, ...o, batchAudit: true })));
      await tx.query("UPDATE scans SET rows_done = $2 WHERE id = $1", [scanId, rowsDone]);
      // One entry for the batch: an append per device would cost a million locked appends on a big import.
      const created = out.filter((r) => r.created).map((r) => r.deviceId);
      const updated = Object.fromEntries(
        out.filter((r) => !r.created && Object.keys(r.changes).length).map((r) => [r.deviceId, r.changes]),
      );
      if (created.length || Object.keys(updated).length)
        await appendAudit(tx, {
          ...this.ctx,
          action: "update",
          entity: "device",
          entityId: null,
          data: { scan: scanId, rows: rowsDone, created, updated },
        });
      return out;
    });
  }

  /** An import run of this file (by digest), format and site: to resume, or to say it was done already. */
  async findImport(
    digest: string,
  ): Promise<{ id: string; status: string; rowsDone: number; startedAt: string } | null> {
    const { rows } = await this.db.query<{
      id: string;
      status: string;
      rows_done: string | number;
      started_at: Date | string;
    }>(
      `SELECT id, status, rows_done, started_at FROM scans WHERE kind = 'import' AND source_digest = $1
        ORDER BY started_at DESC LIMIT 1`,
      [digest],
    );
    const r = rows[0];
    return r
      ? { id: r.id, status: r.status, rowsDone: Number(r.rows_done), startedAt: iso(r.started_at) }
      : null;
  }

  async beginImport(digest: string, args: Record<string, unknown>, siteId?: string): Promise<string> {
    const id = randomUUID();
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO scans (id, kind, started_at, args, status, source_digest, site_id)
         VALUES ($1, 'import', now(), $2, 'running', $3, $4)`,
        [id, JSON.stringify(args), digest, siteId ?? null],
      );
      await appendAudit(tx, {
        ...this.ctx,
        action: "start",
        entity: "import",
        entityId: id,
        data: { ...args, digest, site: siteId ?? null },
      });
    });
    return id;
  }

  addOrganization(input: unknown) {
    return this.db.transaction((tx) => addOrganization(tx, input, this.ctx));
  }
  addSite(input: unknown) {
    return this.db.transaction((tx) => addSite(tx, input, this.ctx));
  }
  addSegment(siteId: string, cidr: string, name?: string) {
    return this.db.transaction((tx) => addSegment(tx, siteId, cidr, name, this.ctx));
  }
  siteExists(id: string) {
    return exists(this.db, "sites", id);
  }
  organizationExists(id: string) {
    return exists(this.db, "organizations", id);
  }
  listOrganizations() {
    return listOrganizations(this.db);
  }
  /** A page of devices with what an assessment needs of their owners, in id order after `after`. */
  devicesToAssess(organizationId: string | null, after: string | null, limit: number) {
    return devicesToAssess(this.db, organizationId, after, limit);
  }

  async beginAssessment(run: AssessmentRun): Promise<string> {
    const id = randomUUID();
    await this.db.transaction((tx) => beginAssessment(tx, id, run, this.ctx));
    return id;
  }

  /** One page of verdicts, replacing each device's previous one; returns the status changes ("from>to" counts). */
  saveAssessments(assessmentId: string, results: readonly StoredAssessment[]) {
    return this.db.transaction((tx) => saveAssessments(tx, assessmentId, results));
  }

  finishAssessment(
    id: string,
    status: "done" | "failed",
    summary: { devices: number; counts: Record<string, number>; changes: Record<string, number> },
  ) {
    return this.db.transaction((tx) => finishAssessment(tx, id, status, summary, this.ctx));
  }

  /** `today`: the day exceptions are judged current on */
  complianceBySite(organizationId: string | null, today: string) {
    return complianceBySite(this.db, organizationId, today);
  }

  /** The per-site counts with the per-manufacturer ones, in one pass (the overview's and the report's). */
  complianceCounts(organizationId: string | null, today: string) {
    return complianceCounts(this.db, organizationId, today);
  }

  latestAssessment() {
    return latestAssessment(this.db);
  }

  /** Assessed devices not allowed or with a KEV vulnerability, riskiest first. */
  devicesNeedingAttention(organizationId: string | null, limit: number) {
    return devicesNeedingAttention(this.db, organizationId, limit);
  }

  /** States internet exposure for devices named by id or address (all or nothing); audited per device. */
  setExposure(names: readonly string[], statement: ExposureStatement) {
    return this.db.transaction((tx) => setExposure(tx, names, statement, this.ctx));
  }

  listSites(organizationId?: string) {
    return listSites(this.db, organizationId);
  }

  /** The runs behind each device, oldest first. */
  async sourcesOf(deviceIds: string[], q: Queryable = this.db): Promise<Map<string, DeviceSource[]>> {
    if (!deviceIds.length) return new Map();
    const { rows } = await q.query<{
      device_id: string;
      id: string;
      kind: string;
      args: Record<string, unknown>;
      started_at: Date | string;
    }>(
      `SELECT DISTINCT o.device_id, s.id, s.kind, s.args, s.started_at FROM observations o JOIN scans s ON s.id = o.scan_id
        WHERE o.device_id = ANY($1::text[]) ORDER BY s.started_at`,
      [deviceIds],
    );
    return byDevice(rows, (r) => ({
      id: r.id,
      kind: r.kind,
      ...(typeof r.args.format === "string" ? { format: r.args.format } : {}),
      ...(typeof r.args.file === "string" ? { file: r.args.file } : {}),
      at: iso(r.started_at),
    }));
  }

  /** Conflicts kept for each device: a record offered another MAC or serial than the one it holds. */
  async conflictsOf(deviceIds: string[], q: Queryable = this.db): Promise<Map<string, IdentityConflict[]>> {
    if (!deviceIds.length) return new Map();
    const { rows } = await q.query<{
      device_id: string;
      field: string;
      held: string;
      offered: string;
      scan_id: string;
      at: Date | string;
    }>(
      "SELECT device_id, field, held, offered, scan_id, at FROM device_conflicts WHERE device_id = ANY($1::text[]) ORDER BY id",
      [deviceIds],
    );
    return byDevice(rows, (r) => ({
      field: r.field,
      held: r.held,
      offered: r.offered,
      scanId: r.scan_id,
      at: iso(r.at),
    }));
  }

  /** A device's identity history: each field change and the run that made it. */
  async historyOf(
    deviceId: string,
  ): Promise<
    { field: string; previous: string | null; value: string | null; scanId: string | null; at: string }[]
  > {
    const { rows } = await this.db.query<{
      field: string;
      previous: string | null;
      value: string | null;
      scan_id: string | null;
      at: Date | string;
    }>("SELECT field, previous, value, scan_id, at FROM device_history WHERE device_id = $1 ORDER BY id", [
      deviceId,
    ]);
    return rows.map((r) => ({
      field: r.field,
      previous: r.previous,
      value: r.value,
      scanId: r.scan_id,
      at: iso(r.at),
    }));
  }

  /** The devices the filter selects, in the list's order (device-list.ts); a page of them when given one. */
  async listDevices(filter: DeviceFilter = {}, page: DevicePage = {}): Promise<DeviceRecord[]> {
    const { sql, params } = deviceQuery(filter, page);
    const { rows } = await this.db.query<DeviceRow>(sql, params);
    return rows.map(toRecord);
  }

  /**
   * The same list in pages, through a cursor in one read transaction, so a million devices are listed in bounded
   * memory: `each` gets every page in order, each device with its sources and kept conflicts, and is awaited before
   * the next page is fetched. Returns the cursor after the last device when `limit` cut the list short (the next
   * page starts there), else null. `each` returning false stops the listing (its reader has gone).
   */
  async eachDevicePage(
    filter: DeviceFilter,
    each: (page: ListedDevice[]) => Promise<void | boolean> | void | boolean,
    o: DevicePage & {
      pageSize?: number;
      /** look up each page's sources and conflicts (default); false: a listing that shows neither skips them */
      details?: boolean;
    } = {},
  ): Promise<string | null> {
    const pageSize = o.pageSize ?? 2000;
    const details = o.details ?? true;
    // One more than asked: whether there is a next page is known without counting.
    const { sql, params } = deviceQuery(filter, {
      ...(o.after ? { after: o.after } : {}),
      ...(o.sort ? { sort: o.sort } : {}),
      ...(o.limit !== undefined ? { limit: o.limit + 1 } : {}),
    });
    let seen = 0;
    let last: DeviceRow | undefined;
    let more = false;
    await this.db.transaction(async (tx) => {
      await tx.query(`DECLARE device_list NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const { rows } = await tx.query<DeviceRow>(`FETCH ${pageSize} FROM device_list`);
        const fetched = rows.length;
        if (o.limit !== undefined && seen + rows.length > o.limit) {
          more = true;
          rows.length = o.limit - seen;
        }
        seen += rows.length;
        if (rows.length) {
          last = rows[rows.length - 1];
          // Within the transaction: PGlite runs one at a time, so a query outside it would wait for it forever.
          const ids = rows.map((r) => r.id);
          const sources = details ? await this.sourcesOf(ids, tx) : new Map<string, DeviceSource[]>();
          const conflicts = details ? await this.conflictsOf(ids, tx) : new Map<string, IdentityConflict[]>();
          const go = await each(
            rows.map((r) => ({
              record: toRecord(r),
              sources: sources.get(r.id) ?? [],
              conflicts: conflicts.get(r.id) ?? [],
            })),
          );
          if (go === false) {
            more = false;
            break;
          }
        }
        if (more || fetched < pageSize) break;
      }
      await tx.query("CLOSE device_list");
    });
    return more && last ? cursorAfter(last, o.sort) : null;
  }

  /**
   * After a run that wrote devices (an import, a scan): the planner's statistics (a filter's plan on a million
   * devices depends on them) and the visibility map that index-only reads need (the overview's counts, the list's
   * pages). A vacuum skips the pages nothing changed; PGlite has no autovacuum, and a server's may take its time.
   */
  async analyze(): Promise<void> {
    await this.db.query("VACUUM (ANALYZE) devices");
    await this.db.query("ANALYZE observations");
    // An organization's list joins its sites: without their statistics (autovacuum analyzes a table only after 50
    // changes, PGlite never) the planner guesses their number and may sort all of an organization's devices.
    await this.db.query("ANALYZE sites");
    await this.db.query("ANALYZE organizations");
  }

  async countDevices(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>("SELECT count(*)::int AS n FROM devices");
    return rows[0]?.n ?? 0;
  }

  async observationsOf(deviceId: string): Promise<Observation[]> {
    const { rows } = await this.db.query<{ data: Observation }>(
      "SELECT data FROM observations WHERE device_id = $1 ORDER BY id",
      [deviceId],
    );
    return rows.map((r) => r.data);
  }
}

/** A device as the paged list gives it: with where it was seen and the identity conflicts kept for it. */
export interface ListedDevice {
  record: DeviceRecord;
  sources: DeviceSource[];
  conflicts: IdentityConflict[];
}

export interface ScanRecord {
  id: string;
  args: Record<string, unknown>;
  status: string;
  targetCount: number | null;
}
/** A scan as `camsweep scans` lists it. */
export interface ScanSummary {
  id: string;
  kind: string;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  /** hosts the scan was asked to probe (null for scans recorded before progress was kept) */
  targets: number | null;
  /** hosts finished, answering or not */
  done: number;
  devices: number;
  /** segments and how each was covered (local discovery or remote probes only), when the scan recorded it */
  coverage?: unknown[];
}
interface ScanSummaryRow {
  id: string;
  kind: string;
  started_at: Date | string;
  finished_at: Date | string | null;
  status: string;
  target_count: number | null;
  device_count: number;
  coverage: unknown[] | null;
  done: number;
}
interface ScanRow {
  id: string;
  args: Record<string, unknown>;
  status: string;
  target_count: number | null;
}

/** Rows of many devices -> each device's list, in row order. */
function byDevice<R extends { device_id: string }, T>(rows: R[], of: (r: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.device_id);
    if (list) list.push(of(r));
    else out.set(r.device_id, [of(r)]);
  }
  return out;
}
