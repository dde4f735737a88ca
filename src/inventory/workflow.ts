import type { Plan } from "../plan/model.js";
import type { AuditContext } from "./audit.js";
import { siteClearance } from "./clearance.js";
import type { Db } from "./db.js";
import { iso } from "./device-list.js";
import { devicesNamed } from "./device-names.js";
import { evidenceContent } from "./evidence.js";
import {
  decideException,
  type ExceptionDecision,
  type ExceptionRequest,
  expireExceptions,
  listExceptions,
  requestException,
} from "./exceptions.js";
import { latestPlan, planCandidates, savePlan } from "./plans.js";
import { recordSanitization, type SanitizationInput, type StepRequest, takeStep } from "./remediation.js";

/**
 * The removal workflow's door into the inventory: steps, sanitization, exceptions, evidence and what a device's
 * workflow holds. Every write is one transaction (all of it, or nothing); `today` is the caller's calendar day.
 */
export class Workflow {
  constructor(
    private readonly db: Db,
    private readonly ctx: AuditContext = {},
  ) {}

  takeStep(today: string, req: StepRequest) {
    return this.db.transaction((tx) => takeStep(tx, this.ctx, today, req));
  }

  sanitize(today: string, s: SanitizationInput) {
    return this.db.transaction((tx) => recordSanitization(tx, this.ctx, today, s));
  }

  requestException(today: string, r: ExceptionRequest) {
    return this.db.transaction((tx) => requestException(tx, this.ctx, today, r));
  }

  decideException(
    today: string,
    id: number,
    decision: ExceptionDecision,
    o: { note: string; until?: string },
  ) {
    return this.db.transaction((tx) => decideException(tx, this.ctx, today, id, decision, o));
  }

  expireExceptions(today: string) {
    return this.db.transaction((tx) => expireExceptions(tx, this.ctx, today));
  }

  listExceptions(today: string, o: { all?: boolean; id?: number; device?: string } = {}) {
    return listExceptions(this.db, today, o);
  }

  /** Devices the replacement plan covers (src/plan), and how many restricted ones it cannot (on no site). */
  planCandidates(o: { organizationId: string | null; advisory: boolean }) {
    return planCandidates(this.db, o);
  }

  savePlan(organizationId: string | null, plan: Plan) {
    return this.db.transaction((tx) => savePlan(tx, this.ctx, organizationId, plan));
  }

  latestPlan(organizationId: string | null) {
    return latestPlan(this.db, organizationId);
  }

  evidence(sha256: string) {
    return evidenceContent(this.db, sha256);
  }

  siteClearance(siteIds: readonly string[]) {
    return siteClearance(this.db, siteIds);
  }

  /**
   * Devices in the workflow, by state then address: every device recorded in it, and the ones its latest verdict
   * says must or should go that nobody has touched yet (state identified).
   */
  async list(
    o: { state?: string; site?: string; organization?: string; limit?: number } = {},
  ): Promise<WorkflowRow[]> {
    const params: unknown[] = [];
    const where = [
      "(r.device_id IS NOT NULL OR a.status IN ('prohibited', 'advisory'))",
      ...(o.state ? [`COALESCE(r.state, 'identified') = $${params.push(o.state)}`] : []),
      ...(o.site ? [`d.site_id = $${params.push(o.site)}`] : []),
      ...(o.organization ? [`s.organization_id = $${params.push(o.organization)}`] : []),
    ];
    const { rows } = await this.db.query<{
      id: string;
      address: string | null;
      manufacturer: string | null;
      model: string | null;
      device_type: string;
      site_id: string | null;
      status: string | null;
      risk: number | null;
      state: string;
      scheduled_for: string | null;
      updated_at: Date | string | null;
    }>(
      `SELECT d.id, d.address, d.manufacturer, d.model, d.device_type, d.site_id, a.status, a.risk,
              COALESCE(r.state, 'identified') AS state, r.scheduled_for, r.updated_at
         FROM devices d LEFT JOIN device_assessments a ON a.device_id = d.id
         LEFT JOIN remediation r ON r.device_id = d.id LEFT JOIN sites s ON s.id = d.site_id
        WHERE ${where.join(" AND ")}
        ORDER BY COALESCE(r.state, 'identified'), d.address, d.id LIMIT $${params.push(o.limit ?? 1000)}`,
      params,
    );
    return rows.map((r) => ({
      deviceId: r.id,
      address: r.address,
      manufacturer: r.manufacturer,
      model: r.model,
      deviceType: r.device_type,
      siteId: r.site_id,
      status: r.status,
      risk: r.risk,
      state: r.state,
      scheduledFor: r.scheduled_for,
      updatedAt: r.updated_at ? iso(r.updated_at) : null,
    }));
  }

