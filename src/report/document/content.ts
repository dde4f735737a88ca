import { isGone } from "../../remediation/states.js";
import {
  groupedBars,
  PALETTE,
  partBars,
  stackedBars,
  timeLines,
  type Chart,
  type NumberFormat,
} from "./charts.js";
import {
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  labelled,
  MESSAGES,
  t,
  type MessageKey,
} from "./i18n.js";
import type {
  Lang,
  OrganizationReport,
  ReportDevice,
  ReportModel,
  SiteReport,
  StatusCounts,
} from "./model.js";
import { readPlanWarnings } from "../../plan/warnings.js";
import { planWarningText } from "./plan-warnings.js";
import { clip } from "./safe-text.js";

/**
 * The report's content in the chosen language, worked out once and shaped for no format in particular: html.ts and
 * pdf.ts only lay it out. Device-controlled strings are kept raw (only clipped in length); each renderer escapes.
 */
export type Tone = "prohibited" | "excepted" | "advisory" | "allowed" | "unowned" | "removed";

/** A cell: text, lines of text (each escaped on its own), or a status shown with its colour. */
export type Cell = string | string[] | { text: string; tone: Tone };

export interface Column {
  label: string;
  /** share of the table's width */
  width: number;
  numeric?: boolean;
}

export interface Table {
  columns: Column[];
  rows: Cell[][];
}

export interface Figure {
  label: string;
  value: string;
  tone?: Tone;
}

export interface Section {
  heading: string;
  subtitle?: string;
  table: Table | null;
  /** shown instead of an empty table */
  empty?: string;
}

export interface ReportContent {
  lang: Lang;
  title: string;
  /** label, value: the title block */
  meta: [string, string][];
  summary: { heading: string; figures: Figure[]; sentences: string[] };
  plan: {
    heading: string;
    lines: string[];
    table: Table | null;
    warningsHeading: string;
    warnings: string[];
  };
  charts: { heading: string; items: { title: string; chart: Chart }[] };
  organizations: { heading: string; items: Section[] };
  devices: { heading: string; items: Section[] };
  method: { heading: string; terms: [string, string][]; paragraphs: string[]; footnote: string };
}

/** The width charts are laid out for: the PDF's text width (Letter, 40 pt margins); the HTML scales them. */
export const CHART_WIDTH = 532;

/** A device string's length in a table cell: a hostile 10 kB model must not fill pages. */
const CELL_MAX = 80;

export function reportContent(model: ReportModel, lang: Lang): ReportContent {
  const num: NumberFormat = (n) => formatNumber(n, lang);
  return {
    lang,
    title: t(lang, "title"),
    meta: titleMeta(model, lang),
    summary: summary(model, lang),
    plan: planStatus(model, lang),
    charts: { heading: t(lang, "charts"), items: charts(model, lang, num) },
    organizations: {
      heading: t(lang, "organizations"),
      items: model.organizations.map((o) => organization(o, lang)),
    },
    devices: { heading: t(lang, "devices"), items: deviceSections(model, lang) },
    method: method(lang),
  };
}

function titleMeta(model: ReportModel, lang: Lang): [string, string][] {
  const a = model.assessment;
  const packs = a?.packs.length
    ? a.packs.map((p) => `${p.id} (sha256 ${p.sha256.slice(0, 12)})`).join(", ")
    : t(lang, "none");
  return [
    [t(lang, "organization"), model.organization?.name ?? t(lang, "allOrganizations")],
    [t(lang, "asOf"), formatDate(model.asOf, lang, "long")],
    [t(lang, "generated"), formatDateTime(model.generatedAt, lang)],
    [
      t(lang, "assessment"),
      a
        ? `${a.id}${a.finishedAt ? ` (${formatDateTime(a.finishedAt, lang)})` : ""}`
        : t(lang, "noAssessment"),
    ],
    [t(lang, "policyPacks"), packs],
    [
      t(lang, "auditHead"),
      model.auditHead
        ? `${model.auditHead.seq}:${model.auditHead.hash.slice(0, 16)}`
        : t(lang, "noAuditHead"),
    ],
  ];
}

/** Both languages of one thing, English first. */
export type Pair = readonly [en: string, fr: string];

/** The first page of a bilingual report: the title block and key figures, each with both languages' labels. */
export interface CoverContent {
  titles: Pair;
  meta: { labels: Pair; values: Pair }[];
  figures: { labels: Pair; value: string; tone?: Tone }[];
  /** the summary's first sentence in each language */
  leads: Pair;
  /** the two language parts, each named in its own language */
  parts: { lang: Lang; label: string }[];
}

