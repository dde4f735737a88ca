/**
 * Linux neighbour tables: /proc/net/arp (IPv4) and iproute2's `ip neigh` in text and JSON (`ip -j neigh`, IPv4
 * and IPv6). Formats as documented and as iproute2 6.1 prints them: see __fixtures__/tables.ts for the sources.
 */
import { Collector, linesOf, normaliseAddress, type NeighbourParse } from "./entry.js";

/** The header line of /proc/net/arp (proc(5)). */
export const PROC_ARP_HEADER = /^IP address\s+HW type\s+Flags\s+HW address\s+Mask\s+Device\s*$/;

/** ATF_COM: the entry is complete (its HW address is valid); ATF_PERM: permanent (linux/if_arp.h). */
const ATF_COM = 0x2;
const ATF_PERM = 0x4;

/** A link-layer address of another kind (InfiniBand's 20 bytes, a tunnel's IPv4): not an Ethernet MAC. */
function otherLinkAddress(s: string): boolean {
  return /^[0-9a-f]{1,2}(?::[0-9a-f]{1,2})*$/i.test(s) || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(s);
}

/**
 * /proc/net/arp: a header, then `IP  HWtype  Flags  HWaddress  Mask  Device` per entry. Flags without ATF_COM
 * (0x0) are incomplete or failed resolutions and are dropped, as are non-Ethernet hardware types.
 */
export function parseProcNetArp(text: string): NeighbourParse {
  const c = new Collector();
  let header = false;
  for (const [n, line] of linesOf(text, c)) {
    if (!line.trim()) continue;
    if (!header && PROC_ARP_HEADER.test(line)) {
      header = true;
      continue;
    }
    const f = line.trim().split(/\s+/);
    if (f.length !== 6) {
      c.bad(
        n,
        `expected 6 columns (IP address, HW type, Flags, HW address, Mask, Device), found ${f.length}`,
      );
      continue;
    }
    const [ip, hwType, flagText, hw, , dev] = f as [string, string, string, string, string, string];
    if (!/^0x[0-9a-f]{1,8}$/i.test(hwType) || !/^0x[0-9a-f]{1,8}$/i.test(flagText)) {
      c.bad(
        n,
        `HW type and Flags must be hex numbers (0x1, 0x2), found "${hwType.slice(0, 20)}" "${flagText.slice(0, 20)}"`,
      );
      continue;
    }
    const flags = parseInt(flagText, 16);
    if (!(flags & ATF_COM)) {
      // Still check the address, so a damaged line is not passed over as an incomplete one.
      if (!normaliseAddress(ip)) c.bad(n, `"${ip.slice(0, 60)}" is not an IP address`);
      continue;
    }
    if (parseInt(hwType, 16) !== 1 && otherLinkAddress(hw) && hw.split(":").length !== 6) continue;
    c.add(n, ip, hw, { interface: dev, state: flags & ATF_PERM ? "permanent" : "complete" });
  }
  return c.result();
}

/** NUD states as iproute2 prints them (ip-neighbour(8)). */
const STATES = new Set([
  "PERMANENT",
  "NOARP",
  "REACHABLE",
  "STALE",
  "DELAY",
  "PROBE",
  "INCOMPLETE",
  "FAILED",
  "NONE",
]);
/** States in which the link-layer address is not valid (ip-neighbour(8)): the entry is dropped. */
const INVALID = new Set(["INCOMPLETE", "FAILED", "NONE"]);

/** True when a line reads like `ip neigh` output: an address, then `dev`, `lladdr` or a NUD state. */
export function looksLikeIpNeigh(line: string): boolean {
  const t = line.trim().split(/\s+/);
  if (t[0] === "Deleted" || t[0] === "delete" || t[0] === "miss") t.shift();
  if (!t[0] || !normaliseAddress(t[0])) return false;
  return t.slice(1).some((w) => w === "dev" || w === "lladdr" || w === "nud" || STATES.has(w));
}

/** The state an entry is filed under: the last valid NUD word, the invalid one when any is present. */
function stateOf(states: string[]): { state?: string; invalid: boolean } {
  const bad = states.find((s) => INVALID.has(s));
  if (bad) return { state: bad, invalid: true };
  return { state: states.at(-1), invalid: false };
}

