import { randomUUID } from "node:crypto";
import type { Identification } from "../identify/identification.js";
import type { Observation } from "../observations/observation.js";
import { GONE_SQL } from "../remediation/states.js";
import { appendAudit, type AuditContext } from "./audit.js";
import type { Queryable } from "./db.js";

/** What one probed host or imported record contributes to the inventory. */
export interface HostRecord {
  address: string | null;
  hostname?: string | null;
  openPorts: number[];
  observations: Observation[];
  identification: Identification;
}

export interface RecordOptions {
  /**
   * The site the record belongs to (an import's --site); null: known to belong to none; absent: the site whose
   * segment holds the address, if exactly one does.
   */
  siteId?: string | null;
  /**
   * Identifies a device from all it has said: its stored observations (the latest of each kind) and the new ones.
   * Given, a device seen by several sources (a scan, a DHCP lease, a CMDB row) gets one verdict from all of them;
   * not given, the record's own identification replaces the device's (a scan's probes say everything at once).
   */
  reidentify?: (observations: Observation[]) => Identification;
  /** leave the audit entry to the caller (an import batch appends one for all its devices) */
  batchAudit?: boolean;
  /** who records and why, in the audit entries */
  audit?: AuditContext;
}

export interface Recorded {
  deviceId: string;
  created: boolean;
  /** identity fields that changed: {field: [before, after]} (all of them for a new device) */
  changes: Record<string, [string | null, string | null]>;
  /** identity fields where the record disagreed with the device and the device's value was kept */
  conflicts: { field: string; held: string; offered: string }[];
}

/** The fields whose changes are kept in device_history. */
export const TRACKED = [
  "site_id",
  "address",
  "hostname",
  "mac",
  "serial",
  "manufacturer",
  "brand",
  "model",
  "firmware",
] as const;
type Tracked = (typeof TRACKED)[number];

interface Held extends Record<Tracked, string | null> {
  id: string;
}

/**
 * Upserts one record's device and appends its observations, within the caller's transaction. Matching follows the
 * issue's order: MAC, then serial, then (site, address) where the stored identity does not contradict the record.
 * A MAC or serial that contradicts the matched device's is not written over: it is kept as a conflict.
 */