const LANGS = ["en", "fr"] as const;
const pair = (f: (lang: Lang) => string): Pair => [f("en"), f("fr")];

export function coverContent(model: ReportModel): CoverContent {
  const [en, fr] = [titleMeta(model, "en"), titleMeta(model, "fr")];
  // organization, as of, generated, assessment, audit head: the packs' list stays in each language's title block
  const rows = [0, 1, 2, 3, 5];
  const summaries = LANGS.map((lang) => summary(model, lang));
  return {
    titles: pair((lang) => t(lang, "title")),
    meta: rows.map((i) => ({
      labels: [en[i]?.[0] ?? "", fr[i]?.[0] ?? ""],
      values: [en[i]?.[1] ?? "", fr[i]?.[1] ?? ""],
    })),
    // One number for both labels: grouped with a space, the SI way that both languages accept.
    figures: (summaries[0]?.figures ?? []).map((f, i) => ({
      labels: [f.label, summaries[1]?.figures[i]?.label ?? ""],
      value: summaries[1]?.figures[i]?.value ?? f.value,
      ...(f.tone ? { tone: f.tone } : {}),
    })),
    leads: [summaries[0]?.sentences[0] ?? "", summaries[1]?.sentences[0] ?? ""],
    parts: LANGS.map((lang) => ({ lang, label: t(lang, "cover.version") })),
  };
}

/** Prohibited, on the network, and not covered by an approved exception still running on the as-of day. */
export function remainsProhibited(d: ReportDevice, asOf: string): boolean {
  if (d.status !== "prohibited" || isGone(d.workflow)) return false;
  const e = d.exception;
  return !(e?.state === "approved" && (e.expires === null || e.expires >= asOf));
}

function summary(model: ReportModel, lang: Lang): ReportContent["summary"] {
  const c = model.totals;
  const figures: Figure[] = [
    { label: t(lang, "fig.devices"), value: formatNumber(c.devices, lang) },
    { label: t(lang, "fig.prohibited"), value: formatNumber(c.prohibited, lang), tone: "prohibited" },
    { label: t(lang, "fig.excepted"), value: formatNumber(c.excepted, lang), tone: "excepted" },
    { label: t(lang, "fig.removed"), value: formatNumber(c.removed, lang), tone: "removed" },
    { label: t(lang, "fig.reopened"), value: formatNumber(c.reopened, lang) },
    { label: t(lang, "fig.kev"), value: formatNumber(c.kev, lang) },
  ];
  return { heading: t(lang, "summary"), figures, sentences: sentences(model, lang).slice(0, 4) };
}

/** The summary's generated sentences, most pressing first (the caller keeps the first four). */
function sentences(model: ReportModel, lang: Lang): string[] {
  const c = model.totals;
  const out: string[] = [];
  if (c.prohibited > 0) {
    const remaining = model.devices.filter((d) => remainsProhibited(d, model.asOf));
    const sites = new Set(remaining.map((d) => d.siteId ?? "")).size;
    const kev = remaining.filter((d) => d.kev > 0).length;
    let s = t(lang, "s.remain", { n: c.prohibited });
    if (sites > 0) s += t(lang, "s.atSites", { n: sites });
    if (kev > 0) s += t(lang, "s.kev", { n: kev });
    out.push(`${s}.`);
  } else out.push(t(lang, "s.noneRemain"));
  if (c.excepted > 0) out.push(t(lang, "s.excepted", { n: c.excepted }));
  if (c.reopened > 0) out.push(t(lang, "s.reopened", { n: c.reopened }));
  if (c.unowned > 0) out.push(t(lang, "s.unowned", { n: c.unowned }));
  const withRemovals = model.organizations.flatMap((o) => o.sites).filter((s) => s.verifiedClear !== null);
  if (withRemovals.length > 0)
    out.push(
      t(lang, "s.verified", {
        k: formatNumber(withRemovals.filter((s) => s.verifiedClear).length, lang),
        m: formatNumber(withRemovals.length, lang),
      }),
    );
  if (c.removed > 0) out.push(t(lang, "s.removed", { n: c.removed }));
  return out;
}

