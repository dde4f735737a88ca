/** The wire shapes of the REST API (docs/server.md and the web app's contract), as the browser receives them. */

export type Role = "admin" | "program-manager" | "auditor" | "viewer";

export interface Me {
  name: string;
  role: Role;
  organizationId: string | null;
  scope: "read" | "write";
}

export interface SessionStarted {
  name: string;
  role: Role;
  organizationId: string | null;
  csrf: string;
  expiresAt: string;
}

export interface Organization {
  id: string;
  name: string;
  type: string;
  jurisdiction: string;
}

export const WORKFLOW_STATES = [
  "identified",
  "confirmed",
  "scheduled",
  "isolated",
  "removed",
  "sanitized",
  "closed",
  "reopened",
] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];

/** The steps the API takes by POST (sanitized comes from a sanitization record, reopened from a scan). */
export const API_STEPS = ["confirmed", "scheduled", "isolated", "removed", "closed"] as const;
export type ApiStep = (typeof API_STEPS)[number];

export const STORAGE_KINDS = ["present", "none", "unknown"] as const;
export type StorageKind = (typeof STORAGE_KINDS)[number];

export type DeviceStatus = "prohibited" | "advisory" | "allowed" | "unowned";

export interface Device {
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
  restricted: boolean;
  confidence: number;
  siteId: string | null;
  firstSeen: string;
  lastSeen: string;
  status: DeviceStatus | null;
  workflow: WorkflowState;
}

export interface DevicePage {
  devices: Device[];
  next: string | null;
  /** present on the page asked with count=true (the first of a filter): counting a million devices is a scan */
  total: number | null;
}

export type DeviceSort = "default" | "last-seen" | "address";

export interface DeviceQuery {
  organization?: string;
  site?: string;
  manufacturer?: string;
  restricted?: "true" | "false";
  q?: string;
  sort?: DeviceSort;
  limit?: number;
  after?: string;
  count?: "true";
}

export interface WorkflowStep {
  from: string;
  to: string;
  at: string;
  actor: string;
  reason: string | null;
}

export interface DeviceDetail {
  device: Device & {
    organizationId: string | null;
    organizationName: string | null;
    siteName: string | null;
  };
  identity: {
    manufacturer: string | null;
    brand: string | null;
    model: string | null;
    firmware: string | null;
    deviceType: string;
    confidence: number;
    evidence: { source: string; field: string; value: string; detail: string | null }[];
  };
  observations: { time: string; protocol: string; port: number | null; summary: string }[];
  vulnerabilities: { id: string; kev: boolean; severity: string | null; title: string }[];
  verdicts: { policy: string; verdict: string; reason: string }[];
  workflow: { state: WorkflowState; steps: WorkflowStep[] };
  sanitizations: {
    id: number | string;
    method: string;
    date: string;
    by: string;
    certificate: string | null;
  }[];
  exceptions: { id: number; state: string; justification: string; expiresOn: string | null }[];
  attachments: {
    sha256: string;
    name: string;
    size: number;
    mediaType: string;
    owner: "step" | "sanitization" | "exception";
    at: string;
  }[];
}

export interface StatusCounts {
  devices: number;
  prohibited: number;
  excepted: number;
  advisory: number;
  allowed: number;
  unowned: number;
  removed: number;
  reopened: number;
  kev: number;
  notAssessed: number;
}

export interface Overview {
  asOf: string;
  totals: StatusCounts;
  organizations: {
    id: string | null;
    name: string;
    counts: StatusCounts;
    sites: {
      id: string | null;
      name: string;
      criticality: string | null;
      counts: StatusCounts;
      verifiedClear: boolean | null;
    }[];
  }[];
  manufacturers: { manufacturer: string | null; devices: number; prohibited: number }[];
  burnDown: { date: string; actual: number | null; planned: number | null }[];
  planVsActual: { phase: number; end: string; planned: number; removed: number }[];
}

export interface BoardDevice {
  id: string;
  address: string | null;
  model: string | null;
  manufacturer: string | null;
  siteName: string | null;
}

export interface Board {
  columns: { state: WorkflowState; count: number; devices: BoardDevice[] }[];
}

export interface Moved {
  moved: { deviceId: string; from: string; to: string }[];
}

export interface Plan {
  phases: {
    phase: number;
    start: string;
    end: string;
    devices: number;
    cost: number;
    sites: { id: string | null; name: string; devices: number; cost: number }[];
  }[];
  warnings: { code: string; message: string }[];
  totalCost: number;
  shortfall: number;
}

export type ScreenVerdict = "prohibited" | "needs-attestation" | "clear";

export interface ScreenResult {
  lines: {
    line: number;
    text: string;
    verdict: ScreenVerdict;
    manufacturer: string | null;
    reason: string;
    source: string | null;
  }[];
  counts: { prohibited: number; needsAttestation: number; clear: number };
}

export type JobState = "queued" | "running" | "done" | "failed" | "cancelled";

export interface Job {
  id: string;
  kind: "scan" | "import";
  state: JobState;
  by: string;
  startedAt: string;
  finishedAt: string | null;
  progress: { done: number; total: number; devices: number };
  error: string | null;
  scanId: string | null;
}

export interface JobDevice {
  address: string | null;
  manufacturer: string | null;
  model: string | null;
  restricted: boolean;
}

export const TIMINGS = ["T2", "T3", "T4", "T5"] as const;
export type Timing = (typeof TIMINGS)[number];

export const REPORT_FORMATS = ["html", "pdf", "csv", "xlsx", "cyclonedx", "netbox"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const REPORT_LANGS = ["en", "fr", "bilingual"] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

/** The import formats `camsweep import` reads (src/imports/formats/index.ts). */
export const IMPORT_FORMATS = [
  "nmap-xml",
  "masscan-json",
  "masscan-list",
  "dhcpd-leases",
  "dnsmasq-leases",
  "windows-dhcp",
  "neighbours",
  "csv",
  "xlsx",
  "zeek-dns",
  "bind-querylog",
  "dnsmasq-log",
] as const;

export const SANITIZATION_METHODS = ["clear", "purge", "destroy"] as const;