export async function recordDevice(
  q: Queryable,
  scanId: string,
  host: HostRecord,
  o: RecordOptions = {},
): Promise<Recorded> {
  const siteId = o.siteId !== undefined ? o.siteId : ((await sitesOf(q, [host.address]))[0] ?? null);
  // The record's own keys: what it offers, checked against the device it matches before anything is merged.
  const offered = { mac: host.identification.mac, serial: host.identification.serial };
  let idf = host.identification;
  const held = await findDevice(q, siteId, host.address, offered, host.identification.manufacturer);
  if (held && o.reidentify)
    idf = o.reidentify([...(await latestObservations(q, held.id)), ...host.observations]);
  const conflicts: Recorded["conflicts"] = [];
  // An identity key the device already has is kept; a different one offered is a conflict, not an overwrite.
  const keep = (field: "mac" | "serial", offered: string | null): string | null => {
    const current = held?.[field] ?? null;
    if (current && offered && current !== offered) {
      conflicts.push({ field, held: current, offered });
      return current;
    }
    return offered ?? current;
  };
  const next: Record<Tracked, string | null> = {
    site_id: siteId ?? held?.site_id ?? null,
    address: host.address ?? held?.address ?? null,
    hostname: host.hostname ?? held?.hostname ?? null,
    mac: keep("mac", offered.mac ?? idf.mac),
    serial: keep("serial", offered.serial ?? idf.serial),
    manufacturer: idf.manufacturer,
    brand: idf.brand,
    model: idf.model,
    firmware: idf.firmware,
  };
  const deviceId = held?.id ?? randomUUID();
  const values = [
    deviceId,
    next.address,
    next.hostname,
    next.mac,
    next.serial,
    next.manufacturer,
    next.brand,
    next.model,
    next.firmware,
    idf.deviceType,
    idf.confidence,
    idf.restricted,
    JSON.stringify(idf.policies),
    JSON.stringify(host.openPorts),
    JSON.stringify(idf),
    scanId,
    next.site_id,
  ];
  if (held) {
    await q.query(
      `UPDATE devices SET address = $2, hostname = $3, mac = $4, serial = $5, manufacturer = $6, brand = $7,
         model = $8, firmware = $9, device_type = $10, confidence = $11, restricted = $12, policies = $13,
         open_ports = CASE WHEN $14::jsonb = '[]'::jsonb THEN open_ports ELSE $14::jsonb END,
         identification = $15, last_seen = now(), last_scan_id = $16, site_id = $17
       WHERE id = $1`,
      values,
    );
  } else {
    await q.query(
      `INSERT INTO devices (id, address, hostname, mac, serial, manufacturer, brand, model, firmware,
         device_type, confidence, restricted, policies, open_ports, identification, first_seen, last_seen,
         last_scan_id, site_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15, now(), now(), $16, $17)`,
      values,
    );
  }
  const changes: Recorded["changes"] = {};
  for (const field of TRACKED) {
    const before = held?.[field] ?? null;
    if (next[field] !== before && next[field] !== null) {
      changes[field] = [before, next[field]];
      // A new device's first values are its row (and its audit entry); history keeps what changed after.
      if (held)
        await q.query(
          `INSERT INTO device_history (device_id, field, previous, value, scan_id, at) VALUES ($1, $2, $3, $4, $5, now())`,
          [deviceId, field, before, next[field], scanId],
        );
    }
  }
  // Only a change of identity is audited: a host seen again as it was (last_seen) appends nothing.
  if (!o.batchAudit && Object.keys(changes).length)
    await appendAudit(q, {
      ...o.audit,
      action: held ? "update" : "create",
      entity: "device",
      entityId: deviceId,
      data: { changes, scan: scanId },
    });
  for (const c of conflicts) {
    const { rows } = await q.query<{ id: number }>(
      `INSERT INTO device_conflicts (device_id, field, held, offered, scan_id, at) VALUES ($1, $2, $3, $4, $5, now())
       RETURNING id`,
      [deviceId, c.field, c.held, c.offered, scanId],
    );
    await appendAudit(q, {
      ...o.audit,
      action: "create",
      entity: "conflict",
      entityId: String(rows[0]?.id),
      data: { device: deviceId, ...c, scan: scanId },
    });
  }
  if (host.address)
    await q.query(
      `INSERT INTO scan_hosts (scan_id, address, device_id) VALUES ($1, $2, $3)
         ON CONFLICT (scan_id, address) DO UPDATE SET device_id = EXCLUDED.device_id`,
      [scanId, host.address, deviceId],
    );
  for (const ob of host.observations)
    await q.query(
      `INSERT INTO observations (device_id, scan_id, target, port, protocol, data, observed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [deviceId, scanId, ob.target ?? null, ob.port ?? null, ob.protocol, JSON.stringify(ob), ob.time],
    );
  return { deviceId, created: !held, changes, conflicts };
}

/**
 * For each address, the site whose segment holds it when exactly one does (overlapping private ranges stay
 * unassigned): one query for any number of addresses.
 */
export async function sitesOf(q: Queryable, addresses: (string | null)[]): Promise<(string | null)[]> {
  const wanted = [...new Set(addresses.filter((a): a is string => !!a))];
  if (!wanted.length) return addresses.map(() => null);
  const { rows } = await q.query<{ address: string; sites: string[] }>(
    `SELECT a.address, array_agg(DISTINCT s.site_id) AS sites
       FROM unnest($1::text[]) AS a(address) JOIN segments s ON s.cidr::cidr >>= a.address::inet
      GROUP BY a.address`,
    [wanted],
  );
  const one = new Map(rows.filter((r) => r.sites.length === 1).map((r) => [r.address, r.sites[0]!]));
  return addresses.map((a) => (a ? (one.get(a) ?? null) : null));
}

/**
 * Match order: MAC, then serial, then an address in the same site whose identity does not contradict the record.
 * A device recorded gone (removed, sanitized, closed) is matched by address only when the record names the same
 * maker: the usual replacement is another maker's camera at the old address, and matching it would reopen the
 * removed device and carry its history over. A reinstalled unit still matches by MAC or serial, or by maker.
 */
async function findDevice(
  q: Queryable,
  siteId: string | null,
  address: string | null,
  keys: { mac: string | null; serial: string | null },
  manufacturer: string | null,
): Promise<Held | null> {
  const cols = `id, ${TRACKED.join(", ")}`;
  const first = async (sql: string, params: unknown[]) => (await q.query<Held>(sql, params)).rows[0] ?? null;
  for (const key of ["mac", "serial"] as const) {
    if (!keys[key]) continue;
    const d = await first(`SELECT ${cols} FROM devices WHERE ${key} = $1 ORDER BY last_seen DESC LIMIT 1`, [
      keys[key],
    ]);
    if (d) return d;
  }
  if (!address) return null;
  return first(
    `SELECT ${cols.replace(/(^|, )/g, "$1d.")} FROM devices d LEFT JOIN remediation r ON r.device_id = d.id
      WHERE d.address = $1 AND d.site_id IS NOT DISTINCT FROM $2
       AND (d.mac IS NULL OR $3::text IS NULL OR d.mac = $3)
       AND (d.serial IS NULL OR $4::text IS NULL OR d.serial = $4)
       AND (r.state IS NULL OR r.state NOT IN ${GONE_SQL} OR d.manufacturer = $5)
     ORDER BY d.manufacturer IS NOT DISTINCT FROM $5 DESC, d.last_seen DESC LIMIT 1`,
    [address, siteId, keys.mac, keys.serial, manufacturer],
  );
}

/** A device's stored observations, the latest of each (protocol, port, request): what re-identification reads. */
async function latestObservations(q: Queryable, deviceId: string): Promise<Observation[]> {
  const { rows } = await q.query<{ data: Observation }>(
    `SELECT DISTINCT ON (protocol, port, data->'request') data FROM observations
      WHERE device_id = $1 ORDER BY protocol, port, data->'request', observed_at DESC, id DESC LIMIT 2000`,
    [deviceId],
  );
  return rows.map((r) => r.data);
}
