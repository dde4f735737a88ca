import { refusal, type WorkflowFacts } from "../remediation/guard.js";
import {
  defaultStorage,
  GONE_SQL,
  type Step,
  type Storage,
  type WorkflowState,
} from "../remediation/states.js";
import { isIsoDate } from "../shared/dates.js";
import { UsageError } from "../shared/errors.js";
import { optionalText, requiredText } from "../shared/user-text.js";
import { appendAudit, defaultActor, type AuditContext } from "./audit.js";
import type { Queryable } from "./db.js";
import { deviceNamed, devicesNamed } from "./device-names.js";
import { attachEvidence, type EvidenceFile } from "./evidence.js";
import { SANITIZATION_METHODS } from "../shared/wire/lists.js";

/**
 * The removal workflow as stored (migrations/008_remediation.sql): steps taken one device at a time or in bulk,
 * each checked by the pure guard (src/remediation/guard.ts) against facts read in the same transaction, written
 * with its history row, its evidence and its audit entry, or not at all.
 */

/**
 * Which devices: named by id or address (all must be able to take the step), or a selection: every device of a site
 * or organization, narrowed by maker, device type or workflow state, or those filters across the inventory.
 */
export interface Selection {
  names?: readonly string[];
  site?: string;
  organization?: string;
  manufacturer?: string;
  deviceType?: string;
  state?: WorkflowState;
}

export interface StepRequest extends Selection {
  step: Exclude<Step, "sanitized">;
  /** scheduled: the day planned; other steps: the day it happened (default today) */
  date?: string | null;
  /** what the person on site found: the device stores footage, or not */
  storage?: Storage;
  evidence?: readonly EvidenceFile[];
}

export interface StepResult {
  moved: { deviceId: string; from: WorkflowState; to: WorkflowState }[];
  /** devices a site or organization selection held that cannot take this step, and why */
  skipped: { deviceId: string; why: string }[];
}

interface FactsRow {
  id: string;
  device_type: string;
  restricted: boolean;
  status: string | null;
  state: WorkflowState | null;
  storage: Storage | null;
  sanitizations: number;
}

type Facts = WorkflowFacts & { deviceType: string; status: string | null };

async function factsOf(q: Queryable, ids: readonly string[]): Promise<Map<string, Facts>> {
  const { rows } = await q.query<FactsRow>(
    `SELECT d.id, d.device_type, d.restricted, a.status, r.state, r.storage,
            (SELECT count(*)::int FROM sanitizations s
              WHERE s.device_id = d.id AND (r.removed_at IS NULL OR s.recorded_at >= r.removed_at)) AS sanitizations
       FROM devices d LEFT JOIN device_assessments a ON a.device_id = d.id
       LEFT JOIN remediation r ON r.device_id = d.id
      WHERE d.id = ANY($1::text[]) FOR UPDATE OF d`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        state: r.state ?? "identified",
        storage: r.storage ?? defaultStorage(r.device_type),
        sanitizations: r.sanitizations,
        eligible: r.restricted || (r.status !== null && r.status !== "allowed"),
        deviceType: r.device_type,
        status: r.status,
      },
    ]),
  );
}

async function selected(q: Queryable, s: Selection): Promise<{ ids: string[]; named: boolean }> {
  if (s.names?.length) return { ids: await devicesNamed(q, s.names, s.site), named: true };
  const params: unknown[] = [];
  const where = [
    ...(s.site ? [`d.site_id = $${params.push(s.site)}`] : []),
    ...(s.organization ? [`st.organization_id = $${params.push(s.organization)}`] : []),
    ...(s.manufacturer ? [`lower(d.manufacturer) = lower($${params.push(s.manufacturer)})`] : []),
    ...(s.deviceType ? [`d.device_type = $${params.push(s.deviceType)}`] : []),
    ...(s.state ? [`coalesce(r.state, 'identified') = $${params.push(s.state)}`] : []),
  ];
  if (!where.length)
    throw new UsageError(
      "name the devices (ids or addresses), or select them with --site, --org, --manufacturer, --type or --state",
    );
  const { rows } = await q.query<{ id: string }>(
    `SELECT d.id FROM devices d LEFT JOIN sites st ON st.id = d.site_id
       LEFT JOIN remediation r ON r.device_id = d.id
      WHERE ${where.join(" AND ")} ORDER BY d.id`,
    params,
  );
  return { ids: rows.map((r) => r.id), named: false };
}

/**
 * What a selection takes: devices whose latest verdict says they must or should go, or, not yet assessed, of a
 * restricted maker. A restricted device the rules allow (a Dahua camera of a private firm) moves only when named.
 */
function selectable(f: Facts): string | null {
  if (f.status === "prohibited" || f.status === "advisory") return null;
  if (f.status === null && f.eligible) return null;
  return f.status === null
    ? "not assessed and no restricted maker was identified"
    : `its latest verdict is ${f.status}: a selection takes prohibited and advisory devices; name it to act on it anyway`;
}

