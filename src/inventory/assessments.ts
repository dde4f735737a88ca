import { GONE_SQL } from "../remediation/states.js";
import type { Identification } from "../identify/identification.js";
import { appendAudit, type AuditContext } from "./audit.js";
import type { Queryable } from "./db.js";
import { iso } from "./device-list.js";
import type { Criticality, Organization } from "./organizations.js";

/**
 * Assessment runs and each device's latest verdict (migrations/007_assessment.sql). The verdicts are computed by
 * src/assess; this file only reads what they need and writes what they say.
 */

export type StoredStatus = "prohibited" | "advisory" | "allowed" | "unowned";
const STATUSES: readonly StoredStatus[] = ["prohibited", "advisory", "allowed", "unowned"];

/** What an assessment reads of a device and of its owner. */
export interface DeviceToAssess {
  id: string;
  address: string | null;
  identification: Identification;
  exposure: { internet: boolean; source: string } | null;
  owner: {
    organization: Pick<Organization, "id" | "type" | "jurisdiction" | "sectors">;
    site: { id: string; criticality: Criticality };
  } | null;
}

interface ToAssessRow {
  id: string;
  address: string | null;
  identification: Identification;
  internet_exposed: boolean | null;
  exposure_source: string | null;
  site_id: string | null;
  criticality: Criticality | null;
  org_id: string | null;
  org_type: Organization["type"] | null;
  jurisdiction: string | null;
  sectors: Organization["sectors"] | null;
}

/** The next page of devices to assess after `after` (by id), optionally one organization's only. */
export async function devicesToAssess(
  q: Queryable,
  organizationId: string | null,
  after: string | null,
  limit: number,
): Promise<DeviceToAssess[]> {
  const params: unknown[] = [limit];
  const where: string[] = [];
  if (after !== null) where.push(`d.id > $${params.push(after)}`);
  if (organizationId !== null) where.push(`o.id = $${params.push(organizationId)}`);
  const { rows } = await q.query<ToAssessRow>(
    `SELECT d.id, d.address, d.identification, d.internet_exposed, d.exposure_source, d.site_id, s.criticality,
            o.id AS org_id, o.type AS org_type, o.jurisdiction, o.sectors
       FROM devices d LEFT JOIN sites s ON s.id = d.site_id LEFT JOIN organizations o ON o.id = s.organization_id
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY d.id LIMIT $1`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    address: r.address,
    identification: r.identification,
    exposure:
      r.internet_exposed === null
        ? null
        : { internet: r.internet_exposed, source: r.exposure_source ?? "stated" },
    owner:
      r.site_id && r.org_id && r.org_type && r.jurisdiction
        ? {
            organization: {
              id: r.org_id,
              type: r.org_type,
              jurisdiction: r.jurisdiction,
              sectors: r.sectors ?? [],
            },
            site: { id: r.site_id, criticality: r.criticality ?? "normal" },
          }
        : null,
  }));
}

export interface AssessmentRun {
  organizationId: string | null;
  packs: { id: string; file: string; sha256: string }[];
  knowledge: Record<string, { file: string; sha256: string }>;
  day: string;
}

export async function beginAssessment(
  q: Queryable,
  id: string,
  run: AssessmentRun,
  ctx: AuditContext,
): Promise<void> {
  await q.query(
    `INSERT INTO assessments (id, started_at, organization_id, packs, knowledge, day)
     VALUES ($1, now(), $2, $3, $4, $5)`,
    [id, run.organizationId, JSON.stringify(run.packs), JSON.stringify(run.knowledge), run.day],
  );
  await appendAudit(q, { ...ctx, action: "start", entity: "assessment", entityId: id, data: run });
}

/** One device's result as stored. */
export interface StoredAssessment {
  deviceId: string;
  organizationId: string | null;
  siteId: string | null;
  status: StoredStatus;
  risk: number;
  riskLevel: string;
  kev: number;
  findings: unknown;
}

/**
 * Writes a page of results, replacing each device's previous one. Returns how many devices changed status, as
 * "from>to" counts (a first assessment counts from "none").
 */
