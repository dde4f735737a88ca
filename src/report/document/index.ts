/** The human-readable compliance report (HTML and PDF, English and French) of `camsweep report`. */
export { reportHtml } from "./html.js";
export { reportPdf } from "./pdf.js";
export type { Lang } from "./model.js";
