import { GONE_SQL } from "../remediation/states.js";
import { STATUSES, type StoredStatus } from "./assessments.js";
import type { Queryable } from "./db.js";
import { iso } from "./device-list.js";

/** Compliance of one site (or of the devices on no site: site and organization null). */
export interface SiteCompliance {
  organizationId: string | null;
  organizationName: string | null;
  organizationType: string | null;
  siteId: string | null;
  siteName: string | null;
  criticality: string | null;
  devices: number;
  /** devices still on the network by verdict (removed ones are not counted here; prohibited excludes excepted) */
  counts: Record<StoredStatus, number>;
  /** prohibited devices an approved exception covers as of the day asked */
  excepted: number;
  /** prohibited devices whose exception expired and that have no other: counted in prohibited too */
  lapsed: number;
  /** recorded removed, sanitized or closed */
  removed: number;
  /** removed devices a later scan or import saw again (counted by verdict too: they are back) */
  reopened: number;
  /** devices no assessment has judged yet */
  unassessed: number;
  /** seen again, or moved to another site, since their assessment: its verdict may be out of date */
  stale: number;
  /** devices with at least one KEV vulnerability matched */
  kev: number;
  /** when the latest of its devices recorded gone was removed (site clearance starts from it) */
  lastRemoval: string | null;
}

/** Devices still on the network by manufacturer, and how many of them are prohibited (exceptions aside). */
export interface ManufacturerCount {
  manufacturer: string | null;
  devices: number;
  prohibited: number;
}

/** Removed, sanitized or closed: gone from the network as far as anyone has recorded (src/remediation/states.ts). */
const GONE = `COALESCE(r.state IN ${GONE_SQL}, false)`;
/**
 * Each device's exceptions in one pass, hash-joined (a correlated test per device made the planner's estimate so high
 * that PostgreSQL compiled the query with JIT every time: 1.3 s of 1.75 s at 100,000 devices). `excepted`: an
 * approved exception whose last day ($1) has not passed; `lapsed`: one that expired.
 */
const EXCEPTIONS_JOIN = `LEFT JOIN (SELECT device_id,
    bool_or(state = 'approved' AND expires_on >= $1) AS excepted,
    bool_or(state = 'expired' OR (state = 'approved' AND expires_on < $1)) AS lapsed
    FROM exceptions GROUP BY device_id) x ON x.device_id = d.id`;
const EXCEPTED = "COALESCE(x.excepted, false)";
const LAPSED = "COALESCE(x.lapsed, false)";

type CountName =
  "devices" | StoredStatus | "excepted" | "lapsed" | "removed" | "reopened" | "unassessed" | "stale" | "kev";
type Counted = Record<CountName, number>;

const COUNTS = `count(d.id)::int AS devices,
  ${STATUSES.map((s) => `count(a.device_id) FILTER (WHERE a.status = '${s}' AND NOT ${GONE}${s === "prohibited" ? ` AND NOT ${EXCEPTED}` : ""})::int AS ${s}`).join(",\n  ")},
  count(a.device_id) FILTER (WHERE a.status = 'prohibited' AND NOT ${GONE} AND ${EXCEPTED})::int AS excepted,
  count(a.device_id) FILTER (WHERE a.status = 'prohibited' AND NOT ${GONE} AND NOT ${EXCEPTED}
    AND ${LAPSED})::int AS lapsed,
  count(d.id) FILTER (WHERE ${GONE})::int AS removed,
  count(d.id) FILTER (WHERE r.state = 'reopened')::int AS reopened,
  count(d.id) FILTER (WHERE a.device_id IS NULL)::int AS unassessed,
  count(a.device_id) FILTER (WHERE (a.assessed_at < d.last_seen OR a.site_id IS DISTINCT FROM d.site_id)
    AND NOT ${GONE})::int AS stale,
  count(a.device_id) FILTER (WHERE a.kev > 0 AND NOT ${GONE})::int AS kev`;

interface GroupRow extends Counted {
  by_site: number;
  site_id: string | null;
  manufacturer: string | null;
  last_removal: Date | string | null;
  present: number;
  present_prohibited: number;
}

