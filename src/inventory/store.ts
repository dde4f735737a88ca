import { randomUUID } from "node:crypto";
import type { Identification } from "../identify/identification.js";
import type { Observation } from "../observations/observation.js";
import type { Db, Queryable } from "./db.js";

/** One device as the inventory holds it. */
export interface DeviceRecord {
  id: string;
  address: string | null;
  hostname: string | null;
  mac: string | null;
  serial: string | null;
  manufacturer: string | null;
  brand: string | null;
  model: string | null;
  firmware: string | null;
  deviceType: string;
  confidence: number;
  restricted: boolean;
  policies: string[];
  openPorts: number[];
  identification: Identification;
  firstSeen: string;
  lastSeen: string;
}

/** What one probed host contributes to the inventory. */
export interface HostRecord {
  address: string | null;
  hostname?: string | null;
  openPorts: number[];
  observations: Observation[];
  identification: Identification;
}

export interface DeviceFilter {
  restricted?: boolean;
  manufacturer?: string;
}

export class Store {
  constructor(private readonly db: Db) {}

  /** A run that records devices: a probing scan (resumable), an identify of saved observations, or a listen. */
  async beginScan(kind: "scan" | "identify" | "listen", args: Record<string, unknown>): Promise<string> {
    const id = randomUUID();
    await this.db.query("INSERT INTO scans (id, kind, started_at, args) VALUES ($1, $2, now(), $3)", [
      id,
      kind,
      JSON.stringify(args),
    ]);
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
    await this.db.query(
      "UPDATE scans SET status = 'running', finished_at = NULL, target_count = $2 WHERE id = $1",
      [id, targetCount],
    );
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

  async finishScan(id: string, status: "done" | "interrupted" | "failed", hostCount: number): Promise<void> {
    await this.db.query(
      `UPDATE scans SET finished_at = now(), status = $2, host_count = $3,
         device_count = (SELECT count(DISTINCT device_id) FROM observations WHERE scan_id = $1)
       WHERE id = $1`,
      [id, status, hostCount],
    );
  }

  /**
   * Upserts one host's device and appends its observations, atomically: an interrupted scan leaves
   * every host either fully recorded or not at all. Returns the device id and whether it is new.
   */
  async recordHost(scanId: string, host: HostRecord): Promise<{ deviceId: string; created: boolean }> {
    return this.db.transaction(async (tx) => {
      const idf = host.identification;
      const existing = await findDevice(tx, host.address, idf.mac, idf.serial);
      const deviceId = existing ?? randomUUID();
      const values = [
        deviceId,
        host.address,
        host.hostname ?? null,
        idf.mac,
        idf.serial,
        idf.manufacturer,
        idf.brand,
        idf.model,
        idf.firmware,
        idf.deviceType,
        idf.confidence,
        idf.restricted,
        JSON.stringify(idf.policies),
        JSON.stringify(host.openPorts),
        JSON.stringify(idf),
        scanId,
      ];
      if (existing) {
        // Latest identification wins; the observations behind every earlier one stay in `observations`.
        await tx.query(
          `UPDATE devices SET address = $2, hostname = COALESCE($3, hostname), mac = COALESCE($4, mac),
             serial = COALESCE($5, serial), manufacturer = $6, brand = $7, model = $8, firmware = $9,
             device_type = $10, confidence = $11, restricted = $12, policies = $13, open_ports = $14,
             identification = $15, last_seen = now(), last_scan_id = $16
           WHERE id = $1`,
          values,
        );
      } else {
        await tx.query(
          `INSERT INTO devices (id, address, hostname, mac, serial, manufacturer, brand, model, firmware,
             device_type, confidence, restricted, policies, open_ports, identification, first_seen, last_seen, last_scan_id)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15, now(), now(), $16)`,
          values,
        );
      }
      if (host.address)
        await tx.query(
          `INSERT INTO scan_hosts (scan_id, address, device_id) VALUES ($1, $2, $3)
             ON CONFLICT (scan_id, address) DO UPDATE SET device_id = EXCLUDED.device_id`,
          [scanId, host.address, deviceId],
        );
      for (const o of host.observations) {
        await tx.query(
          `INSERT INTO observations (device_id, scan_id, target, port, protocol, data, observed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [deviceId, scanId, o.target ?? null, o.port ?? null, o.protocol, JSON.stringify(o), o.time],
        );
      }
      return { deviceId, created: !existing };
    });
  }

  async listDevices(filter: DeviceFilter = {}): Promise<DeviceRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.restricted !== undefined) {
      params.push(filter.restricted);
      where.push(`restricted = $${params.length}`);
    }
    if (filter.manufacturer) {
      params.push(filter.manufacturer.toLowerCase());
      where.push(`manufacturer = $${params.length}`);
    }
    const sql = `SELECT * FROM devices ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
                 ORDER BY restricted DESC, manufacturer NULLS LAST,
                   CASE WHEN address ~ '^[0-9.]+$' OR address ~ ':' THEN address::inet END, address`;
    const { rows } = await this.db.query<Row>(sql, params);
    return rows.map(toRecord);
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

/** Match order: MAC, then serial, then an address whose stored identity does not contradict the new one. */
async function findDevice(
  q: Queryable,
  address: string | null,
  mac: string | null,
  serial: string | null,
): Promise<string | null> {
  const first = async (sql: string, params: unknown[]) =>
    (await q.query<{ id: string }>(sql, params)).rows[0]?.id ?? null;
  if (mac) {
    const id = await first("SELECT id FROM devices WHERE mac = $1 ORDER BY last_seen DESC LIMIT 1", [mac]);
    if (id) return id;
  }
  if (serial) {
    const id = await first("SELECT id FROM devices WHERE serial = $1 ORDER BY last_seen DESC LIMIT 1", [
      serial,
    ]);
    if (id) return id;
  }
  if (!address) return null;
  return first(
    `SELECT id FROM devices WHERE address = $1
       AND (mac IS NULL OR $2::text IS NULL OR mac = $2)
       AND (serial IS NULL OR $3::text IS NULL OR serial = $3)
     ORDER BY last_seen DESC LIMIT 1`,
    [address, mac, serial],
  );
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

interface Row {
  id: string;
  address: string | null;
  hostname: string | null;
  mac: string | null;
  serial: string | null;
  manufacturer: string | null;
  brand: string | null;
  model: string | null;
  firmware: string | null;
  device_type: string;
  confidence: number;
  restricted: boolean;
  policies: string[];
  open_ports: number[];
  identification: Identification;
  first_seen: Date | string;
  last_seen: Date | string;
}

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

function toRecord(r: Row): DeviceRecord {
  return {
    id: r.id,
    address: r.address,
    hostname: r.hostname,
    mac: r.mac,
    serial: r.serial,
    manufacturer: r.manufacturer,
    brand: r.brand,
    model: r.model,
    firmware: r.firmware,
    deviceType: r.device_type,
    confidence: Number(r.confidence),
    restricted: r.restricted,
    policies: r.policies,
    openPorts: r.open_ports,
    identification: r.identification,
    firstSeen: iso(r.first_seen),
    lastSeen: iso(r.last_seen),
  };
}