  /** One device's workflow: its state, every step, its sanitization records and evidence, its exceptions. */
  async history(name: string, today: string, site?: string): Promise<DeviceWorkflow[]> {
    const ids = await devicesNamed(this.db, [name], site);
    return Promise.all(ids.map((id) => this.historyOf(id, today)));
  }

  private async historyOf(deviceId: string, today: string): Promise<DeviceWorkflow> {
    const q = this.db;
    const [state, steps, sanitizations, evidence, exceptions] = await Promise.all([
      q.query<{
        state: string;
        storage: string;
        scheduled_for: string | null;
        removed_at: Date | string | null;
      }>("SELECT state, storage, scheduled_for, removed_at FROM remediation WHERE device_id = $1", [
        deviceId,
      ]),
      q.query<{
        id: string;
        from_state: string;
        to_state: string;
        at: Date | string;
        actor: string;
        reason: string | null;
        data: Record<string, unknown>;
      }>(
        `SELECT id::text AS id, from_state, to_state, at, actor, reason, data FROM remediation_steps
          WHERE device_id = $1 ORDER BY remediation_steps.id`,
        [deviceId],
      ),
      q.query<{
        id: string;
        medium: string;
        method: string;
        technique: string | null;
        performed_on: string;
        performed_by: string;
        certificate: string | null;
      }>(
        `SELECT id::text AS id, medium, method, technique, performed_on, performed_by, certificate FROM sanitizations
          WHERE device_id = $1 ORDER BY sanitizations.id`,
        [deviceId],
      ),
      q.query<{
        sha256: string;
        name: string;
        size: string;
        step_id: string | null;
        sanitization_id: string | null;
        exception_id: string | null;
      }>(
        `SELECT l.sha256, l.name, e.size::text AS size, l.step_id::text AS step_id,
                l.sanitization_id::text AS sanitization_id, l.exception_id::text AS exception_id
           FROM evidence_links l JOIN evidence e ON e.sha256 = l.sha256 WHERE l.device_id = $1 ORDER BY l.id`,
        [deviceId],
      ),
      listExceptions(q, today, { all: true, device: deviceId }),
    ]);
    const s = state.rows[0];
    const num = (v: string | null) => (v === null ? null : Number(v));
    return {
      deviceId,
      state: s?.state ?? "identified",
      storage: s?.storage ?? null,
      scheduledFor: s?.scheduled_for ?? null,
      removedAt: s?.removed_at ? iso(s.removed_at) : null,
      steps: steps.rows.map((r) => ({
        id: Number(r.id),
        from: r.from_state,
        to: r.to_state,
        at: iso(r.at),
        actor: r.actor,
        reason: r.reason,
        data: r.data,
      })),
      sanitizations: sanitizations.rows.map((r) => ({
        id: Number(r.id),
        medium: r.medium,
        method: r.method,
        technique: r.technique,
        date: r.performed_on,
        by: r.performed_by,
        certificate: r.certificate,
      })),
      evidence: evidence.rows.map((r) => ({
        sha256: r.sha256,
        name: r.name,
        size: Number(r.size),
        stepId: num(r.step_id),
        sanitizationId: num(r.sanitization_id),
        exceptionId: num(r.exception_id),
      })),
      exceptions,
    };
  }
}

export interface WorkflowRow {
  deviceId: string;
  address: string | null;
  manufacturer: string | null;
  model: string | null;
  deviceType: string;
  siteId: string | null;
  status: string | null;
  risk: number | null;
  state: string;
  scheduledFor: string | null;
  updatedAt: string | null;
}

export interface DeviceWorkflow {
  deviceId: string;
  state: string;
  /** null: nobody has recorded anything yet */
  storage: string | null;
  scheduledFor: string | null;
  removedAt: string | null;
  steps: {
    id: number;
    from: string;
    to: string;
    at: string;
    actor: string;
    reason: string | null;
    data: Record<string, unknown>;
  }[];
  sanitizations: {
    id: number;
    medium: string;
    method: string;
    technique: string | null;
    date: string;
    by: string;
    certificate: string | null;
  }[];
  evidence: {
    sha256: string;
    name: string;
    size: number;
    stepId: number | null;
    sanitizationId: number | null;
    exceptionId: number | null;
  }[];
  exceptions: Awaited<ReturnType<typeof listExceptions>>;
}
