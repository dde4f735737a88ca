import { UsageError } from "../shared/errors.js";
import { type Addr, format, parseAddress, rangeOf, scopeClass } from "./address.js";
import { type TargetSpec, parseTarget, specContains } from "./spec.js";

/** Parses --allow entries (addresses, CIDRs, ranges; no hostnames: scope must not depend on DNS). */
export function parseAllow(allow: string[]): TargetSpec[] {
  return allow.map((a) => {
    let s: TargetSpec;
    try {
      s = parseTarget(a);
    } catch (e) {
      throw new UsageError(`--allow ${a}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (s.kind === "hostname")
      throw new UsageError(`--allow ${a}: must be an address, range or CIDR, not a hostname`);
    // An allow CIDR covers its network/broadcast addresses too.
    return s.kind === "cidr" ? { ...s, skipNetBcast: false } : s;
  });
}

/** True when `address` lies inside one of the allow entries (addresses, CIDRs or ranges). */
export function inScope(address: string, allow: string[]): boolean {
  const a = parseAddress(address);
  if (!a) return false;
  return parseAllow(allow).some((s) => specContains(s, a));
}

/**
 * Throws UsageError when an address must not be probed. `target` is the user's word, for the message.
 * Order: never-probe classes first (allow cannot override), then the allow-list, then public-without-allow.
 */
export function checkScope(
  a: Addr,
  target: string,
  allow: TargetSpec[] | undefined,
  allowText: string[],
): void {
  const addr = format(a);
  const cls = scopeClass(a);
  const where = target === addr ? `target ${addr}` : `target ${target} (${addr})`;
  if (cls === "never")
    throw new UsageError(`${where} is a ${describe(rangeOf(a))} address and is never probed`);
  if (allow) {
    if (!allow.some((s) => specContains(s, a)))
      throw new UsageError(`${where} is outside the allowed scope (--allow ${allowText.join(",")})`);
    return;
  }
  if (cls === "public")
    throw new UsageError(
      `${where} is a public address; scanning it needs an explicit --allow entry covering it (e.g. --allow ${addr})`,
    );
}

function describe(range: string): string {
  switch (range) {
    case "unspecified":
      return "unspecified";
    case "broadcast":
      return "broadcast";
    case "multicast":
      return "multicast";
    default:
      return `reserved (${range})`;
  }
}
