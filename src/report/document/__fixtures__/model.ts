import type { Plan } from "../../../plan/model.js";
import type { ExceptionState, WorkflowState } from "../../../remediation/states.js";
import type { ReportDevice, ReportModel, SiteReport, StatusCounts } from "../model.js";

/**
 * A report model for the renderers' tests: two organizations, three sites and a few devices on no site, 40 devices
 * in all, one of them hostile (markup in its model and brand, a terminal escape in its hostname, Chinese firmware),
 * and a three-phase plan. Counts are computed from the devices, as gather.ts does, so the figures agree.
 */
const AS_OF = "2026-11-22";

const SITES = {
  hq: {
    org: "pspc-x",
    orgName: "Department of Examples",
    site: "hq",
    siteName: "Ottawa — Headquarters, 90 Elgin",
  },
  wh: { org: "pspc-x", orgName: "Department of Examples", site: "gat-wh", siteName: "Gatineau warehouse" },
  depot: { org: "acme", orgName: "Acme Logistics Inc.", site: "tor-depot", siteName: "Toronto depot" },
} as const;

type Where = keyof typeof SITES | null;

let next = 0;
function device(
  where: Where,
  make: [string | null, string | null, string | null, string | null],
  status: ReportDevice["status"],
  more: Partial<ReportDevice> = {},
): ReportDevice {
  next += 1;
  const s = where ? SITES[where] : null;
  const [manufacturer, brand, model, firmware] = make;
  return {
    id: `dev-${String(next).padStart(3, "0")}`,
    address: `10.${where === "depot" ? 20 : where === "wh" ? 11 : where === "hq" ? 10 : 99}.0.${next}`,
    hostname: null,
    mac: `44:19:b6:00:00:${next.toString(16).padStart(2, "0")}`,
    serial: `SN${1000 + next}`,
    manufacturer,
    brand,
    model,
    firmware,
    deviceType: /NVR|DVR|7[0-9]{3}/.test(model ?? "") ? "nvr" : "camera",
    organizationId: s?.org ?? null,
    organizationName: s?.orgName ?? null,
    siteId: s?.site ?? null,
    siteName: s?.siteName ?? null,
    status,
    risk:
      status === "prohibited" ? 70 + (next % 25) : status === "advisory" ? 45 : status === null ? null : 10,
    riskLevel:
      status === "prohibited"
        ? next % 25 > 15
          ? "critical"
          : "high"
        : status === "advisory"
          ? "medium"
          : "low",
    kev: 0,
    policies: status === "prohibited" ? ["ca-ica-hikvision-2025"] : [],
    workflow: "identified",
    scheduledFor: null,
    removedAt: null,
    sanitization: null,
    exception: null,
    firstSeen: "2026-03-02T14:00:00Z",
    lastSeen: "2026-11-20T09:30:00Z",
    ...more,
  };
}

const hik = (model: string, fw = "V5.7.3 build 220112"): [string, string, string, string] => [
  "Hikvision",
  "Hikvision",
  model,
  fw,
];
const wf = (workflow: WorkflowState, extra: Partial<ReportDevice> = {}): Partial<ReportDevice> => ({
  workflow,
  ...extra,
});
const exc = (state: ExceptionState, expires: string | null): Partial<ReportDevice> => ({
  exception: { state, approver: "J. Tremblay, ADM", expires },
});

export const HOSTILE_MODEL = "<script>alert(1)</script>";
export const HOSTILE_BRAND = '"><img src=x onerror=alert(1)>';

