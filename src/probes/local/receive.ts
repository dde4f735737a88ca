import type { DiscoveryProtocol } from "../discovery/protocol.js";
import type { ObservationPart } from "../observe.js";

/** What local discovery and listening do alike with a datagram that arrived (and nothing that sends). */

/**
 * Largest datagram kept (protocols.md §9: cap UDP reads at 64 KiB). The same value as udp.ts's MAX_DATAGRAM, not
 * imported: listen.ts must import nothing that holds a sending helper, and udp.ts holds the unicast exchange.
 */
export const MAX_DATAGRAM = 64 * 1024;

/** A received datagram cut at 64 KiB (protocols.md §9), flagged when cut. */
export function cut(msg: Buffer): { data: Buffer; truncated: boolean } {
  return msg.length > MAX_DATAGRAM
    ? { data: Buffer.from(msg.subarray(0, MAX_DATAGRAM)), truncated: true }
    : { data: msg, truncated: false };
}

/** An address as rinfo gives it, without a zone ("fe80::1%br0" -> "fe80::1"). */
export function plainAddress(address: string): string {
  const i = address.indexOf("%");
  return i < 0 ? address : address.slice(0, i);
}

/** observe() must not throw, but it reads hostile bytes: a throw is a datagram not understood. */
export function observeSafely(
  p: DiscoveryProtocol,
  data: Buffer,
  truncated: boolean,
): ObservationPart | undefined {
  try {
    return p.observe(data, truncated);
  } catch {
    return undefined;
  }
}

/** Resolves after `ms`, or at once when the signal aborts (Ctrl-C keeps what arrived). */
export function waitFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
