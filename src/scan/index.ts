import { identify, loadKnowledge } from "../identify/index.js";
import type { Identification } from "../identify/identification.js";
import type { Observation } from "../observations/observation.js";
import {
  DISCOVERY_PORTS,
  type DiscoveredHost,
  discoverHost,
  type Pacer,
  type ProbeOptions,
  probeServices,
} from "../probes/index.js";
import { Handoff } from "./handoff.js";
import type { NeighbourLookup } from "./neighbours.js";
import { HostSignals } from "./host-signals.js";
import type { Host } from "../targets/index.js";
import { ScanPace } from "./pace.js";
import { socketBudget } from "./slots.js";
import { type Timing, timing as timingProfile } from "./timing.js";

export {
  TIMINGS,
  TIMING_NAMES,
  DEFAULT_TIMING,
  timing,
  type Timing,
  type TimingName,
  type TimingOverrides,
} from "./timing.js";
export { planScan, type ScanPlan } from "./plan.js";
export { socketBudget, openFileLimit } from "./slots.js";

export interface ScannedHost {
  address: string;
  hostname?: string;
  openPorts: number[];
  observations: Observation[];
  identification: Identification;
}

export type ScanProbeOptions = Omit<
  ProbeOptions,
  | "signal"
  | "onObservation"
  | "pacer"
  | "readTimeoutMs"
  | "retries"
  | "portConcurrency"
  | "serviceConcurrency"
  | "portBudgetMs"
  | "connectTimeoutMs"
>;

export interface ScanOptions {
  hosts: Host[];
  probe: ScanProbeOptions;
  /** the timing profile with any overrides (default T3) */
  timing?: Timing;
  /** sockets open at once, at most (default: what the profile needs, within half the file limit) */
  sockets?: number;
  /**
   * What hosts said before the probes began (local discovery's replies), by address: kept with the host's
   * observations, and such a host gets its service probes even when no TCP port answers.
   */
  seen?: ReadonlyMap<string, Observation[]>;
  /** MACs of on-link hosts from the neighbour table, read after each host's probes */
  neighbours?: NeighbourLookup;
  /** addresses finished by an earlier run of this scan (--resume): not probed again */
  skip?: ReadonlySet<string>;
  signal?: AbortSignal;
  /** this machine ran short of descriptors or source ports and a connect had to wait (it should not happen) */
  onShortage?: (code: string) => void;
  /**
   * Called once per host probed, answering or not (null), in completion order; awaited before the host's
   * place is given to the next, so a slow store slows the scan instead of piling results up in memory.
   */
  onHost?: (host: ScannedHost | null, address: string, done: number, total: number) => void | Promise<void>;
}

/** A host that answered nothing is no device. */
export function isAlive(r: { openPorts: number[]; observations: Observation[] }): boolean {
  return r.openPorts.length > 0 || r.observations.some((o) => !o.error && o.response);
}

/**
 * Probes every host under the timing profile's limits (hosts in flight, sockets, packet rate, adaptive
 * timeouts), identifies each answering host from its observations and hands it to onHost as soon as it is
 * done, so the caller can persist it before the next one. Returns the answering hosts in target order.
 */
export async function runScan(opts: ScanOptions): Promise<ScannedHost[]> {
  const kb = loadKnowledge();
  const t = opts.timing ?? timingProfile();
  const wanted = Math.max(t.discoveryHosts * DISCOVERY_PORTS, t.hosts * t.perHostConnects);
  const pace = new ScanPace(t, opts.sockets ?? socketBudget(wanted), opts.onShortage);
  const hostSignals = new HostSignals(opts.signal);
  const todo = opts.skip?.size ? opts.hosts.filter((h) => !opts.skip?.has(h.address)) : opts.hosts;
  const results: (ScannedHost | null)[] = new Array(todo.length).fill(null);
  const total = opts.hosts.length;
  let next = 0;
  let done = total - todo.length;
  const probeOptions = (pacer: Pacer, signal: AbortSignal): ProbeOptions => ({
    ...opts.probe,
    pacer,
    readTimeoutMs: t.readTimeoutMs,
    // the floor for a found host's service connections (discovery's connects follow the pacer alone)
    connectTimeoutMs: t.initialRttMs,
    retries: t.retries,
    upRetries: t.upRetries,
    portConcurrency: t.perHostConnects,
    serviceConcurrency: t.perHostServices,
    portBudgetMs: t.portBudgetMs,
    // A port that volunteers nothing is listened to no longer than a reply is waited for.
    bannerMs: Math.min(opts.probe.bannerMs ?? 2000, t.readTimeoutMs),
    signal,
  });
  const finish = async (i: number, address: string, scanned: ScannedHost | null, signal: AbortSignal) => {
    hostSignals.close(signal);
    results[i] = scanned;
    await opts.onHost?.(scanned, address, ++done, total);
  };

  // Two stages: many addresses are asked whether anything is there (cheap: a few SYNs each, mostly waiting),
  // and the hosts found are probed a profile's worth at a time.
  interface Found {
    i: number;
    found: DiscoveredHost;
    options: ProbeOptions;
  }
  const handoff = new Handoff<Found>(t.hosts);
  const discover = async () => {
    while (!opts.signal?.aborted && !handoff.isClosed) {
      const i = next++;
      const host = todo[i];
      if (!host) return;
      const signal = hostSignals.open();
      const options = probeOptions(pace.forHost(), signal);
      let found: DiscoveredHost;
      try {
        found = await discoverHost(host, options);
      } catch (e) {
        hostSignals.close(signal);
        if (opts.signal?.aborted) return; // a host cut short is not recorded half
        throw e;
      }
      if (found.open.length > 0 || opts.probe.assumeUp || opts.seen?.has(host.address)) {
        if (!(await handoff.put({ i, found, options }))) return hostSignals.close(signal);
      } else await finish(i, host.address, null, signal);
    }
  };
  const probe = async () => {
    for (let item = await handoff.take(); item; item = await handoff.take()) {
      if (opts.signal?.aborted) return;
      const { i, found, options } = item;
      let r;
      try {
        const heard = opts.seen?.get(found.host.address);
        r = await probeServices(heard ? { ...found, heard } : found, options);
        if (opts.neighbours && isAlive(r)) r.observations.push(...(await opts.neighbours.observe(r.address)));
      } catch (e) {
        hostSignals.close(options.signal!);
        if (opts.signal?.aborted) return;
        throw e;
      }
      const scanned: ScannedHost | null = isAlive(r)
        ? {
            address: r.address,
            hostname: r.hostname,
            openPorts: r.openPorts,
            observations: r.observations,
            identification: identify(r.observations, kb),
          }
        : null;
      await finish(i, found.host.address, scanned, options.signal!);
    }
  };
  // An interruption or a failing stage stops both: close() releases whoever waits on the hand-off.
  const stop = () => handoff.close();
  opts.signal?.addEventListener("abort", stop, { once: true });
  try {
    const probers = Promise.all(
      Array.from({ length: Math.max(1, Math.min(t.hosts, todo.length)) }, probe),
    ).catch((e: unknown) => {
      stop();
      throw e;
    });
    const discoverers = Promise.all(
      Array.from({ length: Math.max(1, Math.min(t.discoveryHosts, todo.length)) }, discover),
    ).finally(stop);
    await Promise.all([discoverers, probers]);
  } finally {
    opts.signal?.removeEventListener("abort", stop);
    stop();
    hostSignals.dispose();
  }
  return results.filter((r): r is ScannedHost => r !== null);
}