/** The day a step records, checked: a real date, and never in the future for something that happened. */
function stepDate(step: Step, date: string | null | undefined, today: string): string {
  if (date === null || date === undefined) {
    if (step === "scheduled") throw new UsageError("scheduled: say the day (--on YYYY-MM-DD)");
    return today;
  }
  if (!isIsoDate(date))
    throw new UsageError(`${step === "scheduled" ? "--on" : "--date"} ${date}: not a date (YYYY-MM-DD)`);
  if (step !== "scheduled" && date > today)
    throw new UsageError(
      `--date ${date}: a device cannot be ${step} on a day still to come (today is ${today})`,
    );
  return date;
}

/** One history row, its evidence and its audit entry. Returns the row's id. */
async function writeStep(
  q: Queryable,
  ctx: AuditContext,
  deviceId: string,
  from: WorkflowState,
  to: WorkflowState,
  data: Record<string, unknown>,
  evidence: readonly EvidenceFile[] = [],
): Promise<number> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO remediation_steps (device_id, from_state, to_state, at, actor, reason, data)
     VALUES ($1, $2, $3, now(), $4, $5, $6) RETURNING id::text AS id`,
    [deviceId, from, to, ctx.actor ?? defaultActor(), ctx.reason ?? null, JSON.stringify(data)],
  );
  const stepId = Number(rows[0]!.id);
  const hashes = await attachEvidence(q, ctx, deviceId, { stepId }, evidence);
  await appendAudit(q, {
    ...ctx,
    action: "transition",
    entity: "remediation",
    entityId: deviceId,
    data: { from, to, ...data, ...(hashes.length ? { evidence: hashes } : {}) },
  });
  return stepId;
}

async function setState(
  q: Queryable,
  deviceId: string,
  to: WorkflowState,
  storage: Storage,
  o: { scheduledFor?: string | null; removed?: boolean; reopened?: boolean } = {},
): Promise<void> {
  await q.query(
    `INSERT INTO remediation (device_id, state, storage, scheduled_for, removed_at, reopened_at, updated_at)
     VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN now() END, CASE WHEN $6 THEN now() END, now())
     ON CONFLICT (device_id) DO UPDATE SET state = $2, storage = $3,
       scheduled_for = COALESCE($4, remediation.scheduled_for),
       removed_at = CASE WHEN $5 THEN now() ELSE remediation.removed_at END,
       reopened_at = CASE WHEN $6 THEN now() ELSE remediation.reopened_at END,
       updated_at = now()`,
    [deviceId, to, storage, o.scheduledFor ?? null, o.removed ?? false, o.reopened ?? false],
  );
}

/**
 * Takes one step for the selected devices. Named devices: all take it or none does (the error lists each refusal).
 * A site or organization: those that can take it do, the rest are listed as skipped; none able is an error.
 */
export async function takeStep(
  q: Queryable,
  ctx: AuditContext,
  today: string,
  req: StepRequest,
): Promise<StepResult> {
  const date = stepDate(req.step, req.date, today);
  const { ids, named } = await selected(q, req);
  const facts = await factsOf(q, ids);
  const result: StepResult = { moved: [], skipped: [] };
  const refused: string[] = [];
  for (const id of ids) {
    const f = facts.get(id)!;
    const storage = req.storage ?? f.storage;
    const why = (named ? null : selectable(f)) ?? refusal({ ...f, storage }, req.step, { date });
    if (why && named) refused.push(`${id}: ${why}`);
    else if (why) result.skipped.push({ deviceId: id, why });
    else result.moved.push({ deviceId: id, from: f.state, to: req.step });
  }
  if (refused.length)
    throw new UsageError(
      `${req.step}: nothing recorded; ${refused.length} of ${ids.length} devices cannot take this step:\n  ${refused.slice(0, 20).join("\n  ")}${refused.length > 20 ? `\n  ... and ${refused.length - 20} more` : ""}`,
    );
  if (!result.moved.length)
    throw new UsageError(
      `${req.step}: no device ${described(req)} can take this step: ${reasons(result.skipped)}`,
    );
  for (const m of result.moved) {
    const f = facts.get(m.deviceId)!;
    const storage = req.storage ?? f.storage;
    await setState(q, m.deviceId, req.step, storage, {
      scheduledFor: req.step === "scheduled" ? date : null,
      removed: req.step === "removed",
    });
    await writeStep(
      q,
      ctx,
      m.deviceId,
      m.from,
      req.step,
      { date, ...(req.storage ? { storage: req.storage } : {}) },
      req.evidence,
    );
  }
  return result;
}

/** "on site kingston, made by hikvision": the selection, for a message. */
function described(s: Selection): string {
  const parts = [
    ...(s.site ? [`on site ${s.site}`] : []),
    ...(s.organization ? [`of organization ${s.organization}`] : []),
    ...(s.manufacturer ? [`made by ${s.manufacturer}`] : []),
    ...(s.deviceType ? [`of type ${s.deviceType}`] : []),
    ...(s.state ? [`in state ${s.state}`] : []),
  ];
  return parts.join(", ");
}

/** "2 devices: it is removed; 1 device: its latest verdict is allowed ...", the commonest first. */
function reasons(skipped: StepResult["skipped"]): string {
  if (!skipped.length) return "none selected";
  const n = new Map<string, number>();
  for (const s of skipped) n.set(s.why, (n.get(s.why) ?? 0) + 1);
  return [...n]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([why, k]) => `${k} device${k === 1 ? "" : "s"}: ${why}`)
    .join("; ");
}

export { SANITIZATION_METHODS };
export type SanitizationMethod = (typeof SANITIZATION_METHODS)[number];

export interface SanitizationInput {
  /** the device, by id or address */
  device: string;
  site?: string;
  /** which medium: "HDD 4 TB, serial WD-WX12345", "microSD 128 GB" */
  medium: string;
  method: SanitizationMethod;
  technique?: string | null;
  /** the day it was done */
  date: string;
  /** who did it (a person, a contractor) */
  by: string;
  certificate?: string | null;
  evidence?: readonly EvidenceFile[];
}

const TEXT_MAX = 500;

/**
 * Records how one medium of a removed device was sanitized, and marks the device sanitized (a device with several
 * disks gets one record per disk; the first moves it). Refused before removal: the media are wiped once out.
 */
export async function recordSanitization(
  q: Queryable,
  ctx: AuditContext,
  today: string,
  s: SanitizationInput,
): Promise<{ deviceId: string; sanitizationId: number; state: WorkflowState }> {
  if (!(SANITIZATION_METHODS as readonly string[]).includes(s.method))
    throw new UsageError(
      `--method ${s.method}: one of ${SANITIZATION_METHODS.join(", ")} (NIST SP 800-88 Rev. 1)`,
    );
  const medium = requiredText("--medium", s.medium, { max: TEXT_MAX });
  const by = requiredText("--by", s.by, { max: TEXT_MAX });
  const technique = optionalText("--technique", s.technique, { max: TEXT_MAX });
  const certificate = optionalText("--certificate", s.certificate, { max: TEXT_MAX });
  const date = stepDate("sanitized", s.date, today);
  const deviceId = await deviceNamed(q, s.device, s.site);
  const f = (await factsOf(q, [deviceId])).get(deviceId)!;
  if (f.state !== "removed" && f.state !== "sanitized")
    throw new UsageError(`${deviceId}: it is ${f.state}; media are sanitized after the device is removed`);
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO sanitizations (device_id, medium, method, technique, performed_on, performed_by, certificate,
       recorded_at, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8) RETURNING id::text AS id`,
    [deviceId, medium, s.method, technique, date, by, certificate, ctx.actor ?? defaultActor()],
  );
  const sanitizationId = Number(rows[0]!.id);
  const hashes = await attachEvidence(q, ctx, deviceId, { sanitizationId }, s.evidence ?? []);
  const record = { sanitization: sanitizationId, medium, method: s.method, technique, date, by, certificate };
  await appendAudit(q, {
    ...ctx,
    action: "sanitize",
    entity: "remediation",
    entityId: deviceId,
    data: { ...record, ...(hashes.length ? { evidence: hashes } : {}) },
  });
  if (f.state === "removed") {
    await setState(q, deviceId, "sanitized", f.storage === "none" ? "present" : f.storage);
    await writeStep(q, ctx, deviceId, "removed", "sanitized", { date, sanitization: sanitizationId });
  }
  return { deviceId, sanitizationId, state: "sanitized" };
}

