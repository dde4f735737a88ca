import { setMaxListeners } from "node:events";
import { identify, loadKnowledge } from "../identify/index.js";
import type { Identification } from "../identify/identification.js";
import type { Observation } from "../observations/observation.js";
import { probeHost, type ProbeOptions } from "../probes/index.js";
import type { Host } from "../targets/index.js";

export interface ScannedHost {
  address: string;
  hostname?: string;
  openPorts: number[];
  observations: Observation[];
  identification: Identification;
}

export interface ScanOptions {
  hosts: Host[];
  probe: Omit<ProbeOptions, "signal" | "onObservation">;
  /** hosts probed at once */
  concurrency: number;
  signal?: AbortSignal;
  /** called once per host, answering or not, in completion order */
  onHost?: (host: ScannedHost | null, done: number, total: number) => void | Promise<void>;
}

/** A host that answered nothing is no device. */
export function isAlive(r: { openPorts: number[]; observations: Observation[] }): boolean {
  return r.openPorts.length > 0 || r.observations.some((o) => !o.error && o.response);
}

/**
 * Probes every host (bounded concurrency), identifies each answering host from its observations,
 * and hands it to onHost as soon as it is done, so the caller can persist it before the next one.
 * Returns the answering hosts in target order.
 */
export async function runScan(opts: ScanOptions): Promise<ScannedHost[]> {
  const kb = loadKnowledge();
  // Every in-flight probe listens on the one scan signal (and removes its listener when done):
  // hosts x ports legitimately exceed Node's default warning threshold of 10.
  if (opts.signal) setMaxListeners(0, opts.signal);
  const results: (ScannedHost | null)[] = new Array(opts.hosts.length).fill(null);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (!opts.signal?.aborted) {
      const i = next++;
      const host = opts.hosts[i];
      if (!host) return;
      let r;
      try {
        r = await probeHost(host, { ...opts.probe, signal: opts.signal });
      } catch (e) {
        if (opts.signal?.aborted) return; // a host cut short is not recorded half
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
      results[i] = scanned;
      await opts.onHost?.(scanned, ++done, opts.hosts.length);
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency, opts.hosts.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results.filter((r): r is ScannedHost => r !== null);
}