const devices: ReportDevice[] = [
  device("hq", ["Hikvision", HOSTILE_BRAND, HOSTILE_MODEL, "中文固件"], "prohibited", {
    hostname: "cam-\u001b[31mlobby",
    kev: 2,
  }),
  ...Array.from({ length: 9 }, (_, i) =>
    device("hq", hik(i % 3 === 0 ? "DS-2CD2143G2-I" : "DS-2CD2387G2-LU"), "prohibited", {
      kev: i % 2 === 0 ? 1 : 0,
      ...(i < 2 ? wf("scheduled", { scheduledFor: "2027-01-15" }) : {}),
    }),
  ),
  device("hq", hik("DS-7616NI-K2", "V4.30.085"), "prohibited", { kev: 1, workflow: "confirmed" }),
  device("hq", ["Dahua", "Dahua", "IPC-HFW2431S-S-S2", "V2.800.0000000.25.R"], "prohibited"),
  device(
    "hq",
    ["Dahua", "Dahua", "NVR4216-4KS2", "V4.001.0000000.3.R"],
    "prohibited",
    exc("approved", "2027-03-31"),
  ),
  device("hq", hik("DS-2CD2T47G2-L"), "prohibited", wf("removed", { removedAt: "2026-06-10" })),
  device("hq", hik("DS-2CD2T47G2-L"), "prohibited", wf("closed", { removedAt: "2026-05-02" })),
  device("hq", hik("DS-7608NI-K2"), "prohibited", {
    workflow: "sanitized",
    removedAt: "2026-07-20",
    sanitization: { method: "purge", date: "2026-07-22", by: "IT Security", certificate: "CERT-22" },
  }),
  device("hq", ["Axis Communications", "Axis", "P3265-LVE", "10.12.182"], "allowed"),
  device("hq", ["Axis Communications", "Axis", "M3106-L Mk II", "10.12.182"], "allowed"),
  device("hq", ["Hanwha Vision", "Wisenet", "XNV-8080R", "2.21.02"], "advisory"),
  device("hq", ["Lorex", "Lorex", "LNB8005", "V1.0.0"], "advisory", exc("requested", null)),
  device("hq", [null, null, null, null], null),
  ...Array.from({ length: 5 }, (_, i) =>
    device("wh", hik("DS-2CD1023G0E-I", "V5.5.820"), "prohibited", {
      kev: i === 0 ? 3 : 0,
      ...(i === 4 ? wf("reopened", { removedAt: "2026-04-01" }) : {}),
    }),
  ),
  device("wh", ["Ezviz", "EZVIZ", "C3TN", "V5.3.0 build 220120"], "advisory"),
  device("wh", ["Axis Communications", "Axis", "Q6075-E", "10.12.182"], "allowed"),
  device("wh", hik("DS-2CD2043G2-I"), "prohibited", wf("removed", { removedAt: "2026-09-01" })),
  ...Array.from({ length: 6 }, (_, i) =>
    device(
      "depot",
      ["Zhejiang Dahua Technology", "Amcrest", `IP8M-T2599EW-${i}`, "V2.800.00AC006.0.R"],
      "prohibited",
      {
        kev: i < 2 ? 1 : 0,
        ...(i === 5 ? exc("expired", "2026-10-01") : {}),
      },
    ),
  ),
  device("depot", ["Hanwha Vision", "Wisenet", "QNV-6012R", "1.41.01"], "allowed"),
  device("depot", ["Avigilon", "Avigilon", "H5A-BO-IR", "4.32.0.50"], "allowed"),
  device(
    "depot",
    ["Zhejiang Dahua Technology", "Amcrest", "NV4108E-HS", "V4.000"],
    "prohibited",
    wf("isolated"),
  ),
  device(null, hik("DS-2CD2021G1-I", "V5.6.0 😀"), "unowned"),
  device(null, ["Uniview", "Uniview", "IPC2122LB-SF28-A", "IPC_6213"], "unowned"),
];

const GONE: WorkflowState[] = ["removed", "sanitized", "closed"];

function counts(list: ReportDevice[]): StatusCounts {
  const gone = (d: ReportDevice) => GONE.includes(d.workflow);
  const excepted = (d: ReportDevice) =>
    d.exception?.state === "approved" && (d.exception.expires === null || d.exception.expires >= AS_OF);
  return {
    devices: list.length,
    prohibited: list.filter((d) => d.status === "prohibited" && !gone(d) && !excepted(d)).length,
    excepted: list.filter((d) => d.status === "prohibited" && !gone(d) && excepted(d)).length,
    advisory: list.filter((d) => d.status === "advisory" && !gone(d)).length,
    allowed: list.filter((d) => d.status === "allowed").length,
    unowned: list.filter((d) => d.status === "unowned").length,
    removed: list.filter((d) => (d.status === "prohibited" || d.status === "advisory") && gone(d)).length,
    reopened: list.filter((d) => d.workflow === "reopened").length,
    kev: list.filter((d) => d.kev > 0).length,
    notAssessed: list.filter((d) => d.status === null).length,
  };
}

function site(
  where: keyof typeof SITES,
  criticality: string,
  verifiedClear: boolean | null,
  lastSweep: string,
): SiteReport {
  const s = SITES[where];
  return {
    id: s.site,
    name: s.siteName,
    criticality,
    counts: counts(devices.filter((d) => d.siteId === s.site)),
    verifiedClear,
    lastSweep,
    lastRemoval: verifiedClear === null ? null : "2026-09-01",
  };
}

