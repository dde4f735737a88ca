import ipaddr from "ipaddr.js";

/** Address helpers on top of ipaddr.js: BigInt conversion and scope classes. */
export type Family = 4 | 6;
export type Addr = ipaddr.IPv4 | ipaddr.IPv6;

/** Parses a literal address; IPv4 must be dotted-quad (no "127.1" or hex forms, which read like typos). */
export function parseAddress(s: string): Addr | undefined {
  if (s.includes(":")) {
    if (s.includes("%")) return undefined; // zone ids are host-local; not a scan target
    return ipaddr.IPv6.isValid(s) ? unmap(ipaddr.IPv6.parse(s)) : undefined;
  }
  return ipaddr.IPv4.isValidFourPartDecimal(s) ? ipaddr.IPv4.parse(s) : undefined;
}

/** ::ffff:a.b.c.d is scanned (and classified) as the IPv4 address it carries. */
export function unmap(a: Addr): Addr {
  return a.kind() === "ipv6" && (a as ipaddr.IPv6).isIPv4MappedAddress()
    ? (a as ipaddr.IPv6).toIPv4Address()
    : a;
}

export const familyOf = (a: Addr): Family => (a.kind() === "ipv4" ? 4 : 6);
export const bitsOf = (f: Family): number => (f === 4 ? 32 : 128);

export function toBigInt(a: Addr): bigint {
  let n = 0n;
  for (const b of a.toByteArray()) n = (n << 8n) | BigInt(b);
  return n;
}

export function fromBigInt(n: bigint, family: Family): Addr {
  const len = family === 4 ? 4 : 16;
  const bytes = new Array<number>(len);
  for (let i = len - 1; i >= 0; i--) {
    bytes[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return ipaddr.fromByteArray(bytes);
}

/** Canonical text form used for dedup and output (RFC 5952 for IPv6). */
export function format(a: Addr): string {
  return a.kind() === "ipv6" ? (a as ipaddr.IPv6).toRFC5952String() : a.toString();
}

/**
 * Scope class of an address:
 * - never: multicast, broadcast, unspecified, reserved/documentation/benchmarking -> always refused
 * - local: loopback, RFC1918, CGNAT, link-local, ULA -> fine without an allow-list
 * - public: everything else (globally routable, 6to4, Teredo...) -> needs an explicit allow entry
 */
export type ScopeClass = "never" | "local" | "public";

const NEVER = new Set([
  "unspecified",
  "broadcast",
  "multicast",
  "reserved",
  "benchmarking",
  "discard",
  "deprecatedSiteLocal",
  "orchid2",
  "droneRemoteIdProtocolEntityTags",
]);
const LOCAL = new Set(["loopback", "private", "carrierGradeNat", "linkLocal", "uniqueLocal"]);

export function rangeOf(a: Addr): string {
  return a.range();
}

export function scopeClass(a: Addr): ScopeClass {
  const r = a.range();
  if (NEVER.has(r)) return "never";
  if (LOCAL.has(r)) return "local";
  return "public";
}
