import type { DiscoveryProtocol } from "../discovery/protocol.js";
import type { ObservationPart } from "../observe.js";
import { observeSafely } from "./receive.js";

/**
 * Bounds on what a segment may make us keep. Everything here is hostile input: a device (or anything on the
 * link) can answer a thousand times or forge replies from many addresses, so every datagram past a cap is
 * counted and thrown away, never buffered.
 */
export interface Caps {
  /** replies (or observations) kept in all */
  maxReplies: number;
  /** datagrams considered per source address and protocol, kept or not (a garbage flood stops being parsed) */
  maxPerSource: number;
  /** bytes of kept datagrams in all */
  maxBytes: number;
}

export const DEFAULT_CAPS: Caps = { maxReplies: 4096, maxPerSource: 16, maxBytes: 16 * 1024 * 1024 };

/** Distinct sources tracked at once; a forged flood from many addresses cannot grow the table further. */
const MAX_SOURCES = 65536;

export class Tally {
  kept = 0;
  bytes = 0;
  /** over a cap: counted, not kept */
  dropped = 0;
  /** not this protocol's (wrong magic, a query from another tool, our own inquiry) */
  ignored = 0;
  private readonly perSource = new Map<string, number>();
  constructor(private readonly caps: Caps) {}

  /** Counts one datagram from `key` (protocol and source); false when a cap says drop it. */
  admit(key: string, size: number): boolean {
    const seen = this.perSource.get(key);
    if (
      this.kept >= this.caps.maxReplies ||
      this.bytes + size > this.caps.maxBytes ||
      (seen ?? 0) >= this.caps.maxPerSource ||
      (seen === undefined && this.perSource.size >= MAX_SOURCES)
    ) {
      this.dropped++;
      return false;
    }
    this.perSource.set(key, (seen ?? 0) + 1);
    return true;
  }

  keep(size: number): void {
    this.kept++;
    this.bytes += size;
  }

  /**
   * One arrived datagram through the caps and the protocol's reader: the observation part to keep (counted
   * kept), or undefined when a cap dropped it or it is not the protocol's (counted ignored).
   */
  take(p: DiscoveryProtocol, address: string, data: Buffer, truncated: boolean): ObservationPart | undefined {
    if (!this.admit(`${p.id}|${address}`, data.length)) return undefined;
    const part = observeSafely(p, data, truncated);
    if (!part) {
      this.ignored++;
      return undefined;
    }
    this.keep(data.length);
    return part;
  }
}

/**
 * At most `perSecond` datagrams per source in each second; the rest are dropped before any parsing. Used by
 * listen, which runs for minutes, so a chatty or flooding device is slowed rather than cut off for good.
 */
export class RateGate {
  private window = 0;
  private readonly counts = new Map<string, number>();
  constructor(private readonly perSecond: number) {}

  allow(source: string, now = Date.now()): boolean {
    const w = Math.floor(now / 1000);
    if (w !== this.window) {
      this.window = w;
      this.counts.clear();
    }
    const n = this.counts.get(source) ?? 0;
    if (n >= this.perSecond || (n === 0 && this.counts.size >= MAX_SOURCES)) return false;
    this.counts.set(source, n + 1);
    return true;
  }
}
