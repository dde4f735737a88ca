import { identifyAll, loadKnowledge } from "../../identify/index.js";
import { readObservationsFile } from "../../observations/index.js";
import { formatDevices, formatSummary, presentIdentification, summarize } from "../../report/index.js";
import { out, outputFormat, type FormatFlags } from "../output.js";

/** Same engine and output as `scan`, from saved observations. */
export async function identifyCommand(
  file: string,
  flags: FormatFlags & { summary?: boolean },
): Promise<number> {
  const format = outputFormat(flags);
  const observations = await readObservationsFile(file);
  const ids = identifyAll(observations, loadKnowledge());
  const views = ids.map((idf) => {
    const mine = observations.filter((o) => o.target === idf.target && idf.target !== null);
    const openPorts = [
      ...new Set(mine.filter((o) => o.port !== undefined && !o.error).map((o) => o.port as number)),
    ];
    return presentIdentification(idf, { address: idf.target, openPorts: openPorts.sort((a, b) => a - b) });
  });
  if (format === "table") {
    out(views.length ? formatDevices(views, "table") : "no observations");
    if (flags.summary !== false) out(`\n${formatSummary(summarize(views))}`);
  } else if (views.length) out(formatDevices(views, format));
  return 0;
}