function planStatus(model: ReportModel, lang: Lang): ReportContent["plan"] {
  const heading = t(lang, "plan");
  const warningsHeading = t(lang, "plan.warnings");
  const plan = model.plan;
  if (!plan) return { heading, lines: [t(lang, "noPlan")], table: null, warningsHeading, warnings: [] };
  const money = (n: number) => formatMoney(n, plan.currency, lang);
  const first = plan.phases[0];
  const last = plan.phases[plan.phases.length - 1];
  const lines = [
    t(lang, "plan.line", {
      n: plan.phases.length,
      start: formatDate(first?.start ?? plan.options.start, lang),
      end: formatDate(last?.end ?? plan.options.start, lang),
      cost: money(plan.totalCost),
      budget: plan.options.budget === null ? t(lang, "plan.unlimited") : money(plan.options.budget),
    }),
  ];
  if (plan.unfunded.length > 0)
    lines.push(
      t(lang, "plan.unfunded", {
        n: plan.unfunded.length,
        cost: money(plan.unfunded.reduce((a, u) => a + u.cost, 0)),
      }),
    );
  const table: Table = {
    columns: [
      { label: t(lang, "col.phase"), width: 1 },
      { label: t(lang, "col.start"), width: 1.6 },
      { label: t(lang, "col.end"), width: 1.6 },
      { label: t(lang, "col.devices"), width: 1.2, numeric: true },
      { label: t(lang, "col.cost"), width: 1.8, numeric: true },
      { label: t(lang, "col.budget"), width: 1.8, numeric: true },
      { label: t(lang, "col.late"), width: 1.4, numeric: true },
    ],
    rows: plan.phases.map((p) => [
      formatNumber(p.number, lang),
      formatDate(p.start, lang),
      formatDate(p.end, lang),
      formatNumber(p.deviceCount, lang),
      money(p.cost),
      p.budget === null ? "—" : money(p.budget),
      formatNumber(p.late.length, lang),
    ]),
  };
  const warnings = readPlanWarnings(plan.warnings).map((w) => planWarningText(w, lang, plan.currency));
  return { heading, lines, table, warningsHeading, warnings };
}

const STATUS_SERIES = ["prohibited", "excepted", "advisory", "allowed", "unowned", "removed"] as const;

function charts(model: ReportModel, lang: Lang, num: NumberFormat): { title: string; chart: Chart }[] {
  const noData = t(lang, "noData");
  const status = stackedBars(
    CHART_WIDTH,
    STATUS_SERIES.map((s) => ({ label: t(lang, `status.${s}`), colour: PALETTE[s] })),
    model.organizations.map((o) => ({
      label: organizationName(o, lang),
      values: STATUS_SERIES.map((s) => o.counts[s]),
    })),
    num,
    noData,
  );
  const burnDown = timeLines(
    CHART_WIDTH,
    [
      { label: t(lang, "legend.actual"), colour: PALETTE.prohibited, dashed: false },
      { label: t(lang, "legend.planned"), colour: PALETTE.removed, dashed: true },
    ],
    model.burnDown.map((p) => ({ date: p.date, values: [p.actual, p.planned] })),
    num,
    noData,
  );
  const manufacturers = partBars(
    CHART_WIDTH,
    { label: t(lang, "status.prohibited"), colour: PALETTE.prohibited },
    { label: t(lang, "legend.otherDevices"), colour: PALETTE.other },
    topManufacturers(model, lang),
    num,
    noData,
  );
  const planVsActual = groupedBars(
    CHART_WIDTH,
    [
      { label: t(lang, "legend.planned"), colour: PALETTE.planned },
      { label: t(lang, "legend.removed"), colour: PALETTE.removed },
    ],
    model.planVsActual.map((p) => ({
      label: t(lang, "phaseN", { n: p.phase }),
      sublabel: formatDate(p.end, lang),
      values: [p.planned, p.removed],
    })),
    num,
    noData,
  );
  return [
    { title: t(lang, "chart.status"), chart: status },
    { title: t(lang, "chart.burnDown"), chart: burnDown },
    { title: t(lang, "chart.manufacturers"), chart: manufacturers },
    { title: t(lang, "chart.planVsActual"), chart: planVsActual },
  ];
}

/** The eight largest manufacturers by devices, the rest summed as "Other". */
function topManufacturers(model: ReportModel, lang: Lang) {
  const sorted = [...model.manufacturers].sort(
    (a, b) => b.devices - a.devices || b.prohibited - a.prohibited,
  );
  const rows = sorted.slice(0, 8).map((m) => ({
    label: m.manufacturer ?? t(lang, "unknown"),
    total: m.devices,
    part: m.prohibited,
  }));
  const rest = sorted.slice(8);
  if (rest.length > 0)
    rows.push({
      label: t(lang, "otherManufacturers"),
      total: rest.reduce((a, m) => a + m.devices, 0),
      part: rest.reduce((a, m) => a + m.prohibited, 0),
    });
  return rows;
}

