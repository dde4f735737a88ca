import { identifyAll, loadKnowledge } from "../../identify/index.js";
import { readObservationsFile, type Observation } from "../../observations/index.js";
import { presentIdentification } from "../../report/index.js";
import { checkShowFlags, showDevices, type ShowFlags } from "../show.js";

/** Same engine and output as `scan`, from saved observations. */
export async function identifyCommand(file: string, flags: ShowFlags): Promise<number> {
  checkShowFlags(flags);
  const observations = await readObservationsFile(file);
  const ids = identifyAll(observations, loadKnowledge());
  // Open ports per target, gathered once (a large nmap file has many hosts).
  const ports = new Map<string, Set<number>>();
  for (const o of observations as Observation[]) {
    if (!o.target || o.port === undefined || o.error) continue;
    const set = ports.get(o.target) ?? new Set<number>();
    set.add(o.port);
    ports.set(o.target, set);
  }
  const views = ids.map((idf) =>
    presentIdentification(idf, {
      address: idf.target,
      openPorts: [...(idf.target ? (ports.get(idf.target) ?? []) : [])].sort((a, b) => a - b),
    }),
  );
  showDevices(views, flags, "no observations");
  return 0;
}
