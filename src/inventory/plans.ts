import { GONE_SQL } from "../remediation/states.js";
import { randomUUID } from "node:crypto";
import type { Plan, PlanDevice } from "../plan/model.js";
import type { Criticality } from "./organizations.js";
import { appendAudit, defaultActor, type AuditContext } from "./audit.js";
import type { Queryable } from "./db.js";
import { iso } from "./device-list.js";

/**
 * What the replacement plan reads of the inventory, and the plans saved: devices whose latest verdict says they must
 * go (prohibited; advisory too when asked) that are still on the network and on a site (a plan is visits to sites).
 */

interface CandidateRow {
  id: string;
  address: string | null;
  manufacturer: string | null;
  model: string | null;
  device_type: string;
  organization_id: string;
  site_id: string;
  site_name: string;
  criticality: Criticality;
  risk: number;
  status: "prohibited" | "advisory";
  deadline: string | null;
}

export async function planCandidates(
  q: Queryable,
  o: { organizationId: string | null; advisory: boolean },
): Promise<{ devices: PlanDevice[]; siteless: number }> {
  const params: unknown[] = [o.advisory ? ["prohibited", "advisory"] : ["prohibited"]];
  const org = o.organizationId !== null ? ` AND s.organization_id = $${params.push(o.organizationId)}` : "";
  // The earliest dated deadline of the binding findings (src/assess/verdict.ts Finding), when the verdict has one.
  const { rows } = await q.query<CandidateRow>(
    `SELECT d.id, d.address, d.manufacturer, d.model, d.device_type, s.organization_id, s.id AS site_id,
            s.name AS site_name, s.criticality, a.risk, a.status,
            (SELECT min(f->'deadline'->>'date') FROM jsonb_array_elements(a.findings->'verdict'->'findings') f
              WHERE (f->>'binding')::boolean AND f->'deadline'->>'date' IS NOT NULL) AS deadline
       FROM device_assessments a JOIN devices d ON d.id = a.device_id JOIN sites s ON s.id = d.site_id
       LEFT JOIN remediation r ON r.device_id = d.id
      WHERE a.status = ANY($1::text[]) AND COALESCE(r.state, 'identified') NOT IN ${GONE_SQL}${org}
      ORDER BY d.id`,
    params,
  );
  const { rows: loose } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM device_assessments a JOIN devices d ON d.id = a.device_id
      WHERE d.site_id IS NULL AND (a.status = ANY($1::text[]) OR (a.status = 'unowned' AND d.restricted))`,
    [params[0]],
  );
  return {
    devices: rows.map((r) => ({
      id: r.id,
      address: r.address,
      manufacturer: r.manufacturer,
      model: r.model,
      deviceType: r.device_type,
      organizationId: r.organization_id,
      siteId: r.site_id,
      siteName: r.site_name,
      criticality: r.criticality,
      risk: r.risk,
      status: r.status,
      deadline: r.deadline,
    })),
    siteless: o.organizationId === null ? (loose[0]?.n ?? 0) : 0,
  };
}

/** Saves a plan (audited with its totals and cost model digest); returns its id. */
export async function savePlan(
  q: Queryable,
  ctx: AuditContext,
  organizationId: string | null,
  plan: Plan,
): Promise<string> {
  const id = randomUUID();
  await q.query(
    "INSERT INTO plans (id, created_at, created_by, organization_id, plan) VALUES ($1, now(), $2, $3, $4)",
    [id, ctx.actor ?? defaultActor(), organizationId, JSON.stringify(plan)],
  );
  await appendAudit(q, {
    ...ctx,
    action: "create",
    entity: "plan",
    entityId: id,
    data: {
      organization: organizationId,
      phases: plan.options.phases,
      budget: plan.options.budget,
      start: plan.options.start,
      totalCost: plan.totalCost,
      costModel: plan.costModel,
    },
  });
  return id;
}

/** The latest saved plan for this scope (an organization's, or the all-organizations one), or null. */
export async function latestPlan(
  q: Queryable,
  organizationId: string | null,
): Promise<{ id: string; createdAt: string; plan: Plan } | null> {
  const { rows } = await q.query<{ id: string; created_at: Date | string; plan: Plan }>(
    `SELECT id, created_at, plan FROM plans WHERE organization_id IS NOT DISTINCT FROM $1
      ORDER BY created_at DESC LIMIT 1`,
    [organizationId],
  );
  const r = rows[0];
  return r ? { id: r.id, createdAt: iso(r.created_at), plan: r.plan } : null;
}
