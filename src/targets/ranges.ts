import { format, fromBigInt, parseAddress, toBigInt } from "./address.js";

/** Collapses a host list into runs of consecutive addresses ("10.0.0.1-10.0.0.254"), in the list's order. */
export function collapseRanges(addresses: readonly string[]): string[] {
  const out: string[] = [];
  let first: bigint | undefined;
  let last: bigint | undefined;
  let fam: 4 | 6 = 4;
  const flush = () => {
    if (first === undefined || last === undefined) return;
    out.push(
      first === last
        ? format(fromBigInt(first, fam))
        : `${format(fromBigInt(first, fam))}-${format(fromBigInt(last, fam))}`,
    );
  };
  for (const s of addresses) {
    const a = parseAddress(s);
    if (!a) {
      flush();
      first = last = undefined;
      out.push(s);
      continue;
    }
    const f = a.kind() === "ipv4" ? 4 : 6;
    const n = toBigInt(a);
    if (first !== undefined && last !== undefined && f === fam && n === last + 1n) last = n;
    else {
      flush();
      first = last = n;
      fam = f;
    }
  }
  flush();
  return out;
}