export async function saveAssessments(
  q: Queryable,
  assessmentId: string,
  results: readonly StoredAssessment[],
): Promise<Record<string, number>> {
  if (!results.length) return {};
  const { rows: before } = await q.query<{ device_id: string; status: string }>(
    "SELECT device_id, status FROM device_assessments WHERE device_id = ANY($1::text[])",
    [results.map((r) => r.deviceId)],
  );
  const was = new Map(before.map((r) => [r.device_id, r.status]));
  const changes: Record<string, number> = {};
  for (const r of results) {
    const from = was.get(r.deviceId) ?? "none";
    if (from !== r.status) changes[`${from}>${r.status}`] = (changes[`${from}>${r.status}`] ?? 0) + 1;
  }
  // One statement per page: arrays unnested into rows keep the parameter count fixed whatever the page size.
  await q.query(
    `INSERT INTO device_assessments
       (device_id, assessment_id, organization_id, site_id, status, risk, risk_level, kev, findings, assessed_at)
     SELECT u.device_id, $1, u.organization_id, u.site_id, u.status, u.risk, u.risk_level, u.kev, u.findings::jsonb, now()
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::int[], $9::text[])
         AS u(device_id, organization_id, site_id, status, risk, risk_level, kev, findings)
     ON CONFLICT (device_id) DO UPDATE SET
       assessment_id = EXCLUDED.assessment_id, organization_id = EXCLUDED.organization_id,
       site_id = EXCLUDED.site_id, status = EXCLUDED.status, risk = EXCLUDED.risk,
       risk_level = EXCLUDED.risk_level, kev = EXCLUDED.kev, findings = EXCLUDED.findings,
       assessed_at = EXCLUDED.assessed_at`,
    [
      assessmentId,
      results.map((r) => r.deviceId),
      results.map((r) => r.organizationId),
      results.map((r) => r.siteId),
      results.map((r) => r.status),
      results.map((r) => r.risk),
      results.map((r) => r.riskLevel),
      results.map((r) => r.kev),
      results.map((r) => JSON.stringify(r.findings)),
    ],
  );
  return changes;
}

export async function finishAssessment(
  q: Queryable,
  id: string,
  status: "done" | "failed",
  summary: { devices: number; counts: Record<string, number>; changes: Record<string, number> },
  ctx: AuditContext,
): Promise<void> {
  await q.query(
    "UPDATE assessments SET finished_at = now(), status = $2, device_count = $3, counts = $4 WHERE id = $1",
    [id, status, summary.devices, JSON.stringify(summary.counts)],
  );
  await appendAudit(q, {
    ...ctx,
    action: "finish",
    entity: "assessment",
    entityId: id,
    data: { status, ...summary },
  });
}

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
}

interface ComplianceRow {
  org_id: string | null;
  org_name: string | null;
  org_type: string | null;
  site_id: string | null;
  site_name: string | null;
  criticality: string | null;
  devices: number;
  prohibited: number;
  advisory: number;
  allowed: number;
  unowned: number;
  excepted: number;
  lapsed: number;
  removed: number;
  reopened: number;
  unassessed: number;
  stale: number;
  kev: number;
}

/** Removed, sanitized or closed: gone from the network as far as anyone has recorded (src/remediation/states.ts). */
const GONE = `r.state IN ${GONE_SQL}`;
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
/** What every count reads: the device, its latest verdict, its workflow and its exceptions. */
const COUNTED = `devices d LEFT JOIN device_assessments a ON a.device_id = d.id
  LEFT JOIN remediation r ON r.device_id = d.id ${EXCEPTIONS_JOIN}`;
const COUNT_NAMES = [
  "devices",
  ...STATUSES,
  "excepted",
  "lapsed",
  "removed",
  "reopened",
  "unassessed",
  "stale",
  "kev",
] as const;

const COUNTS = `count(d.id)::int AS devices,
  ${STATUSES.map((s) => `count(a.device_id) FILTER (WHERE a.status = '${s}' AND NOT COALESCE(${GONE}, false)${s === "prohibited" ? ` AND NOT ${EXCEPTED}` : ""})::int AS ${s}`).join(",\n  ")},
  count(a.device_id) FILTER (WHERE a.status = 'prohibited' AND NOT COALESCE(${GONE}, false) AND ${EXCEPTED})::int AS excepted,
  count(a.device_id) FILTER (WHERE a.status = 'prohibited' AND NOT COALESCE(${GONE}, false) AND NOT ${EXCEPTED}
    AND ${LAPSED})::int AS lapsed,
  count(d.id) FILTER (WHERE COALESCE(${GONE}, false))::int AS removed,
  count(d.id) FILTER (WHERE r.state = 'reopened')::int AS reopened,
  count(d.id) FILTER (WHERE a.device_id IS NULL)::int AS unassessed,
  count(a.device_id) FILTER (WHERE (a.assessed_at < d.last_seen OR a.site_id IS DISTINCT FROM d.site_id)
    AND NOT COALESCE(${GONE}, false))::int AS stale,
  count(a.device_id) FILTER (WHERE a.kev > 0 AND NOT COALESCE(${GONE}, false))::int AS kev`;

/**
 * Per organization and site, the devices by their latest verdict: every site (one with no device shows zeros), then
 * the devices on no site. `organizationId` narrows to one organization (and leaves the siteless out).
 */
