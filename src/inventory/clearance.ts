import { GONE_SQL } from "../remediation/states.js";
import type { Queryable } from "./db.js";
import { iso } from "./device-list.js";

/**
 * Verified absence, per site: a site is "verified clear" only when a scan that swept it whole finished after its
 * latest removal (and nothing it removed has been seen since: a reopened device makes it not clear). Whole means
 * every address of each IPv4 segment but the network and broadcast ones, as the scan recorded them finished
 * (scan_hosts holds the silent hosts too); a site with no IPv4 segment is swept when every removed device's address
 * was. Imports do not count: a CMDB export cannot show that a device is gone.
 */
export interface SiteClearance {
  siteId: string;
  lastRemoval: string | null;
  /** the latest whole sweep finished after the latest removal */
  lastSweep: string | null;
  reopened: number;
  /** null: nothing was removed there */
  verifiedClear: boolean | null;
}

/** Scans looked at per site, newest first: a sweep older than the tenth later scan is not worth finding. */
const SCANS_TRIED = 10;

export async function siteClearance(q: Queryable, siteIds: readonly string[]): Promise<SiteClearance[]> {
  // Only devices with a workflow record count here: the join starts from those few, not from every device.
  const { rows } = await q.query<{ site_id: string; last_removal: Date | string | null; reopened: number }>(
    `SELECT s.id AS site_id,
            max(r.removed_at) FILTER (WHERE r.state IN ${GONE_SQL}) AS last_removal,
            count(r.device_id) FILTER (WHERE r.state = 'reopened')::int AS reopened
       FROM sites s LEFT JOIN (remediation r JOIN devices d ON d.id = r.device_id) ON d.site_id = s.id
      WHERE s.id = ANY($1::text[]) GROUP BY s.id ORDER BY s.id`,
    [siteIds],
  );
  const out: SiteClearance[] = [];
  for (const r of rows) {
    const lastRemoval = r.last_removal ? iso(r.last_removal) : null;
    const lastSweep = lastRemoval ? await sweptSince(q, r.site_id, lastRemoval) : null;
    out.push({
      siteId: r.site_id,
      lastRemoval,
      lastSweep,
      reopened: r.reopened,
      verifiedClear: lastRemoval === null && r.reopened === 0 ? null : lastSweep !== null && r.reopened === 0,
    });
  }
  return out;
}

/**
 * When the latest scan that swept the site whole finished after `since`; null when none did. A segment's hosts are
 * a range of the scan's addresses as numbers (migrations/015_sweep_index.sql), read from one index.
 */
async function sweptSince(q: Queryable, siteId: string, since: string): Promise<string | null> {
  const { rows: scans } = await q.query<{ id: string; finished_at: Date | string }>(
    `SELECT id, finished_at FROM scans WHERE kind = 'scan' AND status = 'done' AND finished_at > $1
      ORDER BY finished_at DESC LIMIT ${SCANS_TRIED}`,
    [since],
  );
  for (const scan of scans) {
    const { rows } = await q.query<{ missing: number }>(
      `WITH seg AS (
         SELECT cidr::inet AS net FROM segments WHERE site_id = $2 AND family(cidr::inet) = 4),
       need AS (
         SELECT net, CASE WHEN masklen(net) >= 31 THEN 2 ^ (32 - masklen(net)) ELSE 2 ^ (32 - masklen(net)) - 2 END AS n
           FROM seg),
       gone AS (
         SELECT d.address FROM devices d JOIN remediation r ON r.device_id = d.id
          WHERE d.site_id = $2 AND r.state IN ${GONE_SQL} AND d.address IS NOT NULL)
       SELECT CASE WHEN EXISTS (SELECT 1 FROM seg)
         THEN (SELECT count(*) FROM need WHERE (SELECT count(*) FROM scan_hosts h
                 WHERE h.scan_id = $1
                   AND camsweep_ipv4_number(h.address)
                       BETWEEN network(need.net) - '0.0.0.0'::inet AND broadcast(need.net) - '0.0.0.0'::inet) < need.n)
         ELSE (SELECT count(*) FROM gone WHERE NOT EXISTS (
                 SELECT 1 FROM scan_hosts h WHERE h.scan_id = $1 AND h.address = gone.address))
         END::int AS missing`,
      [scan.id, siteId],
    );
    if (rows[0]?.missing === 0) return iso(scan.finished_at);
  }
  return null;
}