export interface Reopened {
  deviceId: string;
  address: string | null;
  from: WorkflowState;
  removedAt: string;
  lastSeen: string;
}

/**
 * Removed, sanitized or closed devices that a run (scan, import, listen) saw after their removal was recorded: they
 * are back on the network. Each is reopened, with the run in its history and the audit log; the caller alerts.
 */
export async function reopenSeenAgain(q: Queryable, ctx: AuditContext, scanId: string): Promise<Reopened[]> {
  const { rows } = await q.query<{
    id: string;
    address: string | null;
    state: WorkflowState;
    removed_at: Date | string;
    last_seen: Date | string;
  }>(
    `SELECT d.id, d.address, r.state, r.removed_at, d.last_seen
       FROM remediation r JOIN devices d ON d.id = r.device_id
      WHERE r.state IN ${GONE_SQL} AND d.last_scan_id = $1 AND d.last_seen > r.removed_at
      ORDER BY d.id`,
    [scanId],
  );
  const out: Reopened[] = [];
  for (const r of rows) {
    const seen = {
      removedAt: new Date(r.removed_at).toISOString(),
      lastSeen: new Date(r.last_seen).toISOString(),
    };
    await q.query(
      `UPDATE remediation SET state = 'reopened', reopened_at = now(), updated_at = now() WHERE device_id = $1`,
      [r.id],
    );
    await writeStep(q, ctx, r.id, r.state, "reopened", {
      scan: scanId,
      address: r.address,
      ...seen,
    });
    out.push({ deviceId: r.id, address: r.address, from: r.state, ...seen });
  }
  return out;
}