const hq = site("hq", "critical", true, "2026-11-20");
const wh = site("wh", "normal", false, "2026-08-15");
const depot = site("depot", "high", null, "2026-11-18");
const noSite: SiteReport = {
  id: null,
  name: "",
  criticality: null,
  counts: counts(devices.filter((d) => d.siteId === null)),
  verifiedClear: null,
  lastSweep: null,
  lastRemoval: null,
};

const plan: Plan = {
  options: { phases: 3, start: "2026-12-01", phaseDays: 90, budget: 60000 },
  currency: "CAD",
  costModel: { file: "knowledge/costs/default.yaml", sha256: "ab".repeat(32) },
  phases: [
    {
      number: 1,
      start: "2026-12-01",
      end: "2027-02-28",
      budget: 20000,
      visits: [],
      deviceCount: 12,
      cost: 19850,
      late: [],
    },
    {
      number: 2,
      start: "2027-03-01",
      end: "2027-05-29",
      budget: 20000,
      visits: [],
      deviceCount: 9,
      cost: 18400,
      late: [{ deviceId: "dev-030", deadline: "2027-04-30" }],
    },
    {
      number: 3,
      start: "2027-05-30",
      end: "2027-08-27",
      budget: 20000,
      visits: [],
      deviceCount: 4,
      cost: 9600,
      late: [],
    },
  ],
  costs: [],
  unfunded: [{ deviceId: "dev-031", cost: 1450, deadline: null }],
  totalCost: 47850,
  burnDown: [
    { date: "2026-12-01", remaining: 24 },
    { date: "2027-02-28", remaining: 14 },
    { date: "2027-05-29", remaining: 5 },
    { date: "2027-08-27", remaining: 1 },
  ],
  warnings: ["budget short by 1,450 CAD for 1 device", "1 device due 2027-04-30 falls in phase 2"],
};

const manufacturers = [...new Set(devices.map((d) => d.manufacturer))].map((m) => {
  const mine = devices.filter((d) => d.manufacturer === m);
  return {
    manufacturer: m,
    devices: mine.length,
    prohibited: mine.filter((d) => d.status === "prohibited").length,
  };
});

export const MODEL: ReportModel = {
  generatedAt: "2026-11-22T14:03:27.000Z",
  asOf: AS_OF,
  organization: null,
  assessment: {
    id: "asm-2026-11-22-01",
    finishedAt: "2026-11-22T13:58:10.000Z",
    packs: [
      {
        id: "ca-ica-hikvision-2025",
        sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      },
      { id: "us-ndaa-889", sha256: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752" },
    ],
  },
  totals: counts(devices),
  organizations: [
    {
      id: "pspc-x",
      name: "Department of Examples",
      type: "federal-department",
      jurisdiction: "CA",
      counts: counts(devices.filter((d) => d.organizationId === "pspc-x")),
      sites: [hq, wh],
    },
    {
      id: "acme",
      name: "Acme Logistics Inc.",
      type: "private",
      jurisdiction: "CA-ON",
      counts: counts(devices.filter((d) => d.organizationId === "acme")),
      sites: [depot],
    },
    { id: null, name: "", type: null, jurisdiction: null, counts: noSite.counts, sites: [noSite] },
  ],
  manufacturers,
  burnDown: [
    { date: "2026-04-01", actual: 33, planned: null },
    { date: "2026-05-02", actual: 32, planned: null },
    { date: "2026-06-10", actual: 31, planned: null },
    { date: "2026-07-20", actual: 30, planned: null },
    { date: "2026-09-01", actual: 29, planned: null },
    { date: "2026-11-22", actual: 24, planned: 24 },
    { date: "2027-02-28", actual: null, planned: 14 },
    { date: "2027-05-29", actual: null, planned: 5 },
    { date: "2027-08-27", actual: null, planned: 1 },
  ],
  plan,
  planVsActual: [
    { phase: 1, end: "2027-02-28", planned: 12, removed: 3 },
    { phase: 2, end: "2027-05-29", planned: 9, removed: 0 },
    { phase: 3, end: "2027-08-27", planned: 4, removed: 0 },
  ],
  devices,
  auditHead: { seq: 4182, hash: "c0ffee00d15ea5e5a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899" },
};
