import { identify, loadKnowledge } from "../../identify/index.js";
import { openInventory } from "../../inventory/index.js";
import { FORMATS, importFormat } from "../../imports/formats/index.js";
import type { FormatReport } from "../../imports/formats/read-report.js";
import type { ImportError } from "../../imports/record.js";
import { runImport } from "../../imports/run.js";
import { alertReopened } from "./scan.js";
import { forTerminal } from "../../report/index.js";
import { UsageError } from "../../shared/errors.js";
import { resolveDataDir } from "../../shared/paths.js";
import { auditContext, type AuditFlags } from "../audit-flags.js";
import { err, interruptSignal, out } from "../output.js";

export interface ImportFlags extends AuditFlags {
  site?: string;
  strict?: boolean;
  columns?: string;
  batch?: number;
  progress?: boolean;
  dataDir?: string;
}

/** Row errors printed one per line up to this many; the rest are counted. */
const SHOWN_ERRORS = 100;

export function formatList(): string {
  return FORMATS.map((f) => `${f.id.padEnd(16)} ${f.description}`).join("\n");
}

/** `camsweep import FORMAT FILE`: streams a file of another tool or system into the inventory. */
export async function importCommand(formatId: string, file: string, flags: ImportFlags): Promise<number> {
  const format = importFormat(formatId);
  if (!format) throw new UsageError(`unknown import format "${formatId}"; the formats:\n${formatList()}`);
  const columns = flags.columns ? parseColumns(flags.columns) : undefined;
  const inv = await openInventory(resolveDataDir(flags.dataDir), { audit: auditContext(flags) });
  const kb = loadKnowledge();
  const interrupt = interruptSignal();
  let shown = 0;
  const onError = (e: ImportError) => {
    if (shown++ < SHOWN_ERRORS)
      err(`camsweep: ${file}:${e.line}: ${e.field ? `${e.field}: ` : ""}${forTerminal(e.message, 300)}`);
  };
  try {
    const r = await runImport({
      format,
      file,
      store: inv.store,
      identify: (obs) => identify(obs, kb),
      ...(flags.site ? { siteId: flags.site } : {}),
      ...(flags.strict ? { strict: true } : {}),
      ...(columns ? { columns } : {}),
      ...(flags.batch ? { batchSize: flags.batch } : {}),
      signal: interrupt.signal,
      onError,
      ...(flags.progress
        ? {
            onProgress: (rows: number, records: number) =>
              err(`camsweep: committed up to line ${rows} (${records} records)`),
          }
        : {}),
    });
    if (shown > SHOWN_ERRORS) err(`camsweep: ... and ${shown - SHOWN_ERRORS} more bad rows`);
    switch (r.status) {
      case "already-imported":
        out(`${file}: already imported (import ${r.id}, ${r.importedAt}); nothing done`);
        return 0;
      case "rejected":
        err(`camsweep: ${file}: ${r.errors} bad rows; --strict imports nothing`);
        return 2;
      case "interrupted":
        err(
          `camsweep: import interrupted after line ${r.rows}; what was committed stays. Run the same command to continue.`,
        );
        return 130;
      case "done":
        for (const line of describeReport(r.report)) err(`camsweep: ${file}: ${line}`);
        alertReopened(r.reopened ?? []);
        out(
          `${file}: ${r.records} records from ${r.rows} lines` +
            (r.resumedAfter ? ` (continued after line ${r.resumedAfter})` : "") +
            `: ${r.created} devices added, ${r.updated} updated` +
            (r.conflicts ? `, ${r.conflicts} conflicts kept (camsweep devices --json shows them)` : "") +
            (r.errors ? `; ${r.errors} bad rows skipped` : ""),
        );
        return 0;
    }
  } finally {
    interrupt.dispose();
    await inv.close();
  }
}

/** "address=IP Addr,mac=MAC" -> {address: "IP Addr", mac: "MAC"} */
function parseColumns(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of spec.split(",")) {
    const i = pair.indexOf("=");
    if (i <= 0 || i === pair.length - 1)
      throw new UsageError(`--columns: "${pair}" is not FIELD=COLUMN (e.g. address="IP Addr",mac=MAC)`);
    out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return out;
}

/** What the format said of the file, for the operator: an encoding guessed, lines dropped as no camera's. */
function describeReport(r: FormatReport): string[] {
  const lines: string[] = [];
  if (r.encoding) lines.push(`read as ${r.encoding}`);
  if (r.queries !== undefined)
    lines.push(
      `${r.queries} DNS queries read: ${r.dropped ?? 0} named no camera cloud and ${r.repeats ?? 0} repeated one (not recorded)`,
    );
  return lines;
}
