import ipaddr from "ipaddr.js";
import { CamsweepError, UsageError } from "../shared/errors.js";
import type { Persona } from "./persona.js";
import { loadPersonas } from "./load.js";
import { DeviceContext } from "./respond.js";
import { BindError, bindService, type Bound } from "./bind.js";

export { loadPersonas, loadPersonaFile, DEFAULT_PERSONA_DIR } from "./load.js";
export { PersonaSchema, type Persona, type PersonaExpect, type PersonaService } from "./persona.js";
export { digestAuthorization, parseDigest } from "./digest.js";
export { dhipFrame } from "../probes/dhip/parse.js";

export interface LabService {
  /** actual bound port */
  port: number;
  /** port the persona declares (before any offset) */
  nominalPort: number;
  protocol: string;
}
export interface LabDevice {
  persona: Persona;
  address: string;
  services: LabService[];
}
export interface RunningLab {
  devices: LabDevice[];
  stop(): Promise<void>;
}
export interface LabOptions {
  /** CIDR inside 127.0.0.0/8, or a start address; default 127.77.0.0/24 */
  range?: string;
  /** persona ids, in device order; default all (sorted by id) */
  personas?: string[];
  /** number of devices; personas repeat (with distinct MACs) when count exceeds them */
  count?: number;
  /** "auto" (default): real ports, or ports < 1024 at +20000 when one is refused (non-root); a number moves every port */
  portOffset?: number | "auto";
  /** persona directory (default <package>/lab/personas) */
  dir?: string;
}

export const DEFAULT_LAB_RANGE = "127.77.0.0/24";
export const AUTO_OFFSET = 20000;
const LOOPBACK = ipaddr.parseCIDR("127.0.0.0/8");

/** Consecutive host addresses from the first usable one of a loopback range. */
export function labAddresses(range: string, n: number): string[] {
  let start: ipaddr.IPv4;
  let last: number;
  try {
    if (range.includes("/")) {
      const [addr, prefix] = ipaddr.IPv4.parseCIDR(range);
      const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
      const net = (toInt(addr) & mask) >>> 0;
      const size = 2 ** (32 - prefix);
      if (prefix < 8 || !addr.match(LOOPBACK))
        throw new UsageError(`lab range ${range} is outside 127.0.0.0/8`);
      const first = prefix <= 30 ? net + 1 : net;
      last = prefix <= 30 ? net + size - 2 : net + size - 1;
      start = fromInt(first);
    } else {
      start = ipaddr.IPv4.parse(range);
      last = toInt(ipaddr.IPv4.parse("127.255.255.254"));
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`lab range "${range}" is not an IPv4 CIDR or address`);
  }
  if (!start.match(LOOPBACK)) throw new UsageError(`lab range ${range} is outside 127.0.0.0/8`);
  const s = toInt(start);
  if (s + n - 1 > last)
    throw new UsageError(`lab range ${range} has room for ${Math.max(0, last - s + 1)} devices, ${n} asked`);
  return Array.from({ length: n }, (_, i) => fromInt(s + i).toString());
}

