import { packageVersion } from "../shared/paths.js";
import { type ReportLang, reportHtml, reportPdf } from "./document/index.js";
import type { ReportModel } from "./document/model.js";
import { devicesCsv, devicesCycloneDx, devicesNetbox, devicesXlsx } from "./exports/index.js";
import { REPORT_FORMATS, type ReportFormat } from "../shared/wire/lists.js";

/** What a report can be: the compliance document (HTML, PDF) or an export for another tool. */
export { REPORT_FORMATS, type ReportFormat };

/** File name extension and media type of each format, for a download. */
export const REPORT_FILES: Record<ReportFormat, { ext: string; type: string }> = {
  html: { ext: "html", type: "text/html; charset=utf-8" },
  pdf: { ext: "pdf", type: "application/pdf" },
  csv: { ext: "csv", type: "text/csv; charset=utf-8" },
  xlsx: { ext: "xlsx", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  cyclonedx: { ext: "cdx.json", type: "application/vnd.cyclonedx+json" },
  netbox: { ext: "netbox.csv", type: "text/csv; charset=utf-8" },
};

/** One gathered report rendered in one format (the CLI's `camsweep report` and the API's download). */
export async function renderReport(
  format: ReportFormat,
  model: ReportModel,
  lang: ReportLang,
  warn: (message: string) => void,
): Promise<string | Buffer> {
  switch (format) {
    case "html":
      return reportHtml(model, lang);
    case "pdf":
      return reportPdf(model, lang);
    case "csv":
      return devicesCsv(model);
    case "xlsx":
      return devicesXlsx(model);
    case "netbox": {
      // NetBox refuses a device without a site, maker or type: placeholders fill them, and the user is told.
      const nb = devicesNetbox(model);
      for (const w of nb.warnings) warn(w);
      return nb.csv;
    }
    case "cyclonedx":
      return JSON.stringify(devicesCycloneDx(model, { version: packageVersion() }), null, 2);
  }
}
