/** The human-readable compliance report (HTML and PDF: English, French, or both in one bilingual file) of `camsweep report`. */
export { reportHtml } from "./html.js";
export { reportPdf } from "./pdf.js";
export { REPORT_LANGS, type Lang, type ReportLang } from "./model.js";