function organizationName(o: OrganizationReport, lang: Lang): string {
  return o.id === null ? t(lang, "noSiteOrganization") : o.name;
}

/** A translated vocabulary word, or the raw value when it is not one the catalogue knows. */
function word(lang: Lang, prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return Object.hasOwn(MESSAGES[lang], key) ? t(lang, key as MessageKey) : value;
}

function organization(o: OrganizationReport, lang: Lang): Section {
  const parts = [
    o.type ? labelled(lang, t(lang, "type"), word(lang, "orgType", o.type)) : null,
    o.jurisdiction ? labelled(lang, t(lang, "jurisdiction"), o.jurisdiction) : null,
    labelled(lang, t(lang, "fig.devices"), formatNumber(o.counts.devices, lang)),
    labelled(lang, t(lang, "fig.prohibited"), formatNumber(o.counts.prohibited, lang)),
  ].filter((p): p is string => p !== null);
  const table: Table = {
    columns: [
      { label: t(lang, "col.site"), width: 2.6 },
      { label: t(lang, "col.criticality"), width: 1.2 },
      { label: t(lang, "col.devices"), width: 1.15, numeric: true },
      { label: t(lang, "col.prohibited"), width: 1.1, numeric: true },
      { label: t(lang, "col.excepted"), width: 1.45, numeric: true },
      { label: t(lang, "col.advisory"), width: 1.5, numeric: true },
      { label: t(lang, "col.removed"), width: 1.05, numeric: true },
      { label: t(lang, "col.kev"), width: 0.7, numeric: true },
      { label: t(lang, "col.verifiedClear"), width: 1.3 },
      { label: t(lang, "col.lastSweep"), width: 1.4 },
    ],
    rows: o.sites.map((s) => siteRow(s, lang)),
  };
  return {
    heading: clip(organizationName(o, lang), CELL_MAX),
    subtitle: parts.join(" · "),
    table: table.rows.length ? table : null,
    empty: t(lang, "noDevices"),
  };
}

function siteRow(s: SiteReport, lang: Lang): Cell[] {
  const c: StatusCounts = s.counts;
  const n = (v: number) => formatNumber(v, lang);
  return [
    clip(s.id === null ? t(lang, "noSite") : s.name, CELL_MAX),
    s.criticality ? word(lang, "criticality", s.criticality) : "—",
    n(c.devices),
    c.prohibited > 0 ? { text: n(c.prohibited), tone: "prohibited" } : n(0),
    n(c.excepted),
    n(c.advisory),
    n(c.removed),
    n(c.kev),
    s.verifiedClear === null ? "—" : s.verifiedClear ? t(lang, "yes") : t(lang, "no"),
    s.lastSweep ? formatDate(s.lastSweep, lang) : "—",
  ];
}

/** Worst first: what still needs removing leads each site's table, what is gone or allowed closes it. */
const TONE_ORDER: Record<Tone, number> = {
  prohibited: 0,
  excepted: 1,
  advisory: 2,
  unowned: 3,
  removed: 4,
  allowed: 5,
};

function severity(d: ReportDevice, asOf: string): number {
  const tone = deviceTone(d, asOf);
  return tone === null ? 6 : TONE_ORDER[tone];
}

/**
 * Device rows a human-readable report lists at most. Past a few thousand rows a report is a phone book nobody reads
 * (and 100,000 rows took a PDF past 3 GiB): it lists those needing action first, says per site how many it left
 * out, and points to the CSV and XLSX exports, which always hold every device.
 */
export const MAX_LISTED_DEVICES = 2000;

