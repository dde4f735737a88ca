import type { AssessedDeviceRow, AssessmentSummary, SiteCompliance } from "../inventory/index.js";
import { columns } from "../shared/columns.js";
import { forTerminal } from "./escape.js";

/**
 * `camsweep status`: compliance per organization and site from the stored verdicts, and the exit code scripts read.
 * Organization and site names are the operator's; device text (models, firmware) goes through forTerminal.
 */

/**
 * 0: nothing prohibited and every device judged; 3: prohibited devices remain on the network without a current
 * exception (a reopened or lapsed one among them); 4: none, but some not judged.
 */
export const STATUS_EXIT = { compliant: 0, prohibited: 3, incomplete: 4 } as const;

export interface ComplianceTotals {
  devices: number;
  prohibited: number;
  advisory: number;
  allowed: number;
  unowned: number;
  excepted: number;
  lapsed: number;
  removed: number;
  reopened: number;
  unassessed: number;
  stale: number;
  kev: number;
}

export function complianceTotals(sites: readonly SiteCompliance[]): ComplianceTotals {
  const t: ComplianceTotals = {
    devices: 0,
    prohibited: 0,
    advisory: 0,
    allowed: 0,
    unowned: 0,
    excepted: 0,
    lapsed: 0,
    removed: 0,
    reopened: 0,
    unassessed: 0,
    stale: 0,
    kev: 0,
  };
  for (const s of sites) {
    t.devices += s.devices;
    t.prohibited += s.counts.prohibited;
    t.advisory += s.counts.advisory;
    t.allowed += s.counts.allowed;
    t.unowned += s.counts.unowned;
    t.excepted += s.excepted;
    t.lapsed += s.lapsed;
    t.removed += s.removed;
    t.reopened += s.reopened;
    t.unassessed += s.unassessed;
    t.stale += s.stale;
    t.kev += s.kev;
  }
  return t;
}

export function complianceExit(t: ComplianceTotals): number {
  if (t.prohibited > 0) return STATUS_EXIT.prohibited;
  return t.unassessed + t.stale > 0 ? STATUS_EXIT.incomplete : STATUS_EXIT.compliant;
}

const HEAD = [
  "ORGANIZATION / SITE",
  "TYPE / CRITICALITY",
  "DEVICES",
  "PROHIBITED",
  "EXCEPTED",
  "ADVISORY",
  "ALLOWED",
  "UNOWNED",
  "REMOVED",
  "REOPENED",
  "KEV",
  "NOT ASSESSED",
  "OUT OF DATE",
];

const cells = (t: ComplianceTotals) =>
  [
    t.devices,
    t.prohibited,
    t.excepted,
    t.advisory,
    t.allowed,
    t.unowned,
    t.removed,
    t.reopened,
    t.kev,
    t.unassessed,
    t.stale,
  ].map(String);

export function formatCompliance(sites: readonly SiteCompliance[], latest: AssessmentSummary | null): string {
  const rows: string[][] = [];
  const byOrg = new Map<string | null, SiteCompliance[]>();
  for (const s of sites) byOrg.set(s.organizationId, [...(byOrg.get(s.organizationId) ?? []), s]);
  for (const [org, list] of byOrg) {
    const first = list[0]!;
    if (org === null) {
      rows.push(["(devices on no site)", "", ...cells(complianceTotals(list))]);
      continue;
    }
    rows.push([
      `${forTerminal(org)} ${forTerminal(first.organizationName, 40)}`,
      first.organizationType ?? "",
      ...cells(complianceTotals(list)),
    ]);
    for (const s of list)
      rows.push([
        `  ${forTerminal(s.siteId)} ${forTerminal(s.siteName, 40)}`,
        s.criticality ?? "",
        ...cells(complianceTotals([s])),
      ]);
  }
  const t = complianceTotals(sites);
  const lines = [
    basisLine(latest),
    "",
    rows.length ? columns(HEAD, rows) : "no organizations or devices in the inventory",
  ];
  lines.push("", totalsLine(t));
  if (t.unowned)
    lines.push(
      `${t.unowned} device(s) are on no site, so no rule can be said to bind them: map their segments to a site ` +
        "(camsweep site segment) and assess again.",
    );
  if (t.unassessed || t.stale)
    lines.push(
      `${t.unassessed} device(s) not assessed and ${t.stale} seen again or moved since their assessment: ` +
        "run camsweep assess.",
    );
  if (t.reopened)
    lines.push(
      `ALERT: ${t.reopened} removed device(s) were seen on the network again and are reopened ` +
        "(camsweep remediate list --state reopened).",
    );
  if (t.lapsed)
    lines.push(
      `${t.lapsed} prohibited device(s) had an exception that has expired: they count as prohibited again.`,
    );
  return lines.join("\n");
}