export async function complianceBySite(
  q: Queryable,
  organizationId: string | null,
  today: string,
): Promise<SiteCompliance[]> {
  // The devices are counted per site first, then the sites (every one, a site with no device showing zeros) and
  // their organizations are joined: grouping by the site's names would sort the whole join.
  const params = organizationId !== null ? [today, organizationId] : [today];
  const { rows } = await q.query<ComplianceRow>(
    `WITH per_site AS (
       SELECT d.site_id, ${COUNTS} FROM ${COUNTED}
        WHERE d.site_id IS NOT NULL
          ${organizationId !== null ? "AND d.site_id IN (SELECT id FROM sites WHERE organization_id = $2)" : ""}
        GROUP BY d.site_id)
     SELECT o.id AS org_id, o.name AS org_name, o.type AS org_type, s.id AS site_id, s.name AS site_name,
            s.criticality, ${COUNT_NAMES.map((n) => `COALESCE(p.${n}, 0)::int AS ${n}`).join(", ")}
       FROM sites s JOIN organizations o ON o.id = s.organization_id LEFT JOIN per_site p ON p.site_id = s.id
      ${organizationId !== null ? "WHERE o.id = $2" : ""}
      ORDER BY o.id, s.id`,
    params,
  );
  if (organizationId === null) {
    const { rows: loose } = await q.query<ComplianceRow>(
      `SELECT NULL AS org_id, NULL AS org_name, NULL AS org_type, NULL AS site_id, NULL AS site_name,
              NULL AS criticality, ${COUNTS}
         FROM ${COUNTED} WHERE d.site_id IS NULL`,
      [today],
    );
    rows.push(...loose.filter((r) => r.devices > 0));
  }
  return rows.map((r) => ({
    organizationId: r.org_id,
    organizationName: r.org_name,
    organizationType: r.org_type,
    siteId: r.site_id,
    siteName: r.site_name,
    criticality: r.criticality,
    devices: r.devices,
    counts: { prohibited: r.prohibited, advisory: r.advisory, allowed: r.allowed, unowned: r.unowned },
    excepted: r.excepted,
    lapsed: r.lapsed,
    removed: r.removed,
    reopened: r.reopened,
    unassessed: r.unassessed,
    stale: r.stale,
    kev: r.kev,
  }));
}

export interface AssessmentSummary {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  organizationId: string | null;
  packs: { id: string }[];
  day: string;
  devices: number;
}

/** The latest finished assessment, for status to say what its verdicts rest on. */
export async function latestAssessment(q: Queryable): Promise<AssessmentSummary | null> {
  const { rows } = await q.query<{
    id: string;
    started_at: Date | string;
    finished_at: Date | string | null;
    status: string;
    organization_id: string | null;
    packs: { id: string }[];
    day: string;
    device_count: number;
  }>(
    `SELECT id, started_at, finished_at, status, organization_id, packs, day, device_count
       FROM assessments WHERE status = 'done' ORDER BY started_at DESC LIMIT 1`,
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    startedAt: iso(r.started_at),
    finishedAt: r.finished_at ? iso(r.finished_at) : null,
    status: r.status,
    organizationId: r.organization_id,
    packs: r.packs,
    day: r.day,
    devices: r.device_count,
  };
}

/** A device's stored verdict with what identifies the device, for listing and tracing. */
export interface AssessedDeviceRow extends StoredAssessment {
  address: string | null;
  manufacturer: string | null;
  brand: string | null;
  model: string | null;
  firmware: string | null;
  deviceType: string;
  assessedAt: string;
}

/**
 * Assessed devices that need attention (not allowed, or carrying a KEV vulnerability), riskiest first, at most
 * `limit`: the list a program office reads before the plan.
 */
export async function devicesNeedingAttention(
  q: Queryable,
  organizationId: string | null,
  limit: number,
): Promise<AssessedDeviceRow[]> {
  const params: unknown[] = [limit];
  const org = organizationId !== null ? `AND a.organization_id = $${params.push(organizationId)}` : "";
  const { rows } = await q.query<{
    device_id: string;
    address: string | null;
    manufacturer: string | null;
    brand: string | null;
    model: string | null;
    firmware: string | null;
    device_type: string;
    organization_id: string | null;
    site_id: string | null;
    status: StoredStatus;
    risk: number;
    risk_level: string;
    kev: number;
    findings: unknown;
    assessed_at: Date | string;
  }>(
    `SELECT a.device_id, d.address, d.manufacturer, d.brand, d.model, d.firmware, d.device_type,
            a.organization_id, a.site_id, a.status, a.risk, a.risk_level, a.kev, a.findings, a.assessed_at
       FROM device_assessments a JOIN devices d ON d.id = a.device_id
      WHERE (a.status <> 'allowed' OR a.kev > 0) ${org}
      ORDER BY a.risk DESC, a.kev DESC, d.address, a.device_id LIMIT $1`,
    params,
  );
  return rows.map((r) => ({
    deviceId: r.device_id,
    address: r.address,
    manufacturer: r.manufacturer,
    brand: r.brand,
    model: r.model,
    firmware: r.firmware,
    deviceType: r.device_type,
    organizationId: r.organization_id,
    siteId: r.site_id,
    status: r.status,
    risk: r.risk,
    riskLevel: r.risk_level,
    kev: r.kev,
    findings: r.findings,
    assessedAt: iso(r.assessed_at),
  }));
}
