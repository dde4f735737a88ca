import ipaddr from "ipaddr.js";
import { UsageError } from "../shared/errors.js";
import {
  type Addr,
  type Family,
  bitsOf,
  familyOf,
  format,
  fromBigInt,
  parseAddress,
  toBigInt,
} from "./address.js";

/** One target word, parsed but not expanded (expansion may be large; counts come first). */
export type TargetSpec =
  | { kind: "address"; text: string; address: string }
  /** CIDR; skipNetBcast is true for IPv4 prefixes <= 30 (network and broadcast addresses are not probed) */
  | {
      kind: "cidr";
      text: string;
      family: Family;
      first: bigint;
      last: bigint;
      prefix: number;
      skipNetBcast: boolean;
    }
  /** contiguous span a.b.c.d-e.f.g.h (or v6-v6) */
  | { kind: "span"; text: string; family: Family; first: bigint; last: bigint }
  /** nmap octet ranges: 192.168.1-3.1-10, 10.0.0.*, 10.0.0.1,3,5 */
  | { kind: "octets"; text: string; octets: number[][] }
  | { kind: "hostname"; text: string; name: string };

const HOSTNAME = /^(?=.{1,253}$)(?!-)[a-z0-9_-]{1,63}(?<!-)(\.(?!-)[a-z0-9_-]{1,63}(?<!-))*\.?$/i;
const OCTET_WORD = /^[0-9*,-]+$/;

/**
 * Parses one target word. Throws UsageError `target "X": why` for malformed CIDRs/ranges,
 * and `"X" is not an address, range, CIDR or hostname` when nothing fits.
 */
export function parseTarget(s: string): TargetSpec {
  const text = s.trim();
  const bad = (why: string): never => {
    throw new UsageError(`target "${text}": ${why}`);
  };
  if (!text) throw new UsageError(`empty target`);

  const lit = parseAddress(text);
  if (lit) return { kind: "address", text, address: format(lit) };

  const slash = text.indexOf("/");
  if (slash >= 0) {
    const base = parseAddress(text.slice(0, slash));
    const p = text.slice(slash + 1);
    if (!base) return notATarget(text);
    const fam = familyOf(base);
    if (!/^\d{1,3}$/.test(p) || Number(p) > bitsOf(fam)) bad("invalid prefix length");
    const prefix = Number(p);
    const host = BigInt(bitsOf(fam) - prefix);
    const first = (toBigInt(base) >> host) << host;
    const last = first + (1n << host) - 1n;
    return { kind: "cidr", text, family: fam, first, last, prefix, skipNetBcast: fam === 4 && prefix <= 30 };
  }

  const dash = text.indexOf("-");
  if (dash > 0 && !text.includes(",") && !text.includes("*")) {
    // a.b.c.d-e.f.g.h or v6-v6 (a full address on both sides)
    const a = parseAddress(text.slice(0, dash));
    const b = parseAddress(text.slice(dash + 1));
    if (a && b) {
      if (familyOf(a) !== familyOf(b)) bad("range mixes IPv4 and IPv6");
      const first = toBigInt(a);
      const last = toBigInt(b);
      if (last < first) bad("range end is before its start");
      return { kind: "span", text, family: familyOf(a), first, last };
    }
  }

  const parts = text.split(".");
  if (parts.length === 4 && parts.every((p) => OCTET_WORD.test(p)) && /[-*,]/.test(text)) {
    return { kind: "octets", text, octets: parts.map((p) => parseOctet(p, bad)) };
  }

  if (HOSTNAME.test(text) && !/^[0-9.]+$/.test(text))
    return { kind: "hostname", text, name: text.replace(/\.$/, "") };
  return notATarget(text);
}

function notATarget(text: string): never {
  throw new UsageError(`"${text}" is not an address, range, CIDR or hostname`);
}

function parseOctet(p: string, bad: (why: string) => never): number[] {
  const out = new Set<number>();
  for (const item of p.split(",")) {
    if (item === "*") {
      for (let i = 0; i <= 255; i++) out.add(i);
      continue;
    }
    const m = /^(\d{1,3})?(?:(-)(\d{1,3})?)?$/.exec(item);
    if (!m || (m[1] === undefined && m[2] === undefined)) bad(`bad octet range "${item}"`);
    const lo = m[1] !== undefined ? Number(m[1]) : 0;
    const hi = m[2] ? (m[3] !== undefined ? Number(m[3]) : 255) : lo;
    if (lo > 255 || hi > 255) bad(`octet out of range in "${item}"`);
    if (hi < lo) bad(`octet range "${item}" ends before it starts`);
    for (let i = lo; i <= hi; i++) out.add(i);
  }
  return [...out].sort((x, y) => x - y);
}

/** Number of addresses a spec expands to (hostnames count 1 here; resolved later). */
export function specSize(s: TargetSpec): bigint {
  switch (s.kind) {
    case "address":
    case "hostname":
      return 1n;
    case "cidr": {
      const n = s.last - s.first + 1n;
      return s.skipNetBcast ? n - 2n : n;
    }
    case "span":
      return s.last - s.first + 1n;
    case "octets":
      return s.octets.reduce((acc, o) => acc * BigInt(o.length), 1n);
  }
}

/** Expands a non-hostname spec to addresses, in ascending order. */
export function* expandSpec(s: TargetSpec): Generator<Addr> {
  switch (s.kind) {
    case "address":
      yield ipaddr.parse(s.address);
      return;
    case "hostname":
      return;
    case "cidr":
    case "span": {
      const skip = s.kind === "cidr" && s.skipNetBcast;
      const lo = skip ? s.first + 1n : s.first;
      const hi = skip ? s.last - 1n : s.last;
      for (let n = lo; n <= hi; n++) yield fromBigInt(n, s.family);
      return;
    }
    case "octets": {
      const [a, b, c, d] = s.octets as [number[], number[], number[], number[]];
      for (const w of a)
        for (const x of b) for (const y of c) for (const z of d) yield new ipaddr.IPv4([w, x, y, z]);
      return;
    }
  }
}

/** Membership test without expanding (exclusions may be large, e.g. --exclude 10.0.0.0/8). */
export function specContains(s: TargetSpec, a: Addr): boolean {
  switch (s.kind) {
    case "address":
      return s.address === format(a);
    case "hostname":
      return false;
    case "cidr":
    case "span": {
      if (familyOf(a) !== s.family) return false;
      const n = toBigInt(a);
      return n >= s.first && n <= s.last;
    }
    case "octets": {
      if (a.kind() !== "ipv4") return false;
      const o = (a as ipaddr.IPv4).octets;
      return s.octets.every((set, i) => set.includes(o[i] as number));
    }
  }
}
