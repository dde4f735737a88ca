import { identifyAll, loadKnowledge } from "../../identify/index.js";
import { readObservationsFile } from "../../observations/index.js";
import {
  formatDevices,
  formatExplanation,
  formatSummary,
  presentIdentification,
  summarize,
} from "../../report/index.js";
import { UsageError } from "../../shared/errors.js";
import { out, outputFormat, type FormatFlags } from "../output.js";

/** Same engine and output as `scan`, from saved observations. */
export async function identifyCommand(
  file: string,
  flags: FormatFlags & { summary?: boolean; explain?: boolean },
): Promise<number> {
  const format = outputFormat(flags);
  if (flags.explain && format !== "table")
    throw new UsageError("--explain is for people; --json already carries the evidence");
  const observations = await readObservationsFile(file);
  const kb = loadKnowledge();
  const ids = identifyAll(observations, kb);
  const views = ids.map((idf) => {
    const mine = observations.filter((o) => o.target === idf.target && idf.target !== null);
    const openPorts = [
      ...new Set(mine.filter((o) => o.port !== undefined && !o.error).map((o) => o.port as number)),
    ];
    return presentIdentification(idf, { address: idf.target, openPorts: openPorts.sort((a, b) => a - b) });
  });
  if (flags.explain) {
    const policies = new Map(kb.policies.map((p) => [p.id, p]));
    out(views.length ? views.map((v) => formatExplanation(v, policies)).join("\n\n") : "no observations");
  } else if (format === "table") {
    out(views.length ? formatDevices(views, "table") : "no observations");
    if (flags.summary !== false) out(`\n${formatSummary(summarize(views))}`);
  } else if (views.length) out(formatDevices(views, format));
  return 0;
}
