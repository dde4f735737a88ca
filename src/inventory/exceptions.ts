import { type ExceptionState, isGone, type WorkflowState } from "../remediation/states.js";
import { isIsoDate } from "../shared/dates.js";
import { UsageError } from "../shared/errors.js";
import { requiredText } from "../shared/user-text.js";
import { appendAudit, defaultActor, type AuditContext } from "./audit.js";
import type { Queryable } from "./db.js";
import { deviceNamed } from "./device-names.js";
import { iso } from "./device-list.js";
import { attachEvidence, type EvidenceFile } from "./evidence.js";

/**
 * Exceptions: a device a policy says must go, allowed to stay until a date under compensating controls (an
 * isolated VLAN, no internet route, no cloud P2P). requested -> approved (by someone other than the requester, who
 * may shorten the term) -> expired on its date; or rejected, or revoked. Every decision is audited; an approved one
 * past its date counts as expired the moment the date passes, and is recorded so by the next write.
 */

const JUSTIFICATION_MAX = 2000;
const CONTROL_MAX = 300;

export interface ExceptionRequest {
  device: string;
  site?: string;
  justification: string;
  /** compensating controls in force while the device stays: at least one */
  controls: readonly string[];
  /** the last day the exception covers (YYYY-MM-DD) */
  until: string;
  evidence?: readonly EvidenceFile[];
}

export interface ExceptionRecord {
  id: number;
  deviceId: string;
  address: string | null;
  /** as of the day asked: an approved exception past its date reads expired */
  state: ExceptionState;
  justification: string;
  controls: string[];
  expiresOn: string;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decision: string | null;
}

function futureDay(flag: string, day: string, today: string): string {
  if (!isIsoDate(day)) throw new UsageError(`${flag} ${day}: not a date (YYYY-MM-DD)`);
  if (day < today) throw new UsageError(`${flag} ${day}: already past (today is ${today})`);
  return day;
}

