import { format, parseAddress } from "../../targets/address.js";

/**
 * One row of a neighbour table (ARP for IPv4, NDP for IPv6): the address, its 48-bit MAC, and where it was seen.
 * Every parser returns only usable rows: a complete entry whose MAC is one device's (unicast, non-zero).
 */
export interface NeighbourEntry {
  /** canonical address (ipaddr.js; RFC 5952 for IPv6, IPv4-mapped IPv6 read as IPv4) */
  address: string;
  /** lower case, colon-separated: aa:bb:cc:dd:ee:ff */
  mac: string;
  /** interface name (Linux), interface address (Windows `arp -a`) or ifIndex (Get-NetNeighbor) */
  interface?: string;
  /** the table's state word in lower case: reachable, stale, delay, probe, permanent, noarp, dynamic, static */
  state?: string;
}

/** A line (1-based) that could not be read, and why. */
export interface NeighbourError {
  line: number;
  message: string;
}

export interface NeighbourParse {
  entries: NeighbourEntry[];
  errors: NeighbourError[];
}

/** Longest line read; a longer one is named as an error, not parsed (a table row is under 200 characters). */
export const MAX_LINE = 4096;
/** Most entries kept from one table: Linux's default gc_thresh3 is 1024, so this is far beyond any real one. */
export const MAX_ENTRIES = 262_144;
/** Most errors listed; the rest are counted in one last error. */
export const MAX_ERRORS = 100;

const MAC = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/i;

/** "44-47-CC-37-CE-81" / "44:47:cc:37:ce:81" -> "44:47:cc:37:ce:81"; undefined when not a 48-bit MAC. */
export function normaliseMac(s: string): string | undefined {
  const t = s.trim();
  return MAC.test(t) ? t.toLowerCase().replace(/-/g, ":") : undefined;
}

/**
 * Why a well-formed MAC says nothing about a device, or undefined when it does: all zeros (an unresolved entry,
 * /proc/net/arp flags 0x0), broadcast, or a group address (multicast: 01:00:5e IPv4, 33:33 IPv6 groups, which
 * Windows lists as static entries and `ip neigh nud all` as NOARP).
 */
export function unusableMac(mac: string): string | undefined {
  if (mac === "00:00:00:00:00:00") return "all-zero MAC (unresolved)";
  if (mac === "ff:ff:ff:ff:ff:ff") return "broadcast MAC";
  if (parseInt(mac.slice(0, 2), 16) & 1) return "multicast MAC";
  return undefined;
}

/** A table's address text -> canonical form; a zone (fe80::1%12) is dropped, it names the local interface. */
export function normaliseAddress(s: string): string | undefined {
  const a = parseAddress(s.trim().replace(/%[\w.-]{1,64}$/, ""));
  return a ? format(a) : undefined;
}

/**
 * Collects entries and errors with the caps applied. `add` checks the MAC and address and drops unusable rows
 * silently (they are normal table content, not damage); `bad` names a line that could not be read.
 */
export class Collector {
  readonly entries: NeighbourEntry[] = [];
  readonly errors: NeighbourError[] = [];
  private more = 0;
  private lastLine = 0;

  bad(line: number, message: string): void {
    this.lastLine = Math.max(this.lastLine, line);
    if (this.errors.length < MAX_ERRORS) this.errors.push({ line, message: message.slice(0, 200) });
    else this.more++;
  }

  /** Adds a row; false when the address or MAC text is malformed (the caller names the line). */
  add(
    line: number,
    address: string,
    macText: string,
    extra: { interface?: string; state?: string } = {},
  ): boolean {
    const addr = normaliseAddress(address);
    if (!addr) {
      this.bad(line, `"${address.slice(0, 60)}" is not an IP address`);
      return false;
    }
    const mac = normaliseMac(macText);
    if (!mac) {
      this.bad(line, `"${macText.slice(0, 60)}" is not a MAC address`);
      return false;
    }
    if (unusableMac(mac) || this.full) return true;
    const e: NeighbourEntry = { address: addr, mac };
    if (extra.interface) e.interface = extra.interface.slice(0, 64);
    if (extra.state) e.state = extra.state.toLowerCase();
    this.entries.push(e);
    return true;
  }

  /** True once the entry cap is reached: parsers stop reading. */
  get full(): boolean {
    return this.entries.length >= MAX_ENTRIES;
  }

  /** Says where reading stopped at the entry cap. */
  cut(line: number): void {
    this.bad(line, `more than ${MAX_ENTRIES} entries: the rest was not read`);
  }

  result(): NeighbourParse {
    const errors = [...this.errors];
    if (this.more) errors.push({ line: this.lastLine, message: `${this.more} more bad lines not listed` });
    return { entries: this.entries, errors };
  }
}

/** Text -> lines with CR stripped; each with its 1-based number. Overlong lines are named and skipped. */
export function* linesOf(text: string, c: Collector): Generator<[number, string]> {
  let n = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    n++;
    if (c.full) {
      if (text.slice(start).trim()) c.cut(n);
      return;
    }
    if (end - start > MAX_LINE) c.bad(n, `line longer than ${MAX_LINE} characters: not read`);
    else yield [n, text.slice(start, end).replace(/\r$/, "")];
    start = end + 1;
  }
}
