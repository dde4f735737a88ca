import { writeFile } from "node:fs/promises";
import { openInventory } from "../../inventory/index.js";
import { gatherReport } from "../../report/document/gather.js";
import { REPORT_LANGS, type ReportLang } from "../../report/document/index.js";
import { REPORT_FORMATS, type ReportFormat, renderReport } from "../../report/render.js";
import { dayFlag } from "../../shared/dates.js";
import { UsageError } from "../../shared/errors.js";
import { resolveDataDir } from "../../shared/paths.js";
import { organizationFlag } from "../org-flag.js";
import { err, out } from "../output.js";

const BINARY = new Set<ReportFormat>(["pdf", "xlsx"]);

/**
 * `camsweep report`: the compliance report (HTML or PDF; English, French or both in one document) or an export for other tools, from
 * one gathering of the inventory (src/report/document/gather.ts).
 */
export async function reportCommand(flags: {
  format?: string;
  lang?: string;
  org?: string;
  out?: string;
  asOf?: string;
  dataDir?: string;
}): Promise<number> {
  const format = (flags.format ?? "html") as ReportFormat;
  if (!REPORT_FORMATS.includes(format))
    throw new UsageError(`--format ${flags.format}: one of ${REPORT_FORMATS.join(", ")}`);
  const lang = (flags.lang ?? "en") as ReportLang;
  if (!REPORT_LANGS.includes(lang))
    throw new UsageError(`--lang ${flags.lang}: one of ${REPORT_LANGS.join(", ")}`);
  if (BINARY.has(format) && !flags.out)
    throw new UsageError(`--format ${format} writes a file: give --out FILE`);
  const today = dayFlag(flags.asOf);
  const inv = await openInventory(resolveDataDir(flags.dataDir), { readOnly: true });
  let body: string | Buffer;
  let devices: number;
  try {
    const org = await organizationFlag(inv.store, flags.org);
    const model = await gatherReport(inv, { organizationId: org, today });
    devices = model.devices.length;
    body = await renderReport(format, model, lang, (w) => err(`camsweep: warning: ${w}`));
  } finally {
    await inv.close();
  }
  if (flags.out) {
    await writeFile(flags.out, body);
    out(`${format} report of ${devices} device(s) written to ${flags.out}`);
  } else out(String(body).trimEnd());
  return 0;
}
