import { existsSync, readFileSync } from "node:fs";
import { networkInterfaces, type NetworkInterfaceInfo } from "node:os";
import ipaddr from "ipaddr.js";
import { UsageError } from "../../shared/errors.js";

/**
 * A network interface the user named for local discovery or listening, with the addresses its sockets bind to.
 * Multicast and broadcast go out only where the user said, so an unknown, down or address-less interface is an
 * error that names it and lists the usable ones, never a silent fallback to another interface.
 */
export interface LocalInterface {
  name: string;
  /** IPv4 addresses with their subnets ("10.0.0.5", "10.0.0.0/24") */
  v4: { address: string; cidr: string }[];
  /** IPv6 addresses with their subnets; link-local ones first (link-scoped groups such as ff02::c use them) */
  v6: { address: string; cidr: string; linkLocal: boolean }[];
  mac?: string;
}

/** What os.networkInterfaces() returns; injectable for tests. */
export type InterfaceTable = NodeJS.Dict<NetworkInterfaceInfo[]>;

/**
 * Resolves an interface name to its addresses. Loopback is refused: `lo` has no IFF_MULTICAST, so group traffic
 * there is not delivered as on a real link, and no device lives on it (the lab is reached by unicast probes).
 */
export function resolveInterface(name: string, table: InterfaceTable = networkInterfaces()): LocalInterface {
  const up = Object.entries(table).filter(([, a]) => a?.length && !a.every((i) => i.internal));
  const usable = up.map(([n]) => n).sort();
  const list = usable.length ? usable.join(", ") : "none";
  const infos = table[name];
  if (!infos?.length) {
    // os.networkInterfaces() (libuv) leaves out interfaces that are down or have no address: say which it is.
    const exists =
      /^[^/\0]{1,15}$/.test(name) && name !== "." && name !== ".." && existsSync(`/sys/class/net/${name}`);
    const state = exists ? readState(name) : undefined;
    throw new UsageError(
      exists
        ? `interface "${name}" is ${state === "up" ? "up but has no IP address" : `down (state ${state ?? "unknown"}) or has no IP address`}; interfaces with an address: ${list}`
        : `no interface "${name}" on this host; interfaces with an address: ${list}`,
    );
  }
  if (infos.every((i) => i.internal))
    throw new UsageError(
      `interface "${name}" is loopback: multicast and broadcast discovery need a real link (devices on loopback, ` +
        `such as the lab, are found by a unicast scan); interfaces with an address: ${list}`,
    );
  const v4: LocalInterface["v4"] = [];
  const v6: LocalInterface["v6"] = [];
  for (const i of infos) {
    if (i.family === "IPv4") v4.push({ address: i.address, cidr: cidrOf(i) });
    else {
      // Node gives link-local addresses without their zone; the zone is this interface.
      const linkLocal =
        ipaddr.IPv6.isValid(i.address) && ipaddr.IPv6.parse(i.address).range() === "linkLocal";
      v6.push({ address: i.address, cidr: cidrOf(i), linkLocal });
    }
  }
  v6.sort((a, b) => Number(b.linkLocal) - Number(a.linkLocal));
  const mac = infos.find((i) => i.mac && i.mac !== "00:00:00:00:00:00")?.mac;
  return { name, v4, v6, ...(mac ? { mac } : {}) };
}

function readState(name: string): string | undefined {
  try {
    return readFileSync(`/sys/class/net/${name}/operstate`, "utf8").trim();
  } catch {
    return undefined;
  }
}

function cidrOf(i: NetworkInterfaceInfo): string {
  const bits = i.cidr ? Number(i.cidr.split("/")[1]) : i.family === "IPv4" ? 32 : 128;
  try {
    const cidr = `${i.address}/${bits}`;
    const base =
      i.family === "IPv4"
        ? ipaddr.IPv4.networkAddressFromCIDR(cidr)
        : ipaddr.IPv6.networkAddressFromCIDR(cidr);
    return `${base.toString()}/${bits}`;
  } catch {
    return `${i.address}/${bits}`;
  }
}

/** True when `address` lies in one of the interface's subnets (IPv6 link-local counts as on the link). */
export function onLink(iface: LocalInterface, address: string): boolean {
  let a: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    a = ipaddr.process(address.replace(/%.*$/, ""));
  } catch {
    return false;
  }
  if (a.kind() === "ipv6" && (a as ipaddr.IPv6).range() === "linkLocal") return true;
  const nets = a.kind() === "ipv4" ? iface.v4 : iface.v6;
  return nets.some(({ cidr }) => {
    try {
      const [net, bits] = ipaddr.parseCIDR(cidr);
      return net.kind() === a.kind() && a.match(net, bits);
    } catch {
      return false;
    }
  });
}

/** The zone-qualified form a socket needs for a link-scoped IPv6 address ("fe80::1%br0", "ff02::c%br0"). */
export function scoped(iface: LocalInterface, address: string): string {
  if (address.includes("%") || !ipaddr.IPv6.isValid(address)) return address;
  const a = ipaddr.IPv6.parse(address);
  const linkScoped = a.range() === "linkLocal" || a.parts[0] === 0xff02;
  return linkScoped ? `${address}%${iface.name}` : address;
}
