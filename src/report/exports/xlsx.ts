import ExcelJS from "exceljs";
import type { ReportModel, StatusCounts } from "../document/model.js";
import { readPlanWarnings } from "../../plan/warnings.js";
import { safeCell } from "./cells.js";
import { DEVICE_COLUMNS, type CellValue } from "./csv.js";

/**
 * The report as a workbook: Summary (totals, per organization and site), Devices (the CSV's columns) and Plan.
 * exceljs writes a string as a string even when it starts with "=" (only `{ formula }` makes a formula), but a user
 * may save the sheet as CSV, so text cells carry the same neutralisation as the CSV export.
 */

/** Every count, in the report's order; keyed so a new count fails to compile until it has a heading. */
const COUNT_HEADINGS: { [K in keyof StatusCounts]-?: string } = {
  devices: "Devices",
  prohibited: "Prohibited",
  excepted: "Excepted",
  advisory: "Advisory",
  allowed: "Allowed",
  unowned: "Unowned",
  removed: "Removed",
  reopened: "Reopened",
  kev: "Known exploited",
  notAssessed: "Not assessed",
};
const COUNT_KEYS = Object.keys(COUNT_HEADINGS) as (keyof StatusCounts)[];

/** Text through safeCell; numbers stay numbers (ours, never device text); null is an empty cell. */
const cell = (v: CellValue): ExcelJS.CellValue => (typeof v === "string" ? safeCell(v) : v);

function addRow(ws: ExcelJS.Worksheet, values: CellValue[], bold = false): void {
  const row = ws.addRow(values.map(cell));
  if (bold) row.font = { bold: true };
}

const yesNo = (b: boolean | null): string | null => (b === null ? null : b ? "yes" : "no");

function summarySheet(wb: ExcelJS.Workbook, m: ReportModel): void {
  const ws = wb.addWorksheet("Summary");
  addRow(ws, ["camsweep compliance report"], true);
  addRow(ws, ["Generated", m.generatedAt]);
  addRow(ws, ["As of", m.asOf]);
  addRow(ws, ["Organization", m.organization?.name ?? "all organizations"]);
  addRow(ws, [
    "Assessment",
    m.assessment ? `${m.assessment.id} (${m.assessment.finishedAt ?? "unfinished"})` : null,
  ]);
  addRow(ws, ["Policy packs", m.assessment?.packs.map((p) => p.id).join(" ") ?? null]);
  addRow(ws, ["Audit log head", m.auditHead ? `${m.auditHead.seq} ${m.auditHead.hash}` : null]);
  ws.addRow([]);
  const head = ["Organization", "Site", "Criticality", ...COUNT_KEYS.map((k) => COUNT_HEADINGS[k])];
  addRow(ws, [...head, "Verified clear", "Last sweep", "Last removal"], true);
  const counts = (c: StatusCounts) => COUNT_KEYS.map((k) => c[k]);
  addRow(ws, ["All", null, null, ...counts(m.totals)], true);
  for (const o of m.organizations) {
    addRow(ws, [o.name, null, null, ...counts(o.counts)]);
    for (const s of o.sites)
      addRow(ws, [
        o.name,
        s.name,
        s.criticality,
        ...counts(s.counts),
        yesNo(s.verifiedClear),
        s.lastSweep,
        s.lastRemoval,
      ]);
  }
  ws.getColumn(1).width = 28;
  ws.getColumn(2).width = 24;
}

function devicesSheet(wb: ExcelJS.Workbook, m: ReportModel): void {
  const ws = wb.addWorksheet("Devices", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = DEVICE_COLUMNS.map(([h]) => ({ header: h, width: Math.min(Math.max(h.length + 2, 14), 40) }));
  ws.getRow(1).font = { bold: true };
  for (const d of m.devices)
    addRow(
      ws,
      DEVICE_COLUMNS.map(([, get]) => get(d)),
    );
  ws.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: m.devices.length + 1, column: DEVICE_COLUMNS.length },
  };
}

function planSheet(wb: ExcelJS.Workbook, m: ReportModel): void {
  const ws = wb.addWorksheet("Plan");
  const p = m.plan;
  if (!p) {
    addRow(ws, ["No saved plan."]);
    return;
  }
  addRow(ws, ["Start", p.options.start]);
  addRow(ws, ["Phases", p.options.phases]);
  addRow(ws, ["Days per phase", p.options.phaseDays]);
  addRow(ws, ["Budget", p.options.budget ?? "unlimited"]);
  addRow(ws, ["Currency", p.currency]);
  addRow(ws, ["Total cost", p.totalCost]);
  addRow(ws, ["Unfunded devices", p.unfunded.length]);
  addRow(ws, ["Cost model", `${p.costModel.file} (sha256 ${p.costModel.sha256})`]);
  ws.addRow([]);
  addRow(ws, ["Phase", "Start", "End", "Budget", "Devices", "Cost", "Sites", "Late", "Removed by end"], true);
  for (const ph of p.phases) {
    const actual = m.planVsActual.find((a) => a.phase === ph.number);
    const sites = ph.visits.map((v) => v.siteName).join(", ");
    addRow(ws, [
      ph.number,
      ph.start,
      ph.end,
      ph.budget,
      ph.deviceCount,
      ph.cost,
      sites,
      ph.late.length,
      actual?.removed ?? null,
    ]);
  }
  // English, as the rest of the workbook; a plan saved before warnings had codes holds the sentences alone.
  const warnings = readPlanWarnings(p.warnings);
  if (warnings.length) ws.addRow([]);
  for (const w of warnings) addRow(ws, ["Warning", w.text]);
  ws.getColumn(1).width = 18;
  ws.getColumn(7).width = 40;
}

/** The workbook as an .xlsx file's bytes. Dated from the report, so the same report gives the same content. */
export async function devicesXlsx(model: ReportModel): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "camsweep";
  wb.created = wb.modified = new Date(model.generatedAt);
  summarySheet(wb, model);
  devicesSheet(wb, model);
  planSheet(wb, model);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
