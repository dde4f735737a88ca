import type { ObservationPart } from "../observe.js";
import { exchangeWith } from "../discovery/unicast.js";
import { sadp } from "../discovery/sadp.js";

export interface SadpOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** destination port; 37020 except in tests */
  port?: number;
}

/**
 * Unicast SADP inquiry (both read-only forms) to one address. One observation per ProbeMatch; silence gives none
 * (like a closed port: UDP has no other "no" answer). Socket failures give an error observation.
 */
export function probeSadp(address: string, o: SadpOptions): Promise<ObservationPart[]> {
  return exchangeWith(address, sadp, {
    timeoutMs: o.timeoutMs,
    signal: o.signal,
    ...(o.port !== undefined ? { ports: { sadp: o.port } } : {}),
  });
}
