import type { Plan } from "../../plan/model.js";
import type { ExceptionState, WorkflowState } from "../../remediation/states.js";

// The report's languages are the API's too: defined with the web app's wire lists.
export { type Lang, REPORT_LANGS, type ReportLang } from "../../shared/wire/lists.js";

/**
 * Everything a compliance report shows, gathered once from the inventory (src/report/document/gather.ts) and
 * rendered by each format (HTML, PDF, CSV, XLSX, CycloneDX, NetBox CSV). Fields that came from a device (names,
 * models, firmware, hostnames, serials) are hostile text: every renderer escapes them for its format.
 */

export interface StatusCounts {
  devices: number;
  /** prohibited and still on the network, with no valid exception */
  prohibited: number;
  /** prohibited, covered by an approved exception that has not expired */
  excepted: number;
  advisory: number;
  allowed: number;
  /** on no site: no organization, so no rule can be said to bind them */
  unowned: number;
  /** prohibited or advisory devices recorded removed, sanitized or closed */
  removed: number;
  /** removed devices seen again by a later scan or import */
  reopened: number;
  /** devices with a known-exploited vulnerability (CISA KEV) */
  kev: number;
  notAssessed: number;
}

export interface SiteReport {
  /** null: devices on no site */
  id: string | null;
  name: string;
  criticality: string | null;
  counts: StatusCounts;
  /** a full sweep of the site finished after its last removal: null when nothing was removed there */
  verifiedClear: boolean | null;
  lastSweep: string | null;
  lastRemoval: string | null;
}

export interface OrganizationReport {
  /** null: the devices on no site */
  id: string | null;
  name: string;
  type: string | null;
  jurisdiction: string | null;
  counts: StatusCounts;
  sites: SiteReport[];
}

export interface ReportDevice {
  id: string;
  address: string | null;
  hostname: string | null;
  mac: string | null;
  serial: string | null;
  manufacturer: string | null;
  brand: string | null;
  model: string | null;
  firmware: string | null;
  deviceType: string;
  organizationId: string | null;
  organizationName: string | null;
  siteId: string | null;
  siteName: string | null;
  /** the latest verdict; null when never assessed */
  status: "prohibited" | "advisory" | "allowed" | "unowned" | null;
  risk: number | null;
  riskLevel: string | null;
  kev: number;
  /** ids of the policies behind the verdict */
  policies: string[];
  workflow: WorkflowState;
  scheduledFor: string | null;
  removedAt: string | null;
  sanitization: { method: string; date: string; by: string; certificate: string | null } | null;
  exception: { state: ExceptionState; approver: string | null; expires: string | null } | null;
  firstSeen: string;
  lastSeen: string;
}

export interface ReportModel {
  /** ISO timestamp */
  generatedAt: string;
  /** the day the report speaks for (YYYY-MM-DD) */
  asOf: string;
  /** the organization the report is limited to, or null for all */
  organization: { id: string; name: string } | null;
  /** the latest assessment the verdicts come from, with the policy packs it applied */
  assessment: { id: string; finishedAt: string | null; packs: { id: string; sha256: string }[] } | null;
  totals: StatusCounts;
  organizations: OrganizationReport[];
  manufacturers: { manufacturer: string | null; devices: number; prohibited: number }[];
  /** prohibited devices still on the network, by day: actual (from the workflow's history) and, where a plan is saved, planned */
  burnDown: { date: string; actual: number | null; planned: number | null }[];
  /** the latest saved plan, if any */
  plan: Plan | null;
  /** per phase of the saved plan: devices planned and devices actually removed by the phase's end */
  planVsActual: { phase: number; end: string; planned: number; removed: number }[];
  devices: ReportDevice[];
  /** the audit log's head when the report was made: seq and hash, to tie the report to the log */
  auditHead: { seq: number; hash: string } | null;
}
