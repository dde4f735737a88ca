/**
 * Which parts of a scan had local discovery and which only remote probes, so an auditor sees where a VLAN was
 * not covered. Pure: targets, the subnets local discovery ran on, and the addresses that had a MAC in -> segments
 * out.
 *
 * How the segments are cut (chosen for a readable report, one line per segment):
 * - Each subnet local discovery ran on is one "local" segment, shown as the interface's subnet, whether or not
 *   the targets cover all of it (multicast discovery reaches the whole link).
 * - What is left of the targets is "remote-only". It is widened to whole /24s (IPv4) and /64s (IPv6), the usual
 *   size of one VLAN, but never into a local subnet; then each stretch is written as the fewest aligned CIDRs
 *   (a /16 target stays one line, a /16 with a local /24 carved out becomes 8 lines, not 255).
 * Hostnames are not placed (pass their resolved addresses as targets); words that are not targets are skipped.
 */
import { type Family, bitsOf, format, fromBigInt, parseAddress, toBigInt } from "../targets/address.js";
import { parseTarget } from "../targets/spec.js";

export interface LocalSubnet {
  /** the interface local discovery ran on */
  interface: string;
  /** its subnet; an interface address with prefix (10.1.2.7/24) is read as the subnet it is in */
  cidr: string;
  /** the discovery protocols that ran there (sadp, wsd, dhip, ssdp) */
  protocols?: readonly string[];
}

export interface CoverageInput {
  /** the scan's target words: addresses, CIDRs, ranges, nmap octet ranges */
  targets: readonly string[];
  /** subnets where local discovery ran; none means the whole scan was remote */
  local?: readonly LocalSubnet[];
  /** addresses that had a MAC from the neighbour table */
  macs?: Iterable<string>;
}

export interface Segment {
  cidr: string;
  coverage: "local" | "remote-only";
  interface?: string;
  protocols?: string[];
  /** addresses in the segment that had a MAC from the neighbour table */
  hostsWithMac: number;
}

interface Span {
  family: Family;
  first: bigint;
  last: bigint;
}

/** Remote-only segments are widened to blocks of this prefix: a typical VLAN. */
const BLOCK: Record<Family, number> = { 4: 24, 6: 64 };
/** Octet ranges with more /24s than this are taken as the span from their lowest to their highest address. */
const MAX_OCTET_BLOCKS = 65_536;

function spansOfTarget(word: string): Span[] {
  let spec;
  try {
    spec = parseTarget(word);
  } catch {
    return [];
  }
  switch (spec.kind) {
    case "address": {
      const a = parseAddress(spec.address);
      if (!a) return [];
      const n = toBigInt(a);
      return [{ family: a.kind() === "ipv4" ? 4 : 6, first: n, last: n }];
    }
    case "cidr":
    case "span":
      return [{ family: spec.family, first: spec.first, last: spec.last }];
    case "octets": {
      const [a, b, c, d] = spec.octets as [number[], number[], number[], number[]];
      const ip = (w: number, x: number, y: number, z: number) =>
        (BigInt(w) << 24n) | (BigInt(x) << 16n) | (BigInt(y) << 8n) | BigInt(z);
      if (a.length * b.length * c.length > MAX_OCTET_BLOCKS)
        return [
          {
            family: 4,
            first: ip(a[0]!, b[0]!, c[0]!, d[0]!),
            last: ip(a.at(-1)!, b.at(-1)!, c.at(-1)!, d.at(-1)!),
          },
        ];
      // Runs of consecutive last octets within each /24.
      const runs: [number, number][] = [];
      for (const z of d) {
        const r = runs.at(-1);
        if (r && z === r[1] + 1) r[1] = z;
        else runs.push([z, z]);
      }
      const out: Span[] = [];
      for (const w of a)
        for (const x of b)
          for (const y of c)
            for (const [lo, hi] of runs)
              out.push({ family: 4, first: ip(w, x, y, lo), last: ip(w, x, y, hi) });
      return out;
    }
    case "hostname":
      return [];
  }
}

/** Sorted, with overlapping and adjacent spans of a family joined. */
function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((x, y) =>
    x.family !== y.family ? x.family - y.family : x.first < y.first ? -1 : x.first > y.first ? 1 : 0,
  );
  const out: Span[] = [];
  for (const s of sorted) {
    const prev = out.at(-1);
    if (prev && prev.family === s.family && s.first <= prev.last + 1n) {
      if (s.last > prev.last) prev.last = s.last;
    } else out.push({ ...s });
  }
  return out;
}

/** `spans` minus `holes` (both merged). */
function subtract(spans: Span[], holes: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    let pieces: Span[] = [{ ...s }];
    for (const h of holes) {
      if (h.family !== s.family) continue;
      pieces = pieces.flatMap((p) => {
        if (h.last < p.first || h.first > p.last) return [p];
        const keep: Span[] = [];
        if (h.first > p.first) keep.push({ family: p.family, first: p.first, last: h.first - 1n });
        if (h.last < p.last) keep.push({ family: p.family, first: h.last + 1n, last: p.last });
        return keep;
      });
    }
    out.push(...pieces);
  }
  return out;
}

/** A span as the fewest aligned CIDRs: [first address, prefix] pairs. */
function toCidrs(s: Span): [bigint, number][] {
  const bits = bitsOf(s.family);
  const out: [bigint, number][] = [];
  let cur = s.first;
  while (cur <= s.last) {
    // Largest block aligned at `cur` that does not run past the end.
    let size = 0;
    while (
      size < bits &&
      (cur & ((1n << BigInt(size + 1)) - 1n)) === 0n &&
      cur + (1n << BigInt(size + 1)) - 1n <= s.last
    )
      size++;
    out.push([cur, bits - size]);
    cur += 1n << BigInt(size);
  }
  return out;
}

