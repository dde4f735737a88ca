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
  return clearanceOf(
    q,
    rows.map((r) => ({
      siteId: r.site_id,
      lastRemoval: r.last_removal ? iso(r.last_removal) : null,
      reopened: r.reopened,
    })),
  );
}

/**
 * The clearance of sites whose latest removal and reopened devices are known already (the overview's counts hold
 * them): the sweeps of every site that had a removal are found in one statement.
 */
export async function clearanceOf(
  q: Queryable,
  sites: readonly { siteId: string; lastRemoval: string | null; reopened: number }[],
): Promise<SiteClearance[]> {
  const removed = sites.filter((s) => s.lastRemoval !== null);
  const swept = new Map<string, string>();
  if (removed.length) {
    const { rows } = await q.query<{ site_id: string; last_sweep: Date | string }>(SWEPT_SINCE, [
      removed.map((s) => s.siteId),
      removed.map((s) => s.lastRemoval),
    ]);
    for (const r of rows) swept.set(r.site_id, iso(r.last_sweep));
  }
  return sites.map((s) => {
    const lastSweep = swept.get(s.siteId) ?? null;
    return {
      siteId: s.siteId,
      lastRemoval: s.lastRemoval,
      lastSweep,
      reopened: s.reopened,
      verifiedClear:
        s.lastRemoval === null && s.reopened === 0 ? null : lastSweep !== null && s.reopened === 0,
    };
  });
}

/**
 * Per site ($1) and its latest removal ($2), when the latest scan that swept it whole finished after that removal:
 * of the ten newest scans since, the newest with nothing missing (no row: none did). With IPv4 segments, nothing
 * missing is every segment's hosts recorded, its hosts a range of the scan's addresses as numbers
 * (migrations/015_sweep_index.sql) read from one index; without, every removed device's address recorded.
 */
const SWEPT_SINCE = `
  WITH want AS (SELECT * FROM unnest($1::text[], $2::timestamptz[]) AS w(site_id, since)),
  tried AS (
    SELECT w.site_id, sc.id AS scan_id, sc.finished_at
      FROM want w CROSS JOIN LATERAL (
        SELECT id, finished_at FROM scans WHERE kind = 'scan' AND status = 'done' AND finished_at > w.since
         ORDER BY finished_at DESC LIMIT ${SCANS_TRIED}) sc),
  seg AS (
    SELECT site_id, net,
           CASE WHEN masklen(net) >= 31 THEN 2 ^ (32 - masklen(net)) ELSE 2 ^ (32 - masklen(net)) - 2 END AS n
      FROM (SELECT site_id, cidr::inet AS net FROM segments
             WHERE site_id = ANY($1::text[]) AND family(cidr::inet) = 4) s)
  SELECT t.site_id, max(t.finished_at) AS last_sweep
    FROM tried t
   WHERE CASE WHEN EXISTS (SELECT 1 FROM seg WHERE seg.site_id = t.site_id)
     THEN NOT EXISTS (SELECT 1 FROM seg WHERE seg.site_id = t.site_id AND (SELECT count(*) FROM scan_hosts h
            WHERE h.scan_id = t.scan_id
              AND camsweep_ipv4_number(h.address)
                  BETWEEN network(seg.net) - '0.0.0.0'::inet AND broadcast(seg.net) - '0.0.0.0'::inet) < seg.n)
     ELSE NOT EXISTS (SELECT 1 FROM devices d JOIN remediation r ON r.device_id = d.id
            WHERE d.site_id = t.site_id AND r.state IN ${GONE_SQL} AND d.address IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM scan_hosts h WHERE h.scan_id = t.scan_id AND h.address = d.address))
     END
   GROUP BY t.site_id`;
