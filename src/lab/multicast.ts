import { readdirSync, statSync } from "node:fs";
import type { UdpProtocol } from "./persona.js";

/**
 * Multicast mode: the lab's UDP discovery services listen on the wildcard address, join their groups and answer
 * any sender, as devices on a segment do. That listens beyond loopback, so it is allowed only inside a network
 * namespace the lab's tooling made (one under /run/netns) that is not the root namespace.
 */

/** The groups a device joins and announces to (§1.1 SADP, §5.1 WS-Discovery, §6.1 DHIP; SSDP per UPnP 1.0). */
export const GROUPS: Partial<Record<UdpProtocol, string>> = {
  sadp: "239.255.255.250",
  wsd: "239.255.255.250",
  ssdp: "239.255.255.250",
  dhip: "239.255.255.251",
  // dhip-legacy (§6.2) is broadcast only: the wildcard bind receives it, no group to join
};

/** The root network namespace's fixed inode (PROC_NET_INIT_INO, Linux 3.8 and later). */
const INIT_NET_INO = 0xeffffff9;

/**
 * Why multicast mode may not run in this process, or undefined when it may. Refused in the root namespace (by its
 * fixed inode, and by pid 1's namespace where that is readable) and in any namespace not under /run/netns.
 */
export function multicastRefusal(): string | undefined {
  if (process.platform !== "linux") return "multicast mode needs Linux network namespaces";
  let self: { ino: number; dev: number };
  try {
    self = statSync("/proc/self/ns/net");
  } catch {
    return "cannot read this process's network namespace (/proc/self/ns/net)";
  }
  const root = "this process runs in the root network namespace";
  if (self.ino === INIT_NET_INO) return root;
  try {
    const init = statSync("/proc/1/ns/net");
    if (init.ino === self.ino && init.dev === self.dev) return root;
  } catch {
    // pid 1's entry is often unreadable (containers); the named-namespace test below still applies
  }
  let named = false;
  try {
    named = readdirSync("/run/netns").some((n) => {
      try {
        const s = statSync(`/run/netns/${n}`);
        return s.ino === self.ino && s.dev === self.dev;
      } catch {
        return false;
      }
    });
  } catch {
    named = false;
  }
  return named
    ? undefined
    : "this process is not inside a named network namespace (ip netns add / ip netns exec)";
}