function basisLine(a: AssessmentSummary | null): string {
  if (!a) return "No assessment has been run: camsweep assess judges the devices.";
  const scope = a.organizationId ? ` of ${a.organizationId}` : "";
  return (
    `Latest assessment${scope}: ${a.finishedAt ?? a.startedAt} (${a.devices} devices, as of ${a.day}), ` +
    `policy packs ${a.packs.map((p) => p.id).join(", ") || "none"}.`
  );
}

function totalsLine(t: ComplianceTotals): string {
  const verdict =
    t.prohibited > 0
      ? `${t.prohibited} prohibited device(s) remain.`
      : t.unassessed + t.stale > 0
        ? "No prohibited device among those assessed, but the assessment is incomplete."
        : "No prohibited device remains.";
  return (
    `Total: ${t.devices} devices: ${t.prohibited} prohibited, ${t.excepted} under an approved exception, ` +
    `${t.advisory} advisory, ${t.allowed} allowed, ${t.unowned} on no site, ${t.removed} removed; ` +
    `${t.kev} on the network with a KEV vulnerability. ${verdict}`
  );
}

/** Findings as stored by src/assess/run.ts: only what the listing reads. */
interface StoredFindings {
  verdict: {
    findings: {
      policyId: string;
      binding: boolean;
      clause: { id: string };
      deadline?: { what: string; date?: string; when?: string };
      chain: { says: string }[];
    }[];
    toCheck: { policyId: string; chain: { says: string }[] }[];
  } | null;
  vulnerabilities: {
    id: string;
    certainty: string;
    kev: { dueDate: string } | null;
    cvss: { score: number } | null;
    reason: string;
    verification?: { status: string; statement: string };
  }[];
  risk: { factors: { points: number; says: string }[] };
}

/**
 * Each device needing attention with the chain behind its verdict (device -> maker -> covered entity -> policy ->
 * organization), its vulnerabilities and its risk factors. Chain steps quote device text, so all of it is escaped.
 */
export function formatAttention(devices: readonly AssessedDeviceRow[]): string {
  const t = (s: string) => forTerminal(s, 400);
  return devices
    .map((d) => {
      const f = d.findings as StoredFindings;
      const what = [d.manufacturer, d.brand, d.model]
        .filter(Boolean)
        .map((s) => forTerminal(s))
        .join(" ");
      const fw = d.firmware ? ` firmware ${forTerminal(d.firmware)}` : "";
      const where = d.siteId ? ` on ${d.siteId} (${d.organizationId})` : " on no site";
      const lines = [
        `${forTerminal(d.address) || d.deviceId}  ${what || "unknown device"}${fw} (${d.deviceType})${where}: ` +
          `${d.status.toUpperCase()}, risk ${d.risk} (${d.riskLevel})`,
      ];
      for (const p of f.verdict?.findings ?? []) {
        const due = p.deadline
          ? `; deadline: ${p.deadline.what} ${p.deadline.date ?? p.deadline.when ?? ""}`
          : "";
        lines.push(`  ${p.policyId} (${p.binding ? "binding" : "advisory"}, clause ${p.clause.id}${due})`);
        for (const step of p.chain) lines.push(`    - ${t(step.says)}`);
      }
      for (const p of f.verdict?.toCheck ?? [])
        lines.push(
          `  to check: ${p.policyId} if ${t(p.chain[1]?.says ?? "the suspected maker")} is confirmed`,
        );
      for (const v of f.vulnerabilities) {
        const kev = v.kev ? `KEV, due ${v.kev.dueDate}` : "not in KEV";
        const cvss = v.cvss ? `CVSS ${v.cvss.score}` : "no CVSS";
        lines.push(`  ${v.id} (${v.certainty}; ${kev}; ${cvss}): ${t(v.reason)}`);
        if (v.verification) lines.push(`    verified: ${v.verification.status}. ${v.verification.statement}`);
      }
      if (f.risk.factors.length)
        lines.push(`  risk: ${f.risk.factors.map((x) => `+${x.points} ${t(x.says)}`).join("; ")}`);
      return lines.join("\n");
    })
    .join("\n\n");
}
