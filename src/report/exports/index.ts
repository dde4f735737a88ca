/** The report's data exports for other tools: CSV, XLSX, CycloneDX 1.6 JSON and NetBox's device import CSV. */
export { devicesCsv, DEVICE_COLUMNS } from "./csv.js";
export { devicesXlsx } from "./xlsx.js";
export { devicesCycloneDx, type CycloneDxBom } from "./cyclonedx.js";
export {
  devicesNetbox,
  devicesNetboxCsv,
  NETBOX_COLUMNS,
  NETBOX_STATUS,
  UNASSIGNED_SITE,
  UNKNOWN,
  type NetboxExport,
  type NetboxOptions,
} from "./netbox.js";
export { safeCell, cleanText, MAX_TEXT } from "./cells.js";