/** Records approved exceptions whose last day has passed as expired, each audited. Returns their numbers. */
export async function expireExceptions(q: Queryable, ctx: AuditContext, today: string): Promise<number[]> {
  const { rows } = await q.query<{ id: string; device_id: string; expires_on: string }>(
    `UPDATE exceptions SET state = 'expired' WHERE state = 'approved' AND expires_on < $1
     RETURNING id::text AS id, device_id, expires_on`,
    [today],
  );
  for (const r of rows)
    await appendAudit(q, {
      ...ctx,
      actor: "camsweep",
      action: "expire",
      entity: "exception",
      entityId: r.id,
      data: { device: r.device_id, expiredAfter: r.expires_on, today },
    });
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

export async function requestException(
  q: Queryable,
  ctx: AuditContext,
  today: string,
  r: ExceptionRequest,
): Promise<number> {
  const justification = requiredText("--justification", r.justification, {
    max: JUSTIFICATION_MAX,
    lines: true,
  });
  const controls = r.controls.map((c) => requiredText("--control", c, { max: CONTROL_MAX, lines: true }));
  if (!controls.length)
    throw new UsageError(
      "--control: name at least one compensating control (network isolation, no internet route, ...)",
    );
  const until = futureDay("--until", r.until, today);
  const deviceId = await deviceNamed(q, r.device, r.site);
  await expireExceptions(q, ctx, today);
  const { rows: held } = await q.query<{ id: string; state: string }>(
    `SELECT id::text AS id, state FROM exceptions WHERE device_id = $1 AND state IN ('requested', 'approved')`,
    [deviceId],
  );
  if (held[0])
    throw new UsageError(
      `${deviceId}: exception ${held[0].id} is ${held[0].state} already; decide or revoke it first`,
    );
  const { rows: verdict } = await q.query<{
    status: string | null;
    restricted: boolean;
    state: WorkflowState | null;
  }>(
    `SELECT a.status, d.restricted, r.state FROM devices d LEFT JOIN device_assessments a ON a.device_id = d.id
       LEFT JOIN remediation r ON r.device_id = d.id WHERE d.id = $1`,
    [deviceId],
  );
  const v = verdict[0]!;
  if (!v.restricted && (v.status === null || v.status === "allowed"))
    throw new UsageError(`${deviceId}: its latest verdict is allowed; it needs no exception`);
  if (v.state !== null && isGone(v.state))
    throw new UsageError(`${deviceId}: it is ${v.state}; an exception is for a device that stays`);
  const requestedBy = ctx.actor ?? defaultActor();
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO exceptions (device_id, state, justification, controls, expires_on, requested_by, requested_at)
     VALUES ($1, 'requested', $2, $3, $4, $5, now()) RETURNING id::text AS id`,
    [deviceId, justification, JSON.stringify(controls), until, requestedBy],
  );
  const id = Number(rows[0]!.id);
  const hashes = await attachEvidence(q, ctx, deviceId, { exceptionId: id }, r.evidence ?? []);
  await appendAudit(q, {
    ...ctx,
    action: "request",
    entity: "exception",
    entityId: String(id),
    data: {
      device: deviceId,
      justification,
      controls,
      until,
      ...(hashes.length ? { evidence: hashes } : {}),
    },
  });
  return id;
}

export type ExceptionDecision = "approve" | "reject" | "revoke";

/** Which state each decision needs, and where it leads. */
const DECISIONS: Record<ExceptionDecision, { from: ExceptionState; to: ExceptionState }> = {
  approve: { from: "requested", to: "approved" },
  reject: { from: "requested", to: "rejected" },
  revoke: { from: "approved", to: "revoked" },
};

/**
 * Approves, rejects or revokes exception `id`. The approver is never the requester (separation of duties), states
 * why, and may shorten the term with `until`, never lengthen it (a longer one is a new request).
 */
export async function decideException(
  q: Queryable,
  ctx: AuditContext,
  today: string,
  id: number,
  decision: ExceptionDecision,
  o: { note: string; until?: string },
): Promise<ExceptionRecord> {
  const note = requiredText("--note", o.note, { max: JUSTIFICATION_MAX, lines: true });
  await expireExceptions(q, ctx, today);
  const { rows } = await q.query<{ state: ExceptionState; requested_by: string; expires_on: string }>(
    "SELECT state, requested_by, expires_on FROM exceptions WHERE id = $1 FOR UPDATE",
    [id],
  );
  const held = rows[0];
  if (!held) throw new UsageError(`exception ${id}: no such exception (camsweep exception list --all)`);
  const { from, to } = DECISIONS[decision];
  if (held.state !== from)
    throw new UsageError(`exception ${id}: it is ${held.state}; only exceptions ${from} can be ${to}`);
  const actor = ctx.actor ?? defaultActor();
  if (decision === "approve" && actor === held.requested_by)
    throw new UsageError(
      `exception ${id}: requested by ${actor}, who cannot approve it too; another person approves (--actor)`,
    );
  let until = held.expires_on;
  if (o.until !== undefined) {
    if (decision !== "approve") throw new UsageError("--until: only an approval sets the term");
    until = futureDay("--until", o.until, today);
    if (until > held.expires_on)
      throw new UsageError(
        `--until ${until}: later than the ${held.expires_on} requested; a longer term is a new request`,
      );
  }
  await q.query(
    `UPDATE exceptions SET state = $2, decided_by = $3, decided_at = now(), decision = $4, expires_on = $5 WHERE id = $1`,
    [id, to, actor, note, until],
  );
  await appendAudit(q, {
    ...ctx,
    action: decision,
    entity: "exception",
    entityId: String(id),
    data: { decision: note, ...(decision === "approve" ? { until } : {}) },
  });
  return (await listExceptions(q, today, { id }))[0]!;
}

interface ExceptionRow {
  id: string;
  device_id: string;
  address: string | null;
  state: ExceptionState;
  justification: string;
  controls: string[];
  expires_on: string;
  requested_by: string;
  requested_at: Date | string;
  decided_by: string | null;
  decided_at: Date | string | null;
  decision: string | null;
}

/** Exceptions, newest first: open ones (requested, approved and not past) unless `all`; or one by number. */
export async function listExceptions(
  q: Queryable,
  today: string,
  o: { all?: boolean; id?: number; device?: string } = {},
): Promise<ExceptionRecord[]> {
  const params: unknown[] = [today];
  const where = [
    ...(o.id !== undefined ? [`e.id = $${params.push(o.id)}`] : []),
    ...(o.device !== undefined ? [`e.device_id = $${params.push(o.device)}`] : []),
    ...(o.all || o.id !== undefined
      ? []
      : ["(e.state = 'requested' OR (e.state = 'approved' AND e.expires_on >= $1))"]),
  ];
  const { rows } = await q.query<ExceptionRow>(
    `SELECT e.id::text AS id, e.device_id, d.address,
            CASE WHEN e.state = 'approved' AND e.expires_on < $1 THEN 'expired' ELSE e.state END AS state,
            e.justification, e.controls, e.expires_on, e.requested_by, e.requested_at, e.decided_by, e.decided_at,
            e.decision
       FROM exceptions e JOIN devices d ON d.id = e.device_id
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY e.id DESC`,
    params,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    deviceId: r.device_id,
    address: r.address,
    state: r.state,
    justification: r.justification,
    controls: r.controls,
    expiresOn: r.expires_on,
    requestedBy: r.requested_by,
    requestedAt: iso(r.requested_at),
    decidedBy: r.decided_by,
    decidedAt: r.decided_at ? iso(r.decided_at) : null,
    decision: r.decision,
  }));
}
