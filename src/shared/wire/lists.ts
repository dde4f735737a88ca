import type { Step } from "../../remediation/states.js";

/**
 * The constant lists the API's schemas, the core and the web app share. Everything under src/shared/wire imports
 * only zod and browser-safe modules, so the web app can import it (its values, or its types with `import type`).
 * The core's modules re-export the lists from here; the import formats alone are a copy (the importer's list
 * carries parsers), which lists.test.ts holds to the importer's.
 */

/** A user's role (src/inventory/users.ts). */
export const ROLES = ["admin", "program-manager", "auditor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/** The steps the API takes by POST (sanitized comes from a sanitization record, reopened from a scan). */
export const API_STEPS = [
  "confirmed",
  "scheduled",
  "isolated",
  "removed",
  "closed",
] as const satisfies readonly Step[];
export type ApiStep = (typeof API_STEPS)[number];

/** A device's assessed status. */
export const DEVICE_STATUSES = ["prohibited", "advisory", "allowed", "unowned"] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

/** The device list's orders (src/inventory/device-list.ts). */
export const DEVICE_SORTS = ["default", "last-seen", "address"] as const;
export type DeviceSort = (typeof DEVICE_SORTS)[number];

/** Background jobs (src/server/jobs/jobs.ts). */
export const JOB_KINDS = ["scan", "import"] as const;
export const JOB_STATES = ["queued", "running", "done", "failed", "cancelled"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** A scan's timing templates (src/scan/timing.ts). */
export const TIMINGS = ["T2", "T3", "T4", "T5"] as const;
export type Timing = (typeof TIMINGS)[number];

/** The import formats `camsweep import` reads (src/imports/formats/index.ts), in its order. */
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

/** NIST SP 800-88 sanitization methods (src/inventory/remediation.ts). */
export const SANITIZATION_METHODS = ["clear", "purge", "destroy"] as const;

/** The report's download formats (src/report/render.ts). */
export const REPORT_FORMATS = ["html", "pdf", "csv", "xlsx", "cyclonedx", "netbox"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export type Lang = "en" | "fr";
/**
 * The languages a report document is written in: one, or both in one file (a bilingual cover, then the whole
 * English report, then the whole French one), as the Government of Canada publishes its reports.
 */
export type ReportLang = Lang | "bilingual";
export const REPORT_LANGS: readonly ReportLang[] = ["en", "fr", "bilingual"];

/** A purchase line's verdict (src/procure/screen.ts). */
export const SCREEN_VERDICTS = ["prohibited", "needs-attestation", "clear"] as const;
