import { GONE_SQL } from "../remediation/states.js";
import type { ReportDevice } from "../report/document/model.js";
import type { ExceptionState, WorkflowState } from "../remediation/states.js";
import type { Queryable } from "./db.js";
import { iso } from "./device-list.js";

/**
 * What a compliance report reads of the inventory beyond status per site: every device with its verdict, workflow,
 * latest sanitization and latest exception; devices by manufacturer; the removal history for the burn-down.
 */

interface DeviceRow {
  id: string;
  address: string | null;
  hostname: string | null;
  mac: string | null;
  serial: string | null;
  manufacturer: string | null;
  brand: string | null;
  model: string | null;
  firmware: string | null;
  device_type: string;
  organization_id: string | null;
  organization_name: string | null;
  site_id: string | null;
  site_name: string | null;
  status: ReportDevice["status"];
  risk: number | null;
  risk_level: string | null;
  kev: number | null;
  policies: string[] | null;
  state: WorkflowState | null;
  scheduled_for: string | null;
  removed_at: Date | string | null;
  san_method: string | null;
  san_date: string | null;
  san_by: string | null;
  san_certificate: string | null;
  ex_state: ExceptionState | null;
  ex_approver: string | null;
  ex_expires: string | null;
  first_seen: Date | string;
  last_seen: Date | string;
}

export async function reportDevices(
  q: Queryable,
  organizationId: string | null,
  today: string,
): Promise<ReportDevice[]> {
  const params: unknown[] = [today];
  const org = organizationId !== null ? `WHERE s.organization_id = $${params.push(organizationId)}` : "";
  const { rows } = await q.query<DeviceRow>(
    `SELECT d.id, d.address, d.hostname, d.mac, d.serial, d.manufacturer, d.brand, d.model, d.firmware, d.device_type,
            s.organization_id, o.name AS organization_name, d.site_id, s.name AS site_name,
            a.status, a.risk, a.risk_level, a.kev,
            (SELECT jsonb_agg(DISTINCT f->>'policyId') FROM jsonb_array_elements(a.findings->'verdict'->'findings') f)
              AS policies,
            r.state, r.scheduled_for, r.removed_at,
            san.method AS san_method, san.performed_on AS san_date, san.performed_by AS san_by,
            san.certificate AS san_certificate,
            CASE WHEN ex.state = 'approved' AND ex.expires_on < $1 THEN 'expired' ELSE ex.state END AS ex_state,
            ex.decided_by AS ex_approver, ex.expires_on AS ex_expires, d.first_seen, d.last_seen
       FROM devices d LEFT JOIN sites s ON s.id = d.site_id LEFT JOIN organizations o ON o.id = s.organization_id
       LEFT JOIN device_assessments a ON a.device_id = d.id LEFT JOIN remediation r ON r.device_id = d.id
       LEFT JOIN LATERAL (SELECT * FROM sanitizations x WHERE x.device_id = d.id ORDER BY x.id DESC LIMIT 1) san ON true
       LEFT JOIN LATERAL (SELECT * FROM exceptions x WHERE x.device_id = d.id ORDER BY x.id DESC LIMIT 1) ex ON true
      ${org}
      ORDER BY s.organization_id NULLS LAST, d.site_id NULLS LAST, d.address, d.id`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    address: r.address,
    hostname: r.hostname,
    mac: r.mac,
    serial: r.serial,
    manufacturer: r.manufacturer,
    brand: r.brand,
    model: r.model,
    firmware: r.firmware,
    deviceType: r.device_type,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    siteId: r.site_id,
    siteName: r.site_name,
    status: r.status,
    risk: r.risk,
    riskLevel: r.risk_level,
    kev: r.kev ?? 0,
    policies: (r.policies ?? []).sort(),
    workflow: r.state ?? "identified",
    scheduledFor: r.scheduled_for,
    removedAt: r.removed_at ? iso(r.removed_at) : null,
    sanitization: r.san_method
      ? { method: r.san_method, date: r.san_date!, by: r.san_by!, certificate: r.san_certificate }
      : null,
    exception: r.ex_state ? { state: r.ex_state, approver: r.ex_approver, expires: r.ex_expires } : null,
    firstSeen: iso(r.first_seen),
    lastSeen: iso(r.last_seen),
  }));
}

/** The day a step happened: the day the person gave (--date), else the day it was recorded (UTC). */
const STEP_DAY = `coalesce(st.data->>'date', to_char(st.at AT TIME ZONE 'UTC', 'YYYY-MM-DD'))`;

/**
 * Removals and reopenings of prohibited devices, by day: -n when n left the network that day, +n when n came back.
 * With the count remaining now, the burn-down is walked back from today.
 */
export async function removalsByDay(
  q: Queryable,
  organizationId: string | null,
): Promise<{ day: string; change: number }[]> {
  const params: unknown[] = [];
  const org = organizationId !== null ? `AND s.organization_id = $${params.push(organizationId)}` : "";
  const { rows } = await q.query<{ day: string; change: number }>(
    `SELECT ${STEP_DAY} AS day,
            sum(CASE WHEN st.to_state = 'reopened' THEN 1 ELSE -1 END)::int AS change
       FROM remediation_steps st JOIN device_assessments a ON a.device_id = st.device_id
       LEFT JOIN devices d ON d.id = st.device_id LEFT JOIN sites s ON s.id = d.site_id
      WHERE a.status = 'prohibited' ${org}
        AND ((st.to_state = 'removed' AND st.from_state NOT IN ${GONE_SQL})
          OR st.to_state = 'reopened')
      GROUP BY 1 ORDER BY 1`,
    params,
  );
  return rows;
}

/**
 * Per plan device id that is gone now, the day (UTC) of its latest removal, for plan vs actual. A device seen again
 * after its removal (reopened) counts as not removed: the plan's promise was that it leaves the network.
 */
export async function removalDays(q: Queryable, deviceIds: readonly string[]): Promise<Map<string, string>> {
  // Every gone device's day, kept for the ids asked: a plan names tens of thousands of devices, and sending them as
  // one array parameter cost more (120 ms at 100,000 devices on PGlite) than reading the few that are gone.
  const { rows } = await q.query<{ device_id: string; day: string }>(
    `SELECT st.device_id, max(${STEP_DAY}) AS day
       FROM remediation_steps st JOIN remediation r ON r.device_id = st.device_id AND r.state IN ${GONE_SQL}
      WHERE st.to_state = 'removed' GROUP BY st.device_id`,
  );
  const asked = new Set(deviceIds);
  return new Map(rows.filter((r) => asked.has(r.device_id)).map((r) => [r.device_id, r.day]));
}