/**
 * `ip neigh show` text: `ADDR [dev DEV] [lladdr MAC] [router] [proxy] [used ...] [probes N] STATE...` (older
 * iproute2 writes `nud state` in lower case). Entries without a valid link-layer address (INCOMPLETE, FAILED,
 * NONE; proxy entries) are dropped; words iproute2 adds over versions (extern_learn, offload, ref, used) are
 * passed over.
 */
export function parseIpNeigh(text: string): NeighbourParse {
  const c = new Collector();
  for (const [n, line] of linesOf(text, c)) {
    const t = line.trim().split(/\s+/);
    if (!t[0]) continue;
    if (t[0] === "Deleted" || t[0] === "delete" || t[0] === "miss") t.shift();
    const [address = "", ...rest] = t;
    if (!normaliseAddress(address)) {
      c.bad(n, `"${address.slice(0, 60)}" is not an IP address: not an \`ip neigh\` line`);
      continue;
    }
    let dev: string | undefined;
    let lladdr: string | undefined;
    const states: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const w = rest[i] as string;
      if (w === "dev") dev = rest[++i];
      else if (w === "lladdr") lladdr = rest[++i];
      else if (w === "nud") states.push((rest[++i] ?? "").toUpperCase());
      else if (STATES.has(w)) states.push(w);
    }
    const { state, invalid } = stateOf(states);
    if (invalid || lladdr === undefined) continue;
    if (otherLinkAddress(lladdr) && lladdr.split(":").length !== 6) continue;
    c.add(n, address, lladdr, { interface: dev, state });
  }
  return c.result();
}

/**
 * 1-based line of each top-level element of a JSON array, so a bad entry of `ip -j -p neigh` (pretty, one field
 * a line) is named by line like any other format; the compact form is one line.
 */
function elementLines(text: string): number[] {
  const out: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) line++;
    if (inString) {
      if (ch === 92) i++;
      else if (ch === 34) inString = false;
      continue;
    }
    if (ch === 34) {
      if (depth === 1 && expectValue) out.push(line);
      expectValue = false;
      inString = true;
    } else if (ch === 91 || ch === 123) {
      if (depth === 1 && expectValue) out.push(line);
      expectValue = depth === 0;
      depth++;
    } else if (ch === 93 || ch === 125) depth--;
    else if (ch === 44 && depth === 1) expectValue = true;
    else if (depth === 1 && expectValue && ch > 32) {
      out.push(line);
      expectValue = false;
    }
  }
  return out;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/**
 * `ip -j neigh show`: an array of {dst, dev, lladdr, state: [...], router, proxy, ...}. `lladdr` is absent for
 * FAILED and INCOMPLETE entries (VyOS op_mode/neighbor.py notes the same); those are dropped.
 */
export function parseIpNeighJson(text: string): NeighbourParse {
  const c = new Collector();
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    c.bad(1, `not valid JSON (${String((e as Error).message).slice(0, 100)})`);
    return c.result();
  }
  if (!Array.isArray(data)) {
    c.bad(1, "expected a JSON array of neighbour entries (`ip -j neigh`)");
    return c.result();
  }
  const lines = elementLines(text);
  for (let i = 0; i < data.length; i++) {
    const n = lines[i] ?? 1;
    if (c.full) {
      c.cut(n);
      break;
    }
    const e = data[i] as Record<string, unknown> | null;
    if (!e || typeof e !== "object" || Array.isArray(e)) {
      c.bad(n, `entry ${i + 1} is not an object`);
      continue;
    }
    const dst = str(e.dst);
    if (!dst) {
      c.bad(n, `entry ${i + 1} has no "dst" address`);
      continue;
    }
    const states = Array.isArray(e.state) ? e.state.filter((s): s is string => typeof s === "string") : [];
    const { state, invalid } = stateOf(states.map((s) => s.toUpperCase()));
    const lladdr = str(e.lladdr);
    if (invalid || lladdr === undefined || "proxy" in e) {
      if (!normaliseAddress(dst)) c.bad(n, `entry ${i + 1}: "${dst.slice(0, 60)}" is not an IP address`);
      continue;
    }
    if (otherLinkAddress(lladdr) && lladdr.split(":").length !== 6) continue;
    c.add(n, dst, lladdr, { interface: str(e.dev), state });
  }
  return c.result();
}
