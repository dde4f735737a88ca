import { randomUUID } from "node:crypto";
import type { Queryable } from "./db.js";
import {
  type HostRecord,
  type Recorded,
  recordDevice,
  type RecordOptions,
  sitesOf,
  TRACKED,
} from "./devices.js";

/**
 * A batch of records (an import's) in a few set-based statements instead of a dozen per record: a million-row
 * import is then bounded by reading and identifying, not by round trips to the database. Records that match a
 * device already held, or that share a key with an earlier record of the batch, take the one-by-one path
 * (recordDevice: merge, history, conflicts); the rest are new devices, inserted together with their history,
 * progress rows and observations. The result is the same as recording each in turn.
 */
export async function recordMany(
  q: Queryable,
  scanId: string,
  hosts: HostRecord[],
  o: RecordOptions = {},
): Promise<Recorded[]> {
  const sites: (string | null)[] =
    o.siteId !== undefined
      ? hosts.map(() => o.siteId ?? null)
      : await sitesOf(
          q,
          hosts.map((h) => h.address),
        );
  const held = await heldKeys(q, hosts);
  const fresh: number[] = [];
  const later: number[] = [];
  const taken = new Set<string>();
  hosts.forEach((h, i) => {
    const keys = keysOf(h, sites[i] ?? null);
    if (keys.some((k) => held.has(k) || taken.has(k))) later.push(i);
    else {
      fresh.push(i);
      for (const k of keys) taken.add(k);
    }
  });
  const out: Recorded[] = new Array(hosts.length);
  if (fresh.length) {
    const ids = await insertNew(
      q,
      scanId,
      fresh.map((i) => ({ host: hosts[i]!, siteId: sites[i] ?? null })),
    );
    fresh.forEach((i, n) => (out[i] = ids[n]!));
  }
  for (const i of later)
    out[i] = await recordDevice(q, scanId, hosts[i]!, {
      ...o,
      siteId: sites[i] ?? undefined,
      batchAudit: true,
    });
  return out;
}

/** Identity keys as devices.ts matches them: MAC, serial, and (site, address). */
function keysOf(h: HostRecord, siteId: string | null): string[] {
  const keys: string[] = [];
  if (h.identification.mac) keys.push(`m ${h.identification.mac}`);
  if (h.identification.serial) keys.push(`s ${h.identification.serial}`);
  if (h.address) keys.push(`a ${siteId ?? ""} ${h.address}`);
  return keys;
}

/** Which of the batch's keys a held device already has (one query for the batch). */
async function heldKeys(q: Queryable, hosts: HostRecord[]): Promise<Set<string>> {
  const macs = [...new Set(hosts.flatMap((h) => (h.identification.mac ? [h.identification.mac] : [])))];
  const serials = [
    ...new Set(hosts.flatMap((h) => (h.identification.serial ? [h.identification.serial] : []))),
  ];
  const addresses = [...new Set(hosts.flatMap((h) => (h.address ? [h.address] : [])))];
  const { rows } = await q.query<{
    mac: string | null;
    serial: string | null;
    address: string | null;
    site_id: string | null;
  }>(
    `SELECT mac, serial, address, site_id FROM devices
      WHERE mac = ANY($1::text[]) OR serial = ANY($2::text[]) OR address = ANY($3::text[])`,
    [macs, serials, addresses],
  );
  const keys = new Set<string>();
  for (const r of rows) {
    if (r.mac) keys.add(`m ${r.mac}`);
    if (r.serial) keys.add(`s ${r.serial}`);
    // An address match also needs the same site; a device at that address elsewhere is another device.
    if (r.address) keys.add(`a ${r.site_id ?? ""} ${r.address}`);
  }
  return keys;
}

async function insertNew(
  q: Queryable,
  scanId: string,
  items: { host: HostRecord; siteId: string | null }[],
): Promise<Recorded[]> {
  const devices = items.map(({ host, siteId }) => {
    const idf = host.identification;
    return {
      id: randomUUID(),
      site_id: siteId,
      address: host.address,
      hostname: host.hostname ?? null,
      mac: idf.mac,
      serial: idf.serial,
      manufacturer: idf.manufacturer,
      brand: idf.brand,
      model: idf.model,
      firmware: idf.firmware,
      device_type: idf.deviceType,
      confidence: idf.confidence,
      restricted: idf.restricted,
      policies: idf.policies,
      open_ports: host.openPorts,
      identification: idf,
    };
  });
  await q.query(
    `INSERT INTO devices (id, site_id, address, hostname, mac, serial, manufacturer, brand, model, firmware,
       device_type, confidence, restricted, policies, open_ports, identification, first_seen, last_seen, last_scan_id)
     SELECT id, site_id, address, hostname, mac, serial, manufacturer, brand, model, firmware, device_type,
       confidence, restricted, policies, open_ports, identification, now(), now(), $2
       FROM jsonb_to_recordset($1::jsonb) AS t(id text, site_id text, address text, hostname text, mac text,
         serial text, manufacturer text, brand text, model text, firmware text, device_type text, confidence real,
         restricted boolean, policies jsonb, open_ports jsonb, identification jsonb)`,
    [JSON.stringify(devices), scanId],
  );
  const hostsDone = devices.flatMap((d) => (d.address ? [{ address: d.address, device_id: d.id }] : []));
  await q.query(
    `INSERT INTO scan_hosts (scan_id, address, device_id)
     SELECT $2, address, device_id FROM jsonb_to_recordset($1::jsonb) AS t(address text, device_id text)
     ON CONFLICT (scan_id, address) DO UPDATE SET device_id = EXCLUDED.device_id`,
    [JSON.stringify(hostsDone), scanId],
  );
  let order = 0;
  const observations = items.flatMap(({ host }, n) =>
    host.observations.map((ob) => ({
      n: order++,
      device_id: devices[n]!.id,
      target: ob.target ?? null,
      port: ob.port ?? null,
      protocol: ob.protocol,
      data: ob,
      observed_at: ob.time,
    })),
  );
  // Observations keep the order they were made in (their ids), as one-by-one recording would.
  await q.query(
    `INSERT INTO observations (device_id, scan_id, target, port, protocol, data, observed_at)
     SELECT device_id, $2, target, port, protocol, data, observed_at
       FROM jsonb_to_recordset($1::jsonb) AS t(n integer, device_id text, target text, port integer,
         protocol text, data jsonb, observed_at timestamptz)
      ORDER BY n`,
    [JSON.stringify(observations), scanId],
  );
  return devices.map((d) => ({
    deviceId: d.id,
    created: true,
    changes: Object.fromEntries(TRACKED.flatMap((f) => (d[f] !== null ? [[f, [null, d[f]]]] : []))),
    conflicts: [],
  }));
}
