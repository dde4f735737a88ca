import { ObservationSchema, type Observation } from "../../observations/observation.js";
import type { NeighbourEntry } from "./entry.js";
import type { NeighbourSource } from "./read.js";

export interface NeighbourObservationOptions {
  /**
   * The scanned hosts, as canonical addresses (resolveTargets' form), or a test. Entries for other addresses are
   * not recorded: a scan ties MACs to the hosts it was asked about, not to everything the machine has talked to.
   */
  hosts: ReadonlySet<string> | ((address: string) => boolean);
  source: NeighbourSource;
  /** time of the reading (default now) */
  time?: string;
}

/**
 * Neighbour entries -> `neighbour` observations: target = the address, mac = its MAC, request = where the table
 * came from (and the entry's interface and state). Identification reads the MAC as every observation's
 * (`link.mac`, then the IEEE registry); the observation carries nothing else. One per distinct address and MAC.
 */
export function neighbourObservations(
  entries: readonly NeighbourEntry[],
  opts: NeighbourObservationOptions,
): Observation[] {
  const wanted =
    typeof opts.hosts === "function" ? opts.hosts : (a: string) => (opts.hosts as ReadonlySet<string>).has(a);
  const time = opts.time ?? new Date().toISOString();
  const seen = new Set<string>();
  const out: Observation[] = [];
  for (const e of entries) {
    const key = `${e.address} ${e.mac}`;
    if (seen.has(key) || !wanted(e.address)) continue;
    seen.add(key);
    const request: Record<string, string> = { source: opts.source };
    if (e.interface) request.interface = e.interface;
    if (e.state) request.state = e.state;
    out.push(
      ObservationSchema.parse({ target: e.address, mac: e.mac, protocol: "neighbour", request, time }),
    );
  }
  return out;
}
