import { loadKnowledge } from "../identify/index.js";
import {
  formatDevices,
  formatExplanation,
  formatSummary,
  summarize,
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
  const format = outputFormat(flags);
  if (flags.explain) {
    const policies = new Map(loadKnowledge().policies.map((p) => [p.id, p]));
    out(views.length ? views.map((v) => formatExplanation(v, policies)).join("\n\n") : empty);
  } else if (format === "table") {
    out(views.length ? formatDevices(views, "table") : empty);
    if (withSummary && flags.summary !== false) out(`\n${formatSummary(summarize(views))}`);
  } else if (views.length) out(formatDevices(views, format));
}
