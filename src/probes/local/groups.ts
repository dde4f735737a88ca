import ipaddr from "ipaddr.js";
import type { DiscoveryProtocol } from "../discovery/protocol.js";
import type { LocalInterface } from "./interface.js";

/** IPv4 limited broadcast: never forwarded by a router (RFC 919), so it stays on the link it is sent on. */
export const LIMITED_BROADCAST = "255.255.255.255";

export type Family = "v4" | "v6";

/** Where one protocol goes on one interface, per address family, or why it cannot. */
export interface FamilyPlan {
  family: Family;
  /** multicast group, if the protocol has one in this family */
  group?: string;
  /** also to 255.255.255.255 (IPv4 only) */
  broadcast: boolean;
}

/**
 * The families a protocol can use on this interface, and the reasons for those it cannot. A group must be
 * multicast, and an IPv6 group link-scoped (ff02::/16), so that even a wrong table entry cannot send beyond
 * the link; IPv4 multicast is held to the link by TTL 1 where it is sent.
 */
export function familyPlans(
  p: DiscoveryProtocol,
  iface: LocalInterface,
): { plans: FamilyPlan[]; skipped: string[] } {
  const plans: FamilyPlan[] = [];
  const skipped: string[] = [];
  const v4group = p.groups.v4;
  if (v4group !== undefined) assertGroup(p, v4group, "v4");
  if (v4group !== undefined || p.broadcast) {
    if (iface.v4.length)
      plans.push({ family: "v4", ...(v4group ? { group: v4group } : {}), broadcast: !!p.broadcast });
    else skipped.push(`${p.id}: interface ${iface.name} has no IPv4 address`);
  }
  const v6group = p.groups.v6;
  if (v6group !== undefined) {
    assertGroup(p, v6group, "v6");
    if (iface.v6.length) plans.push({ family: "v6", group: v6group, broadcast: false });
    else skipped.push(`${p.id}: interface ${iface.name} has no IPv6 address (group ${v6group} not used)`);
  }
  return { plans, skipped };
}

function assertGroup(p: DiscoveryProtocol, group: string, family: Family): void {
  let a: ipaddr.IPv4 | ipaddr.IPv6 | undefined;
  try {
    a = ipaddr.parse(group);
  } catch {
    a = undefined;
  }
  const ok =
    a !== undefined &&
    a.kind() === (family === "v4" ? "ipv4" : "ipv6") &&
    a.range() === "multicast" &&
    (family === "v4" || (a as ipaddr.IPv6).parts[0] === 0xff02);
  if (!ok)
    throw new Error(
      `discovery table: ${p.id} ${family} group ${group} is not a ${family === "v6" ? "link-scoped (ff02::/16) " : ""}multicast address`,
    );
}