function deviceSections(model: ReportModel, lang: Lang): Section[] {
  const siteKey = (d: ReportDevice) => `${d.organizationId ?? ""}\u0000${d.siteId ?? ""}`;
  const ranked = model.devices
    .map((d) => ({ d, severity: severity(d, model.asOf) }))
    .sort(
      (a, b) =>
        a.severity - b.severity ||
        (b.d.risk ?? -1) - (a.d.risk ?? -1) ||
        (a.d.address ?? "").localeCompare(b.d.address ?? ""),
    );
  const totals = new Map<string, number>();
  for (const d of model.devices) totals.set(siteKey(d), (totals.get(siteKey(d)) ?? 0) + 1);
  const bySite = new Map<string, ReportDevice[]>();
  for (const { d } of ranked.slice(0, MAX_LISTED_DEVICES)) {
    const list = bySite.get(siteKey(d));
    if (list) list.push(d);
    else bySite.set(siteKey(d), [d]);
  }
  // Sites in the order of the organization tables, then any site those do not list.
  const order = model.organizations.flatMap((o) => o.sites.map((s) => `${o.id ?? ""}\u0000${s.id ?? ""}`));
  const listed = new Set(order);
  const keys = [...order.filter((k) => totals.has(k)), ...[...totals.keys()].filter((k) => !listed.has(k))];
  return keys.map((k) => {
    const devices = bySite.get(k) ?? [];
    const total = totals.get(k) ?? 0;
    const d0 = devices[0] ?? model.devices.find((d) => siteKey(d) === k);
    const org = d0?.organizationName ?? (d0?.organizationId ? d0.organizationId : null);
    const site = d0?.siteName ?? d0?.siteId ?? t(lang, "noSite");
    return {
      heading: clip(org ? `${org} — ${site}` : site, CELL_MAX * 2),
      ...(devices.length < total
        ? {
            subtitle: t(lang, "devices.shown", {
              shown: formatNumber(devices.length, lang),
              total: formatNumber(total, lang),
            }),
          }
        : {}),
      table: devices.length
        ? { columns: deviceColumns(lang), rows: devices.map((d) => deviceRow(d, model.asOf, lang)) }
        : null,
      ...(devices.length ? {} : { empty: t(lang, "devices.none-shown") }),
    };
  });
}

function deviceColumns(lang: Lang): Column[] {
  return [
    { label: t(lang, "col.address"), width: 1.3 },
    { label: t(lang, "col.maker"), width: 1.3 },
    { label: t(lang, "col.model"), width: 1.45 },
    { label: t(lang, "col.firmware"), width: 1.35 },
    { label: t(lang, "col.status"), width: 1.15 },
    { label: t(lang, "col.risk"), width: 0.85 },
    { label: t(lang, "col.kev"), width: 0.45, numeric: true },
    { label: t(lang, "col.workflow"), width: 0.95 },
    { label: t(lang, "col.exception"), width: 1.3 },
  ];
}

function deviceRow(d: ReportDevice, asOf: string, lang: Lang): Cell[] {
  const cell = (s: string | null) => (s === null || s === "" ? "—" : clip(s, CELL_MAX));
  const host = [d.address, d.hostname].filter((s): s is string => !!s).map((s) => clip(s, CELL_MAX));
  const maker = [d.manufacturer, d.brand && d.brand !== d.manufacturer ? d.brand : null]
    .filter((s): s is string => !!s)
    .map((s) => clip(s, CELL_MAX))
    .join(" / ");
  const e = d.exception;
  const exception = e
    ? `${e.expires ? t(lang, "exception.until", { state: word(lang, "exception", e.state), date: formatDate(e.expires, lang) }) : word(lang, "exception", e.state)}${e.approver ? ` (${clip(e.approver, 40)})` : ""}`
    : "—";
  return [
    host.length ? host : "—",
    maker || "—",
    cell(d.model),
    cell(d.firmware),
    statusCell(d, asOf, lang),
    d.risk === null
      ? "—"
      : `${formatNumber(d.risk, lang)}${d.riskLevel ? ` (${word(lang, "risk", d.riskLevel)})` : ""}`,
    formatNumber(d.kev, lang),
    word(lang, "workflow", d.workflow),
    exception,
  ];
}

/** What the device's row shows: its verdict, unless it is gone or kept under an exception. Null: not assessed. */
function deviceTone(d: ReportDevice, asOf: string): Tone | null {
  if (d.status === null) return null;
  if (isGone(d.workflow) && d.status !== "allowed") return "removed";
  if (d.status === "prohibited" && !remainsProhibited(d, asOf)) return "excepted";
  return d.status;
}

function statusCell(d: ReportDevice, asOf: string, lang: Lang): Cell {
  const tone = deviceTone(d, asOf);
  if (d.status === null || tone === null) return t(lang, "status.notAssessed");
  if (tone === "removed")
    return { text: `${t(lang, `status.${d.status}`)}, ${t(lang, "status.removed").toLowerCase()}`, tone };
  return { text: t(lang, `status.${tone}`), tone };
}

function method(lang: Lang): ReportContent["method"] {
  const terms = (["prohibited", "excepted", "advisory", "allowed", "unowned", "removed"] as const).map(
    (s): [string, string] => [t(lang, `status.${s}`), t(lang, `method.${s}`)],
  );
  terms.push([t(lang, "col.verifiedClear"), t(lang, "method.verifiedClear")], ["KEV", t(lang, "method.kev")]);
  return {
    heading: t(lang, "method"),
    terms,
    paragraphs: [t(lang, "method.trace")],
    footnote: t(lang, "method.footnote"),
  };
}
