import { loadKnowledge } from "../identify/index.js";
import {
  addToSummary,
  emptySummary,
  formatCsv,
  formatExplanation,
  formatJsonLines,
  formatSummary,
  tableWriter,
  type DeviceView,
} from "../report/index.js";
import { UsageError } from "../shared/errors.js";
import { out, outputFormat, type FormatFlags } from "./output.js";

export interface ShowFlags extends FormatFlags {
  summary?: boolean;
  explain?: boolean;
}

/** --explain is a text report for people; machine formats already carry the evidence. */
export function checkShowFlags(flags: ShowFlags): void {
  outputFormat(flags);
  if (flags.explain && (flags.json || flags.csv))
    throw new UsageError("--explain is for people; --json already carries the evidence");
}

/** Devices as a table (with summary), JSON Lines, CSV, or one explanation per device. */
export function showDevices(views: DeviceView[], flags: ShowFlags, empty: string, withSummary = true): void {
  const show = deviceOutput(flags, empty, withSummary);
  show.write(views);
  show.end();
}

/**
 * The same output written as the devices come, a page at a time: a list of a million is never held whole. The
 * table's summary is counted page by page and printed at the end.
 */
export function deviceOutput(
  flags: ShowFlags,
  empty: string,
  withSummary = true,
): { write(views: DeviceView[]): void; end(): void } {
  const format = outputFormat(flags);
  const summary = emptySummary();
  const table = tableWriter();
  const policies = flags.explain ? new Map(loadKnowledge().policies.map((p) => [p.id, p])) : undefined;
  return {
    write(views) {
      if (!views.length) return;
      const first = summary.devices === 0;
      addToSummary(summary, views);
      if (policies) {
        const text = views.map((v) => formatExplanation(v, policies)).join("\n\n");
        out(first ? text : `\n${text}`);
      } else if (format === "json") out(formatJsonLines(views));
      else if (format === "csv") out(formatCsv(views, { header: first }));
      else out(table(views));
    },
    end() {
      if (summary.devices === 0) {
        if (format === "table") out(empty);
        return;
      }
      if (format === "table" && !policies && withSummary && flags.summary !== false)
        out(`\n${formatSummary(summary)}`);
    },
  };
}
