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
export const STATUSES: readonly StoredStatus[] = ["prohibited", "advisory", "allowed", "unowned"];

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
