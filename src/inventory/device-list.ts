import type { Identification } from "../identify/identification.js";
import { UsageError } from "../shared/errors.js";
import { DEVICE_SORTS, type DeviceSort } from "../shared/wire/lists.js";

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
  /** words a person typed: the address starts with them, or the hostname, model, maker, brand, serial or MAC holds them */
  text?: string;
}

/** The orders a list can have, each read from its own index (006 and 012). */
// The orders are the wire's (the web app offers them too).
export { DEVICE_SORTS, type DeviceSort };

export interface DevicePage {
  /** at most this many devices */
  limit?: number;
  /** start after this cursor (from an earlier page's `next`, made with the same sort) */
  after?: string;
  /** default: restricted first, then manufacturer, then address */
  sort?: DeviceSort;
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

/** Written as the indexes are (006_device_list.sql, 012_device_sorts.sql), so the planner reads the order from them. */
const LIST_KEY = `camsweep_list_key(d.restricted, d.manufacturer, d.address) COLLATE "C"`;
const ADDRESS_KEY = `camsweep_address_key(d.address) COLLATE "C"`;
/** last_seen to the microsecond, as text that casts back exactly (a JavaScript Date would drop the microseconds) */
const SEEN_KEY = `to_char(d.last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

const SORTS: Record<DeviceSort, { key: string; order: string; after: (k: string, i: string) => string }> = {
  default: {
    key: LIST_KEY,
    order: `${LIST_KEY}, d.id`,
    after: (k, i) => `(${LIST_KEY}, d.id) > (${k}, ${i})`,
  },
  address: {
    key: ADDRESS_KEY,
    order: `${ADDRESS_KEY}, d.id`,
    after: (k, i) => `(${ADDRESS_KEY}, d.id) > (${k}, ${i})`,
  },
  // Newest first: the index on (last_seen, id) read backwards.
  "last-seen": {
    key: SEEN_KEY,
    order: "d.last_seen DESC, d.id DESC",
    after: (k, i) => `(d.last_seen, d.id) < ((${k})::timestamp AT TIME ZONE 'UTC', ${i})`,
  },
};

/** A LIKE pattern that matches the text itself: its wildcards are escaped. */
const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The columns the list's pages show (device-browse.ts): not the identification, which is large and never listed. */
export const LISTED_COLUMNS = [
  "id",
  "address",
  "hostname",
  "mac",
  "serial",
  "manufacturer",
  "brand",
  "model",
  "firmware",
  "device_type",
  "confidence",
  "restricted",
  "first_seen",
  "last_seen",
  "site_id",
] as const;

/**
 * A search (`q`) matches a device whose address starts with the words, or whose hostname, model, manufacturer,
 * brand, serial or MAC holds them, case aside. Those six are kept lower-cased in two texts, each joined by line
 * feeds (migrations/017_search_split.sql): `search_names` (hostname, serial, MAC) and `search_ident` (model,
 * manufacturer, brand), whose distinct values per maker device_idents holds.
 */
const NAMES_MATCH = (starts: string, holds: string) =>
  `(d.address LIKE ${starts} OR d.search_names LIKE lower(${holds}))`;
const SEARCH = (starts: string, holds: string) =>
  `(${NAMES_MATCH(starts, holds)} OR d.search_ident LIKE lower(${holds}))`;

/**
 * The list's query over `devices d`: the filter's conditions, after the cursor, in the sort's order; each row is
 * `select` (default `d.*`) and its `list_key`. `count` asks how many the filter selects instead.
 *
 * Three forms read an index range where a filter alone would walk the whole list (docs/benchmarks.md, device list):
 * - `restricted` in the default order is also a range of the key, whose first character is 0 (restricted) or 1;
 * - an organization's page in the default order is one short range of devices_site_list per site of it (at most a
 *   page each), merged: the cost is sites × page however few of the list's devices the organization holds;
 * - a search in the default order is two merged: the devices whose names match (trigram index or walk), and, for
 *   each maker some of whose devices' model, maker or brand could match (device_idents), that maker's part of the
 *   list walked for the ones that do. A term only Hikvision models hold never walks past Dahua's devices.
 * Each selects exactly the rows, in exactly the order, of the plain filter (device-list.test.ts compares them).
 */
export function deviceQuery(
  filter: DeviceFilter,
  page: DevicePage = {},
  extra: { select?: string; count?: boolean } = {},
): { sql: string; params: unknown[] } {
  const sortName = page.sort ?? "default";
  const sort = SORTS[sortName];
  const limit = page.limit === undefined ? undefined : Math.max(0, Math.floor(page.limit));
  const perSite = !extra.count && filter.organization && sortName === "default" && limit !== undefined;
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (cond: (...n: string[]) => string, ...values: unknown[]) => {
    const names = values.map((v) => `$${params.push(v)}`);
    where.push(cond(...names));
  };
  if (filter.restricted !== undefined) {
    add((n) => `d.restricted = ${n}`, filter.restricted);
    if (sortName === "default" && !extra.count)
      where.push(`${LIST_KEY} ${filter.restricted ? "<" : ">="} '1'`);
  }
  if (filter.manufacturer) add((n) => `d.manufacturer = ${n}`, filter.manufacturer.toLowerCase());
  if (filter.site) add((n) => `d.site_id = ${n}`, filter.site);
  if (filter.organization && !perSite)
    add((n) => `d.site_id IN (SELECT id FROM sites WHERE organization_id = ${n})`, filter.organization);
  const text = filter.text?.trim();
  let search: [starts: string, holds: string] | undefined;
  if (text) {
    // A control character could match across two of the joined columns; no one types one into a search.
    if (/[\u0000-\u001f\u007f]/.test(text))
      throw new Error("a device search may not hold control characters");
    search = [`$${params.push(`${literal(text)}%`)}`, `$${params.push(`%${literal(text)}%`)}`];
  }
  if (page.after) {
    const [key, id] = decodeCursor(page.after, sortName);
    add(sort.after, key, id);
  }
  const filtered = (more: string[] = []) => {
    const all = [...more, ...where];
    return all.length ? `WHERE ${all.join(" AND ")}` : "";
  };
  const limited = limit === undefined ? "" : ` LIMIT ${limit}`;
  if (search && sortName === "default" && !extra.count && !perSite) {
    const [starts, holds] = search;
    const part = (more: string[]) =>
      `SELECT d.id, ${LIST_KEY} AS list_key FROM devices d ${filtered(more)} ORDER BY ${sort.order}${limited}`;
    const sql = `SELECT ${extra.select ?? "d.*"}, m.list_key FROM (
                   (${part([NAMES_MATCH(starts, holds)])})
                   UNION
                   (SELECT x.id, x.list_key
                      FROM (SELECT DISTINCT prefix, left(prefix, -1) || '!' AS past FROM device_idents
                             WHERE ident LIKE lower(${holds})) g
                     CROSS JOIN LATERAL (${part([`${LIST_KEY} >= g.prefix`, `${LIST_KEY} < g.past`, `d.search_ident LIKE lower(${holds})`])}) x
                     ORDER BY x.list_key COLLATE "C", x.id${limited})) m
                 JOIN devices d ON d.id = m.id
                 ORDER BY m.list_key COLLATE "C", m.id${limited}`;
    return { sql, params };
  }
  if (search) where.push(SEARCH(...search));
  if (extra.count) return { sql: `SELECT count(*)::int AS n FROM devices d ${filtered()}`, params };
  const select = `${extra.select ?? "d.*"}, ${sort.key} AS list_key`;
  if (perSite) {
    const org = `$${params.push(filter.organization)}`;
    const sql = `SELECT x.* FROM sites s CROSS JOIN LATERAL (
                   SELECT ${select} FROM devices d ${filtered(["d.site_id = s.id"])}
                    ORDER BY ${sort.order}${limited}) x
                 WHERE s.organization_id = ${org}
                 ORDER BY x.list_key COLLATE "C", x.id${limited}`;
    return { sql, params };
  }
  const sql = `SELECT ${select} FROM devices d ${filtered()} ORDER BY ${sort.order}${limited}`;
  return { sql, params };
}

/** The sort's ORDER BY over a devices row named `d` (a page's rows, joined again after they were chosen). */
export const sortOrder = (sort: DeviceSort = "default") => SORTS[sort].order;

/** The cursor after a row: its list key and id, as one opaque URL-safe token. */
export function cursorAfter(row: Pick<DeviceRow, "list_key" | "id">, sort: DeviceSort = "default"): string {
  const v = sort === "default" ? [row.list_key, row.id] : [row.list_key, row.id, sort];
  return Buffer.from(JSON.stringify(v), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string, sort: DeviceSort = "default"): [string, string] {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    v = null;
  }
  if (
    !Array.isArray(v) ||
    (v.length !== 2 && v.length !== 3) ||
    typeof v[0] !== "string" ||
    typeof v[1] !== "string" ||
    cursor.length > 2048
  )
    throw new UsageError(`"${cursor.slice(0, 40)}" is not a device-list cursor that camsweep gave`);
  if ((v[2] ?? "default") !== sort)
    throw new UsageError(`this cursor pages the list sorted by ${String(v[2] ?? "default")}, not by ${sort}`);
  return [v[0], v[1]];
}

export const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

/** A device as the list shows it: the listed columns (LISTED_COLUMNS) of its row. */
export type ListedRecord = Omit<DeviceRecord, "identification" | "policies" | "openPorts">;

export function toListed(r: Pick<DeviceRow, (typeof LISTED_COLUMNS)[number]>): ListedRecord {
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
    firstSeen: iso(r.first_seen),
    lastSeen: iso(r.last_seen),
    siteId: r.site_id ?? null,
  };
}

export function toRecord(r: DeviceRow): DeviceRecord {
  return { ...toListed(r), policies: r.policies, openPorts: r.open_ports, identification: r.identification };
}
