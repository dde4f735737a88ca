import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import {
  accessSync,
  constants,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { CamsweepError, UsageError } from "../shared/errors.js";
import { hostSpan, toInt } from "./range.js";
import ipaddr from "ipaddr.js";
import { startWire, type RunningWire } from "./wire.js";

/**
 * The namespace lab: devices in a network namespace of their own (<prefix>-lab), scanners in another
 * (<prefix>-scan), joined by an emulated link with a round-trip delay and loss (wire.ts). Safety by construction:
 * the scanner namespace's only route is the lab range over that link, so nothing run there can reach any other
 * network; the root namespace gets no address, route or rule. Linux and root only.
 */

export interface NetnsNames {
  lab: string;
  scan: string;
  /** TUN device in the lab namespace / in the scanner namespace */
  labDev: string;
  scanDev: string;
  lock: string;
}

export const DEFAULT_PREFIX = "csw";
/** Point-to-point link addresses; link-local, so no lab range (private only) can overlap them. */
export const LINK = { lab: "169.254.80.1", scan: "169.254.80.2" } as const;

export function netnsNames(prefix: string = DEFAULT_PREFIX): NetnsNames {
  // Interface names are at most 15 bytes: "<prefix>-tl".
  if (!/^[a-z][a-z0-9]{0,9}$/.test(prefix))
    throw new UsageError(`namespace prefix "${prefix}" must be 1-10 lower-case letters or digits`);
  return {
    lab: `${prefix}-lab`,
    scan: `${prefix}-scan`,
    labDev: `${prefix}-tl`,
    scanDev: `${prefix}-ts`,
    lock: `/run/camsweep-netns-${prefix}.pid`,
  };
}

/** True when `cmd` is an executable in PATH or the usual system directories. */
export function onPath(cmd: string): boolean {
  return (process.env["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin")
    .split(":")
    .concat(["/usr/sbin", "/sbin"])
    .some((d) => {
      try {
        accessSync(`${d}/${cmd}`, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/** Why the namespace lab cannot run here, or undefined when it can. */
export function netnsUnsupported(): string | undefined {
  if (process.platform !== "linux") return `the namespace lab needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return "the namespace lab needs root (it creates network namespaces)";
  const missing = ["ip", "nft", "perl"].filter((c) => !onPath(c));
  if (missing.length)
    return `the namespace lab needs ${missing.join(", ")} (Debian: apt-get install iproute2 nftables perl-base)`;
  if (!existsSync("/dev/net/tun")) return "the namespace lab needs /dev/net/tun (a kernel with CONFIG_TUN)";
  return undefined;
}

/** True when this process runs inside the named namespace (same nsfs inode as /run/netns/<name>). */
export function insideNamespace(name: string): boolean {
  try {
    const mine = statSync("/proc/self/ns/net");
    const theirs = statSync(`/run/netns/${name}`);
    return mine.ino === theirs.ino && mine.dev === theirs.dev;
  } catch {
    return false;
  }
}

/**
 * True when this process runs inside a lab namespace ("<prefix>-lab" under /run/netns). pid 1's namespace
 * cannot be compared against (its /proc entry is often unreadable), so this asks the positive question.
 */
export function inLabNamespace(): boolean {
  try {
    return readdirSync("/run/netns").some((n) => n.endsWith("-lab") && insideNamespace(n));
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { maxBuffer: 16 * 1024 * 1024 }, (e, stdout, stderr) => {
      if (e) reject(new CamsweepError(`${cmd} ${args.slice(0, 4).join(" ")}: ${stderr.trim() || e.message}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

export async function listNamespaces(): Promise<string[]> {
  const out = await run("ip", ["netns", "list"]);
  return out
    .split("\n")
    .map((l) => l.split(" ")[0] ?? "")
    .filter(Boolean);
}

/** The live process a lab's lock file names, if its command line holds `marker` (a reused pid would not). */
export function lockHolder(lock: string, marker = "camsweep"): number | undefined {
  try {
    const pid = Number(readFileSync(lock, "utf8").trim());
    if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) return undefined;
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Remove what a crashed run left (namespaces named for this prefix), unless a live lab holds the lock.
 * Processes a crashed lab left inside exit on their own: each watches the pipe from its parent.
 */
export async function removeLeftovers(names: NetnsNames): Promise<string[]> {
  const holder = lockHolder(names.lock);
  const present = (await listNamespaces()).filter((n) => n === names.lab || n === names.scan);
  if (holder !== undefined)
    throw new CamsweepError(
      `a namespace lab is already running (pid ${holder}, namespaces ${names.lab}/${names.scan}); ` +
        `stop it first or choose another --netns-prefix`,
    );
  for (const n of present) await run("ip", ["netns", "del", n]);
  rmSync(names.lock, { force: true });
  return present;
}

/** Best-effort synchronous teardown, for process exit paths. */
export function deleteNamespacesSync(names: NetnsNames): void {
  for (const n of [names.lab, names.scan]) {
    try {
      execFileSync("ip", ["netns", "del", n], { stdio: "ignore" });
    } catch {
      /* already gone */
    }
  }
  rmSync(names.lock, { force: true });
}

export interface NetnsPlan {
  /** a CIDR inside the private ranges */
  range: string;
  devices: string[];
  /** device addresses behind a firewall that drops everything silently */
  filtered: string[];
  rttMs: number;
  lossPercent: number;
}

/** nft ruleset for the lab namespace: silence for filtered devices and for every unused address of the range. */
export function labRuleset(plan: NetnsPlan, table = "camsweep_lab"): string {
  const set = (name: string, addrs: string[]) =>
    `  set ${name} { type ipv4_addr; ${addrs.length ? `elements = { ${addrs.join(", ")} }` : ""} }`;
  return [
    `table inet ${table} {`,
    set("hosts", plan.devices),
    set("filtered", plan.filtered),
    "  chain pre {",
    "    type filter hook prerouting priority -300; policy accept;",
    "    ip daddr @filtered drop",
    `    ip daddr ${plan.range} ip daddr != @hosts drop`,
    "  }",
    "}",
    "",
  ].join("\n");
}

export interface NetnsLab {
  names: NetnsNames;
  wire: RunningWire;
  teardown(): Promise<void>;
}

/** Create both namespaces, the link, the addresses, routes and firewall. Undoes everything on failure. */
export async function createNetns(names: NetnsNames, plan: NetnsPlan): Promise<NetnsLab> {
  const why = netnsUnsupported();
  if (why) throw new CamsweepError(why);
  const span = hostSpan(plan.range, "private");
  if (!span.cidr) throw new UsageError(`the namespace lab needs a CIDR range, got ${plan.range}`);
  const range = span.cidr;
  await removeLeftovers(names);
  writeFileSync(names.lock, `${process.pid}\n`);
  let wire: RunningWire | undefined;
  const teardown = async () => {
    await wire?.stop();
    deleteNamespacesSync(names);
  };
  try {
    await run("ip", ["netns", "add", names.lab]);
    await run("ip", ["netns", "add", names.scan]);
    const hosts = new Set(plan.devices.map((a) => toInt(ipaddr.IPv4.parse(a))));
    wire = await startWire(
      { namespace: names.scan, device: names.scanDev },
      { namespace: names.lab, device: names.labDev },
      { oneWayMs: plan.rttMs / 2, lossPercent: plan.lossPercent, deliverTo: (ip) => hosts.has(ip) },
    );
    // Scanner side: loopback, the link, and one route: the lab range. No default route, ever.
    await linkUp(names.scan, names.scanDev, LINK.scan, LINK.lab, [`route add ${range} dev ${names.scanDev}`]);
    // Lab side: each device a /32 on lo; the rest of the range a blackhole (silently dropped, as routed).
    await linkUp(names.lab, names.labDev, LINK.lab, LINK.scan, [
      `route add blackhole ${range}`,
      ...plan.devices.map((a) => `address add ${a}/32 dev lo`),
    ]);
    await run("ip", ["netns", "exec", names.lab, "nft", "-f", "-"], labRuleset({ ...plan, range }));
    return { names, wire, teardown };
  } catch (e) {
    await teardown();
    throw e;
  }
}

/** Start a process inside a namespace (`ip netns exec`), with piped stdio. */
export function spawnInside(namespace: string, cmd: string, args: string[]): ChildProcess {
  return spawn("ip", ["netns", "exec", namespace, cmd, ...args], { stdio: ["pipe", "pipe", "pipe"] });
}

/**
 * One namespace's side of the link: loopback up, the TUN device addressed to its peer and up, then `extra`.
 * The device's queue is long: a scanner's burst of thousands of SYNs must wait in it for the wire to read
 * them, not be dropped by the kernel (a TUN device queues 500 packets by default) and look like loss.
 */
async function linkUp(ns: string, dev: string, local: string, peer: string, extra: string[]): Promise<void> {
  await run(
    "ip",
    ["-n", ns, "-batch", "-"],
    [
      "link set lo up",
      `address add ${local} peer ${peer} dev ${dev}`,
      `link set ${dev} txqueuelen 100000 up`,
      ...extra,
    ].join("\n") + "\n",
  );
}
