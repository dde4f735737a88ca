import type { Finding } from "../assess/verdict.js";
import type { VulnMatch } from "../assess/vulns/match.js";
import type { Observation } from "../observations/observation.js";
import type { DeviceRecord, DeviceRow } from "./device-list.js";
import { toRecord } from "./device-list.js";
import type { OpenInventory } from "./index.js";
import type { DeviceWorkflow } from "./workflow.js";

/** Everything the inventory holds of one device, for its page: record, place, verdict, observations, workflow. */
export interface DeviceDetailData {
  record: DeviceRecord;
  organizationId: string | null;
  organizationName: string | null;
  siteName: string | null;
  assessment: {
    status: string;
    risk: number;
    riskLevel: string;
    findings: Finding[];
    vulnerabilities: VulnMatch[];
    assessedAt: string;
  } | null;
  observations: Observation[];
  workflow: DeviceWorkflow;
  /** when each evidence file was attached, by link (sha256 and owner), oldest first */
  attachedAt: { sha256: string; at: string }[];
}

/** The most observations a device page shows: a device seen by a thousand scans keeps its newest. */
export const MAX_DETAIL_OBSERVATIONS = 200;

export async function deviceDetail(
  inv: OpenInventory,
  id: string,
  today: string,
): Promise<DeviceDetailData | null> {
  const { rows } = await inv.db.query<
    DeviceRow & {
      organization_id: string | null;
      organization_name: string | null;
      site_name: string | null;
      a_status: string | null;
      a_risk: number | null;
      a_risk_level: string | null;
      a_findings: {
        verdict?: { findings?: Finding[] };
        vulnerabilities?: VulnMatch[];
      } | null;
      a_assessed_at: Date | string | null;
    }
  >(
    `SELECT d.*, '' AS list_key, s.organization_id, o.name AS organization_name, s.name AS site_name,
            a.status AS a_status, a.risk AS a_risk, a.risk_level AS a_risk_level, a.findings AS a_findings,
            a.assessed_at AS a_assessed_at
       FROM devices d LEFT JOIN sites s ON s.id = d.site_id LEFT JOIN organizations o ON o.id = s.organization_id
       LEFT JOIN device_assessments a ON a.device_id = d.id WHERE d.id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  const [observations, workflows, attached] = await Promise.all([
    inv.db.query<{ data: Observation }>(
      "SELECT data FROM observations WHERE device_id = $1 ORDER BY id DESC LIMIT $2",
      [id, MAX_DETAIL_OBSERVATIONS],
    ),
    inv.workflow.history(id, today),
    inv.db.query<{ sha256: string; added_at: Date | string }>(
      "SELECT sha256, added_at FROM evidence_links WHERE device_id = $1 ORDER BY id",
      [id],
    ),
  ]);
  return {
    record: toRecord(r),
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    siteName: r.site_name,
    assessment:
      r.a_status === null
        ? null
        : {
            status: r.a_status,
            risk: r.a_risk ?? 0,
            riskLevel: r.a_risk_level ?? "",
            findings: r.a_findings?.verdict?.findings ?? [],
            vulnerabilities: r.a_findings?.vulnerabilities ?? [],
            assessedAt: new Date(r.a_assessed_at ?? 0).toISOString(),
          },
    observations: observations.rows.map((o) => o.data),
    workflow: workflows[0]!,
    attachedAt: attached.rows.map((a) => ({ sha256: a.sha256, at: new Date(a.added_at).toISOString() })),
  };
}
