import type { Observation } from "../../observations/observation.js";
import { DISCOVERY } from "../../probes/discovery/table.js";
import {
  type LocalDiscoveryResult,
  type LocalInterface,
  localDiscovery,
  replyObservation,
  resolveInterface,
} from "../../probes/local/index.js";
import type { LocalSubnet } from "../../scan/coverage.js";
import { UsageError } from "../../shared/errors.js";

/** What `scan --local` heard on its interface before the probes, split by scope. */
export interface LocalHeard {
  iface: LocalInterface;
  /** replies from scanned addresses, by address: they join those hosts' observations */
  seen: Map<string, Observation[]>;
  /** replies from addresses outside the scan's targets: reported, never probed */
  outside: { address: string; protocols: string[] }[];
  /** the subnets the inquiries reached, for the coverage report */
  subnets: LocalSubnet[];
  result: LocalDiscoveryResult;
}

/** `--local` needs `--interface`; with no targets the scan covers the interface's IPv4 subnets. */
export function localTargets(flags: { local?: boolean; interface?: string }, haveTargets: boolean): string[] {
  if (!flags.local) {
    if (flags.interface)
      throw new UsageError("--interface is for --local (the interface its inquiries go out on)");
    return [];
  }
  if (!flags.interface)
    throw new UsageError(
      "--local needs --interface NAME: the one link its multicast and broadcast inquiries go out on",
    );
  const iface = resolveInterface(flags.interface);
  if (haveTargets) return [];
  if (!iface.v4.length)
    throw new UsageError(`interface "${iface.name}" has no IPv4 subnet to scan; give the targets`);
  return iface.v4.map((a) => a.cidr);
}

/**
 * Multicast and broadcast inquiries on the named interface only, replies collected for one read timeout.
 * A reply from an address the scan was not asked to probe is kept as a finding and not probed further:
 * a device may answer from anywhere, but the scope decides what camsweep touches.
 */
export async function hearLocal(
  name: string,
  inScope: (address: string) => boolean,
  windowMs: number,
  signal?: AbortSignal,
): Promise<LocalHeard> {
  const result = await localDiscovery({ interface: name, windowMs, signal });
  const seen = new Map<string, Observation[]>();
  const outside = new Map<string, Set<string>>();
  for (const r of result.replies) {
    if (!inScope(r.address)) {
      const set = outside.get(r.address) ?? new Set<string>();
      outside.set(r.address, set.add(r.protocol));
      continue;
    }
    const list = seen.get(r.address) ?? [];
    list.push(replyObservation(r, name));
    seen.set(r.address, list);
  }
  const protocols = [...new Set(result.sent.filter((s) => !s.error).map((s) => s.protocol))];
  return {
    iface: result.interface,
    seen,
    outside: [...outside].map(([address, p]) => ({ address, protocols: [...p].sort() })),
    subnets: [...result.interface.v4, ...result.interface.v6.filter((a) => !a.linkLocal)].map((a) => ({
      interface: name,
      cidr: a.cidr,
      protocols,
    })),
    result,
  };
}

/** One line per fact worth an auditor's eye: what was sent, who answered, what lay outside the scope. */
export function formatHeard(h: LocalHeard): string[] {
  const r = h.result;
  const lines = [
    `camsweep: local discovery on ${h.iface.name}: ${r.sent.filter((s) => !s.error).length} datagrams sent ` +
      `(${[...new Set(r.sent.map((s) => s.destination))].join(", ")}), ${r.replies.length} replies from ` +
      `${new Set(r.replies.map((x) => x.address)).size} addresses`,
  ];
  for (const s of r.sent.filter((x) => x.error))
    lines.push(`camsweep: ${s.protocol} to ${s.destination} not sent: ${s.error}`);
  for (const s of r.skipped) lines.push(`camsweep: local discovery: ${s}`);
  if (r.ignored || r.dropped)
    lines.push(
      `camsweep: local discovery: ${r.ignored} datagrams were not discovery replies, ${r.dropped} over the caps (dropped)`,
    );
  for (const o of h.outside.slice(0, 20))
    lines.push(
      `camsweep: ${o.address} answered ${o.protocols.join(", ")} from outside the scan's targets: recorded, not probed`,
    );
  if (h.outside.length > 20)
    lines.push(`camsweep: ... and ${h.outside.length - 20} more addresses outside the targets`);
  return lines;
}

/** What --dry-run says --local would send (nothing is sent). */
export function planLocal(name: string): string[] {
  const iface = resolveInterface(name);
  return DISCOVERY.flatMap((p) => {
    const to = [
      ...(iface.v4.length && p.groups.v4 ? [`${p.groups.v4}:${p.port}`] : []),
      ...(iface.v4.length && p.broadcast ? [`255.255.255.255:${p.port}`] : []),
      ...(iface.v6.length && p.groups.v6 ? [`[${p.groups.v6}%${name}]:${p.port}`] : []),
    ];
    return to.length ? [`Local discovery on ${name}: ${p.id} to ${to.join(", ")}`] : [];
  });
}
