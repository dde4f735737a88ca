import { networkInterfaces } from "node:os";
import ipaddr from "ipaddr.js";
import type { Observation } from "../observations/observation.js";
import {
  type LocalNeighbours,
  type NeighbourTable,
  neighbourObservations,
  readNeighbours,
  type ReadNeighboursOptions,
} from "../probes/neighbours/index.js";

/** A subnet this machine is attached to (an interface address with its prefix). */
export interface AttachedSubnet {
  interface: string;
  cidr: string;
}

/** The subnets of this machine's interfaces, loopback left out (loopback has no link-layer neighbours). */
export function attachedSubnets(): AttachedSubnet[] {
  const out: AttachedSubnet[] = [];
  for (const [name, addrs] of Object.entries(networkInterfaces()))
    for (const a of addrs ?? []) if (!a.internal && a.cidr) out.push({ interface: name, cidr: a.cidr });
  return out;
}

/**
 * MACs of scanned hosts on this machine's own links, from the neighbour table (reading only: the scan's own
 * probes have just put each host there). The table is read at most once per `refreshMs`, whoever asks, so a
 * segment of hundreds of hosts costs a few reads, not one each. Hosts elsewhere are routed: their table entry
 * would be the router's MAC, so they are never looked up.
 */
export class NeighbourLookup {
  private readonly subnets: [ipaddr.IPv4 | ipaddr.IPv6, number][];
  private table: Promise<LocalNeighbours> | undefined;
  private readAt = 0;
  /** addresses that got a MAC, for the scan's coverage report */
  readonly found = new Set<string>();

  constructor(
    subnets: readonly AttachedSubnet[] = attachedSubnets(),
    private readonly read: (o?: ReadNeighboursOptions) => Promise<LocalNeighbours> = readNeighbours,
    private readonly refreshMs = 1000,
    /** tables taken on the scanned segments themselves (an `arp -a` from a PC there): they hold for any address */
    private readonly imported: readonly NeighbourTable[] = [],
  ) {
    this.subnets = subnets.flatMap((s) => {
      try {
        return [ipaddr.parseCIDR(s.cidr)];
      } catch {
        return [];
      }
    });
  }

  /** True when `address` is on one of this machine's links. */
  onLink(address: string): boolean {
    let a: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      a = ipaddr.process(address);
    } catch {
      return false;
    }
    return this.subnets.some(([net, bits]) => net.kind() === a.kind() && a.match(net, bits));
  }

  /** The host's `neighbour` observations (none when off-link or not in the table). */
  async observe(address: string): Promise<Observation[]> {
    const want = new Set([address]);
    const of = (tables: readonly NeighbourTable[]) =>
      tables.flatMap((t) => neighbourObservations(t.entries, { hosts: want, source: t.source }));
    const obs = of(this.imported);
    if (this.onLink(address)) {
      if (!this.table || Date.now() - this.readAt > this.refreshMs) {
        this.readAt = Date.now();
        this.table = this.read();
      }
      obs.push(...of((await this.table).tables));
    }
    if (obs.length) this.found.add(address);
    return obs;
  }
}
