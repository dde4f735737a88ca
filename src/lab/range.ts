import ipaddr from "ipaddr.js";
import { UsageError } from "../shared/errors.js";
import { seededRandom } from "./mix.js";

/** Where lab devices may live: loopback, or (inside the lab's own network namespace only) a private range. */
export type RangeScope = "loopback" | "private";

const SCOPES: Record<RangeScope, { cidrs: [ipaddr.IPv4, number][]; name: string }> = {
  loopback: { cidrs: [ipaddr.IPv4.parseCIDR("127.0.0.0/8")], name: "127.0.0.0/8" },
  private: {
    cidrs: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => ipaddr.IPv4.parseCIDR(c)),
    name: "the private ranges 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16",
  },
};

export const toInt = (a: ipaddr.IPv4): number => a.octets.reduce((acc, o) => acc * 256 + o, 0);
export const fromInt = (n: number): string =>
  [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

export interface HostSpan {
  /** first and last usable host address, as integers */
  first: number;
  last: number;
  /** the CIDR itself when one was given */
  cidr?: string;
}

function inside(addr: ipaddr.IPv4, prefix: number, scope: RangeScope): boolean {
  return SCOPES[scope].cidrs.some(([net, p]) => prefix >= p && addr.match(net, p));
}

/** The usable hosts of a CIDR (or, for a bare address, from it to the end of the scope). */
export function hostSpan(range: string, scope: RangeScope = "loopback"): HostSpan {
  const outside = () => new UsageError(`lab range ${range} is outside ${SCOPES[scope].name}`);
  try {
    if (range.includes("/")) {
      const [addr, prefix] = ipaddr.IPv4.parseCIDR(range);
      if (!inside(addr, prefix, scope)) throw outside();
      const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
      const net = (toInt(addr) & mask) >>> 0;
      const size = 2 ** (32 - prefix);
      const first = prefix <= 30 ? net + 1 : net;
      const last = prefix <= 30 ? net + size - 2 : net + size - 1;
      return { first, last, cidr: `${fromInt(net)}/${prefix}` };
    }
    const start = ipaddr.IPv4.parse(range);
    if (!inside(start, 32, scope)) throw outside();
    const [net, p] = SCOPES[scope].cidrs.find(([n, pl]) => start.match(n, pl)) as [ipaddr.IPv4, number];
    return { first: toInt(start), last: toInt(net) + 2 ** (32 - p) - 2 };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`lab range "${range}" is not an IPv4 CIDR or address`);
  }
}

export interface AddressOptions {
  scope?: RangeScope;
  /** pick addresses at random (seeded) across the range instead of consecutively from its first host */
  spread?: boolean;
  seed?: number;
}

/** n host addresses of a range: consecutive from the first usable one, or spread (sorted) when asked. */
export function labAddresses(range: string, n: number, opts: AddressOptions = {}): string[] {
  const { first, last } = hostSpan(range, opts.scope);
  const room = Math.max(0, last - first + 1);
  if (n > room) throw new UsageError(`lab range ${range} has room for ${room} devices, ${n} asked`);
  if (!opts.spread) return Array.from({ length: n }, (_, i) => fromInt(first + i));
  // Partial Fisher-Yates over a virtual array (a Map of swapped slots), so a /8 costs no more than n entries.
  const rand = seededRandom(opts.seed ?? 1);
  const swapped = new Map<number, number>();
  const picked: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rand() * (room - i));
    const vj = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    picked.push(first + vj);
  }
  return picked.sort((a, b) => a - b).map(fromInt);
}