function cidrSpan(cidr: string): Span | undefined {
  const slash = cidr.indexOf("/");
  const base = parseAddress((slash >= 0 ? cidr.slice(0, slash) : cidr).trim());
  if (!base) return undefined;
  const family: Family = base.kind() === "ipv4" ? 4 : 6;
  const bits = bitsOf(family);
  const prefixText = slash >= 0 ? cidr.slice(slash + 1).trim() : String(bits);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return undefined;
  const host = BigInt(bits - Number(prefixText));
  const first = (toBigInt(base) >> host) << host;
  return { family, first, last: first + (1n << host) - 1n };
}

const cidrText = (first: bigint, prefix: number, family: Family) =>
  `${format(fromBigInt(first, family))}/${prefix}`;

/** Counts MAC-bearing addresses per span with sorted arrays (a scan may have thousands). */
function macCounter(macs: Iterable<string> | undefined): (s: Span) => number {
  const byFamily: Record<Family, bigint[]> = { 4: [], 6: [] };
  const seen = new Set<string>();
  for (const m of macs ?? []) {
    const a = parseAddress(m);
    if (!a) continue;
    const key = format(a);
    if (seen.has(key)) continue;
    seen.add(key);
    byFamily[a.kind() === "ipv4" ? 4 : 6].push(toBigInt(a));
  }
  for (const f of [4, 6] as const) byFamily[f].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const lowerBound = (arr: bigint[], v: bigint) => {
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((arr[mid] as bigint) < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (s) => {
    const arr = byFamily[s.family];
    return lowerBound(arr, s.last + 1n) - lowerBound(arr, s.first);
  };
}

/** The segments of a scan, ordered by address (IPv4 first). */
export function coverageSegments(input: CoverageInput): Segment[] {
  const count = macCounter(input.macs);
  const targets = merge(input.targets.flatMap(spansOfTarget));
  const segments: (Segment & { span: Span })[] = [];

  const localSpans: Span[] = [];
  const seenLocal = new Set<string>();
  for (const l of input.local ?? []) {
    const span = cidrSpan(l.cidr);
    if (!span) continue;
    const prefix = bitsOf(span.family) - (span.last - span.first + 1n).toString(2).length + 1;
    const cidr = cidrText(span.first, prefix, span.family);
    if (seenLocal.has(`${cidr} ${l.interface}`)) continue;
    seenLocal.add(`${cidr} ${l.interface}`);
    localSpans.push(span);
    const seg: Segment & { span: Span } = {
      cidr,
      coverage: "local",
      interface: l.interface,
      hostsWithMac: count(span),
      span,
    };
    if (l.protocols?.length) seg.protocols = [...l.protocols];
    segments.push(seg);
  }
  const holes = merge(localSpans);

  // The rest of the targets, widened to whole blocks outside the local subnets.
  const widened = subtract(targets, holes).map((s) => {
    const host = BigInt(bitsOf(s.family) - BLOCK[s.family]);
    const first = (s.first >> host) << host;
    const last = (((s.last >> host) + 1n) << host) - 1n;
    return { family: s.family, first, last };
  });
  for (const s of subtract(merge(widened), holes))
    for (const [first, prefix] of toCidrs(s)) {
      const span = { family: s.family, first, last: first + (1n << BigInt(bitsOf(s.family) - prefix)) - 1n };
      segments.push({
        cidr: cidrText(first, prefix, s.family),
        coverage: "remote-only",
        hostsWithMac: count(span),
        span,
      });
    }

  segments.sort((x, y) =>
    x.span.family !== y.span.family
      ? x.span.family - y.span.family
      : x.span.first < y.span.first
        ? -1
        : x.span.first > y.span.first
          ? 1
          : x.coverage === y.coverage
            ? 0
            : x.coverage === "local"
              ? -1
              : 1,
  );
  return segments.map(({ span: _span, ...seg }) => seg);
}

const macs = (n: number) => (n === 0 ? "no MACs" : n === 1 ? "1 MAC" : `${n} MACs`);

/**
 * One line per segment for the CLI:
 *   10.1.2.0/24  local discovery on eth0 (sadp, wsd, dhip, ssdp), 12 MACs
 *   10.9.0.0/16  remote probes only: VLAN not covered by local discovery
 * At most `maxLines` lines (default 50); the rest are counted on the last.
 */
export function formatCoverage(segments: readonly Segment[], opts: { maxLines?: number } = {}): string[] {
  const max = Math.max(1, opts.maxLines ?? 50);
  const shown = segments.length > max ? segments.slice(0, max - 1) : segments;
  const width = Math.max(0, ...shown.map((s) => s.cidr.length));
  const lines = shown.map((s) => {
    const what =
      s.coverage === "local"
        ? `local discovery on ${s.interface ?? "?"}${s.protocols?.length ? ` (${s.protocols.join(", ")})` : ""}, ${macs(s.hostsWithMac)}`
        : `remote probes only: VLAN not covered by local discovery${s.hostsWithMac ? `, ${macs(s.hostsWithMac)}` : ""}`;
    return `${s.cidr.padEnd(width)}  ${what}`;
  });
  if (shown.length < segments.length) {
    const rest = segments.slice(shown.length);
    const remote = rest.filter((s) => s.coverage === "remote-only").length;
    lines.push(`… ${rest.length} more segments (${remote} remote-only, ${rest.length - remote} local)`);
  }
  return lines;
}
