/**
 * What a probe asks of the scan around it before touching the network: a rate token and a socket slot for
 * each new connection or datagram, and the connect timeout the host's measured round trips allow. The scan
 * (src/scan/pace.ts) implements it; a probe run on its own gets FIXED_PACE.
 */
export interface Pacer {
  /** Waits for the rate limit and a free socket slot; call the returned function when the socket is closed. */
  open(signal?: AbortSignal): Promise<() => void>;
  /** connect timeout for this host, now */
  connectTimeoutMs(): number;
  /** a measured connect round trip (SYN to SYN-ACK or RST), in ms */
  sample(ms: number): void;
  /** this machine ran short of descriptors, buffers or source ports (errno code): the connect will wait */
  shortage?(code: string): void;
}

const noop = () => {};

/** No limits and a fixed connect timeout. */
export const FIXED_PACE = (connectTimeoutMs: number): Pacer => ({
  open: async () => noop,
  connectTimeoutMs: () => connectTimeoutMs,
  sample: noop,
});
