import type { Identification } from "../identify/identification.js";
import { UsageError } from "../shared/errors.js";

/**
 * The device list: its filters, its order, and its pages. Its order is one key per device
 * (camsweep_list_key, migrations/006_device_list.sql): restricted first, then manufacturer, then address. An
 * index holds that key, so a page of a million devices is a short range of the index, and the next page starts
 * after the last key shown (keyset paging: page 5,000 is as fast as page 1, and stays right while devices are
 * added).
 */

export interface DeviceFilter {
  restricted?: boolean;
  manufacturer?: string;
  site?: string;
  organization?: string;
}

export interface DevicePage {
  /** at most this many devices */
  limit?: number;
  /** start after this cursor (from an earlier page's `next`) */
  after?: string;
}

/** A device as stored. */
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
  siteId: string | null;
}

export interface DeviceRow {
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
  site_id: string | null;
  list_key: string;
}

/** Written as the index is (006_device_list.sql), so the planner reads the order from it. */
const LIST_KEY = `camsweep_list_key(restricted, manufacturer, address) COLLATE "C"`;

/** The list's query: the filter's conditions, after the cursor, in the list's order. */
export function deviceQuery(filter: DeviceFilter, page: DevicePage = {}): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (cond: (...n: string[]) => string, ...values: unknown[]) => {
    const names = values.map((v) => `$${params.push(v)}`);
    where.push(cond(...names));
  };
  if (filter.restricted !== undefined) add((n) => `restricted = ${n}`, filter.restricted);
  if (filter.manufacturer) add((n) => `manufacturer = ${n}`, filter.manufacturer.toLowerCase());
  if (filter.site) add((n) => `site_id = ${n}`, filter.site);
  if (filter.organization)
    add((n) => `site_id IN (SELECT id FROM sites WHERE organization_id = ${n})`, filter.organization);
  if (page.after) {
    const [key, id] = decodeCursor(page.after);
    add((k, i) => `(${LIST_KEY}, id) > (${k}, ${i})`, key, id);
  }
  const limit = page.limit === undefined ? "" : ` LIMIT ${Math.max(0, Math.floor(page.limit))}`;
  const sql = `SELECT *, ${LIST_KEY} AS list_key FROM devices ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
               ORDER BY ${LIST_KEY}, id${limit}`;
  return { sql, params };
}

/** The cursor after a row: its list key and id, as one opaque URL-safe token. */
export function cursorAfter(row: Pick<DeviceRow, "list_key" | "id">): string {
  return Buffer.from(JSON.stringify([row.list_key, row.id]), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): [string, string] {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    v = null;
  }
  if (
    !Array.isArray(v) ||
    v.length !== 2 ||
    typeof v[0] !== "string" ||
    typeof v[1] !== "string" ||
    cursor.length > 2048
  )
    throw new UsageError(`"${cursor.slice(0, 40)}" is not a device-list cursor that camsweep gave`);
  return [v[0], v[1]];
}

export const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

export function toRecord(r: DeviceRow): DeviceRecord {
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
    siteId: r.site_id ?? null,
  };
}
