import type { ObservationPart } from "../observe.js";
import { dhip } from "../discovery/dhip.js";
import { exchangeWith } from "../discovery/unicast.js";

export interface DhipOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** destination port; 37810 except in tests */
  port?: number;
}

/** Unicast DHIP search to one address; one observation per DHIP reply (whole datagram, base64). Silence gives none. */
export function probeDhip(address: string, o: DhipOptions): Promise<ObservationPart[]> {
  return exchangeWith(address, dhip, {
    timeoutMs: o.timeoutMs,
    signal: o.signal,
    ...(o.port !== undefined ? { ports: { dhip: o.port } } : {}),
  });
}