const toInt = (a: ipaddr.IPv4) => a.octets.reduce((acc, o) => acc * 256 + o, 0);
const fromInt = (n: number) =>
  new ipaddr.IPv4([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);

/** Copies of a persona beyond the first get a different MAC (same OUI) so inventories keep them apart. */
function instanceVars(p: Persona, round: number): Record<string, string> {
  if (round === 0 || !p.vars.mac) return p.vars;
  const parts = p.vars.mac.split(":");
  const tail = (parseInt(parts.slice(3).join(""), 16) + round * 0x10101) & 0xffffff;
  const hex = tail.toString(16).padStart(6, "0");
  return {
    ...p.vars,
    mac: [...parts.slice(0, 3), hex.slice(0, 2), hex.slice(2, 4), hex.slice(4, 6)].join(":"),
  };
}

function bindErrorMessage(e: BindError): CamsweepError {
  switch (e.code) {
    case "EADDRNOTAVAIL":
      return new CamsweepError(
        `cannot bind ${e.address}: the address is not configured on this host. Linux routes all of 127.0.0.0/8 to lo; ` +
          `on macOS add an alias per device first, e.g. "sudo ifconfig lo0 alias ${e.address} up".`,
      );
    case "EADDRINUSE":
      return new CamsweepError(
        `${e.address}:${e.port} is already in use; pick another lab range or port offset`,
      );
    case "EACCES":
      return new CamsweepError(
        `binding ${e.address}:${e.port} was refused (ports < 1024 need root); use a port offset such as 20000`,
      );
    case "ERANGE":
      return new UsageError(e.message);
    default:
      return new CamsweepError(`cannot bind ${e.address}:${e.port}: ${e.message}`);
  }
}

async function bindAll(contexts: DeviceContext[], offsetOf: (port: number) => number): Promise<Bound[][]> {
  const bound: Bound[][] = [];
  try {
    for (const ctx of contexts) {
      const mine: Bound[] = [];
      bound.push(mine);
      for (const svc of ctx.persona.services) mine.push(await bindService(ctx, svc, offsetOf(svc.port)));
    }
    return bound;
  } catch (e) {
    await Promise.all(bound.flat().map((b) => b.close()));
    throw e;
  }
}

/** Start simulated devices on loopback addresses. Refuses any range outside 127.0.0.0/8. */
export async function startLab(opts: LabOptions = {}): Promise<RunningLab> {
  const all = loadPersonas(opts.dir);
  let chosen: Persona[];
  if (opts.personas && opts.personas.length > 0) {
    chosen = opts.personas.map((id) => {
      const p = all.find((x) => x.id === id);
      if (!p) throw new UsageError(`unknown persona "${id}" (known: ${all.map((x) => x.id).join(", ")})`);
      return p;
    });
  } else chosen = all;
  if (chosen.length === 0) throw new UsageError("no personas to start");
  const count = opts.count ?? chosen.length;
  if (!Number.isInteger(count) || count < 1)
    throw new UsageError(`lab device count must be a positive integer, got ${count}`);
  const addresses = labAddresses(opts.range ?? DEFAULT_LAB_RANGE, count);
  const contexts = addresses.map((address, i) => {
    const p = chosen[i % chosen.length] as Persona;
    return new DeviceContext(p, address, instanceVars(p, Math.floor(i / chosen.length)));
  });

  const requested = opts.portOffset ?? "auto";
  if (requested !== "auto" && (!Number.isInteger(requested) || requested < 0 || requested > 65534))
    throw new UsageError(`port offset must be an integer 0-65534, got ${requested}`);
  let bound: Bound[][];
  try {
    if (requested === "auto") {
      try {
        bound = await bindAll(contexts, () => 0);
      } catch (e) {
        if (!(e instanceof BindError && e.code === "EACCES" && e.port < 1024)) throw e;
        // Only the privileged ports move: SADP/DHIP (UDP 37020/37810) and 8000/37777 stay where scanners expect them.
        bound = await bindAll(contexts, (port) => (port < 1024 ? AUTO_OFFSET : 0));
      }
    } else bound = await bindAll(contexts, () => requested);
  } catch (e) {
    throw e instanceof BindError ? bindErrorMessage(e) : e;
  }

  let stopped: Promise<void> | undefined;
  return {
    devices: contexts.map((ctx, i) => ({
      persona: ctx.persona,
      address: ctx.address,
      services: (bound[i] ?? []).map(({ port, nominalPort, protocol }) => ({ port, nominalPort, protocol })),
    })),
    stop: () => (stopped ??= Promise.all(bound.flat().map((b) => b.close())).then(() => undefined)),
  };
}

/** Plain-text table of running devices for the CLI. */
export function formatLabDevices(devices: LabDevice[]): string {
  const rows = devices.map((d) => [
    d.address,
    d.persona.id,
    d.persona.name,
    d.services
      .map(
        (s) =>
          `${s.port}/${s.protocol === "sadp" || s.protocol === "dhip" ? `udp(${s.protocol})` : s.protocol}`,
      )
      .join(" "),
  ]);
  const head = ["ADDRESS", "PERSONA", "NAME", "PORTS"];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((v, c) => (c === r.length - 1 ? v : v.padEnd(widths[c] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(head), ...rows.map(line)].join("\n") + "\n";
}
