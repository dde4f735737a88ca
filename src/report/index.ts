export { presentIdentification, presentRecord, type DeviceView } from "./present.js";
export {
  formatDevices,
  formatTable,
  formatCsv,
  formatJsonLines,
  tableWriter,
  type OutputFormat,
} from "./formats.js";
export { addToSummary, emptySummary, summarize, formatSummary, type Summary } from "./summary.js";
export { forTerminal } from "./escape.js";
export { formatExplanation, type PolicyInfo } from "./explain.js";