/**
 * The overview's counts in one pass over the devices, their verdicts, workflow and exceptions: per site (every site
 * of the organizations asked, one with no device showing zeros, then the devices on no site when no organization is
 * asked) and per manufacturer. Grouping sets read the join once for both: on the embedded PGlite at 100,000 devices
 * each pass was a few hundred milliseconds of the overview's one second (docs/benchmarks.md).
 */
export async function complianceCounts(
  q: Queryable,
  organizationId: string | null,
  today: string,
): Promise<{ sites: SiteCompliance[]; manufacturers: ManufacturerCount[] }> {
  const org = organizationId !== null;
  const { rows: groups } = await q.query<GroupRow>(
    `SELECT GROUPING(d.manufacturer) AS by_site, d.site_id, d.manufacturer, ${COUNTS},
            max(r.removed_at) FILTER (WHERE ${GONE}) AS last_removal,
            count(d.id) FILTER (WHERE NOT ${GONE})::int AS present,
            count(a.device_id) FILTER (WHERE a.status = 'prohibited' AND NOT ${GONE})::int AS present_prohibited
       FROM devices d LEFT JOIN device_assessments a ON a.device_id = d.id
            LEFT JOIN remediation r ON r.device_id = d.id ${EXCEPTIONS_JOIN}
      ${org ? "WHERE d.site_id IN (SELECT id FROM sites WHERE organization_id = $2)" : ""}
      GROUP BY GROUPING SETS ((d.site_id), (d.manufacturer))`,
    org ? [today, organizationId] : [today],
  );
  const { rows: sites } = await q.query<{
    org_id: string;
    org_name: string;
    org_type: string;
    site_id: string;
    site_name: string;
    criticality: string | null;
  }>(
    `SELECT o.id AS org_id, o.name AS org_name, o.type AS org_type, s.id AS site_id, s.name AS site_name,
            s.criticality
       FROM sites s JOIN organizations o ON o.id = s.organization_id
      ${org ? "WHERE o.id = $1" : ""} ORDER BY o.id, s.id`,
    org ? [organizationId] : [],
  );
  const bySite = new Map(groups.filter((g) => g.by_site === 1).map((g) => [g.site_id, g]));
  const out: SiteCompliance[] = sites.map((s) =>
    siteCompliance(
      {
        organizationId: s.org_id,
        organizationName: s.org_name,
        organizationType: s.org_type,
        siteId: s.site_id,
        siteName: s.site_name,
        criticality: s.criticality,
      },
      bySite.get(s.site_id),
    ),
  );
  const loose = bySite.get(null);
  if (!org && loose && loose.devices > 0)
    out.push(
      siteCompliance(
        {
          organizationId: null,
          organizationName: null,
          organizationType: null,
          siteId: null,
          siteName: null,
          criticality: null,
        },
        loose,
      ),
    );
  const manufacturers = groups
    .filter((g) => g.by_site === 0 && g.present > 0)
    .map((g) => ({ manufacturer: g.manufacturer, devices: g.present, prohibited: g.present_prohibited }))
    .sort((a, b) => b.devices - a.devices || (a.manufacturer ?? "~").localeCompare(b.manufacturer ?? "~"));
  return { sites: out, manufacturers };
}

/**
 * Per organization and site, the devices by their latest verdict: every site (one with no device shows zeros), then
 * the devices on no site. `organizationId` narrows to one organization (and leaves the siteless out).
 */
export async function complianceBySite(
  q: Queryable,
  organizationId: string | null,
  today: string,
): Promise<SiteCompliance[]> {
  return (await complianceCounts(q, organizationId, today)).sites;
}

function siteCompliance(
  where: Pick<
    SiteCompliance,
    "organizationId" | "organizationName" | "organizationType" | "siteId" | "siteName" | "criticality"
  >,
  g: GroupRow | undefined,
): SiteCompliance {
  const n = (k: CountName) => g?.[k] ?? 0;
  return {
    ...where,
    devices: n("devices"),
    counts: {
      prohibited: n("prohibited"),
      advisory: n("advisory"),
      allowed: n("allowed"),
      unowned: n("unowned"),
    },
    excepted: n("excepted"),
    lapsed: n("lapsed"),
    removed: n("removed"),
    reopened: n("reopened"),
    unassessed: n("unassessed"),
    stale: n("stale"),
    kev: n("kev"),
    lastRemoval: g?.last_removal ? iso(g.last_removal) : null,
  };
}
