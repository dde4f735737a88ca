import { CamsweepError, UsageError } from "../shared/errors.js";
import type { Persona } from "./persona.js";
import { loadPersonaCatalog } from "./load.js";
import { DeviceContext } from "./respond.js";
import { BindError, bindService, type Bound, type UdpMode } from "./bind.js";
import { assertFileLimit } from "./fdlimit.js";
import { loadMix, planMix } from "./mix.js";
import { labAddresses } from "./range.js";
import { inLabNamespace } from "./netns.js";
import { isUdpProtocol } from "./persona.js";
import { multicastRefusal } from "./multicast.js";
import { columns } from "../shared/columns.js";

export { loadPersonas, loadPersonaFile, loadPersonaCatalog, DEFAULT_PERSONA_DIR } from "./load.js";
export { PersonaSchema, type Persona, type PersonaExpect, type PersonaService } from "./persona.js";
export { digestAuthorization, parseDigest } from "./digest.js";
export { dhipFrame } from "../probes/dhip/parse.js";
export { labAddresses } from "./range.js";
export { DEFAULT_MIX, loadMix, planMix } from "./mix.js";

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
  /** persona ids, in device order; default all (sorted by id). Misbehaving personas start only when named. */
  personas?: string[];
  /** number of devices; personas repeat (with distinct MACs) when count exceeds them */
  count?: number;
  /** a mix file (lab/mixes/*.yaml): `count` devices drawn in its proportions, shuffled by `seed` */
  mix?: string;
  /** seed for the mix order and spread addresses (default 1): same seed, same site */
  seed?: number;
  /** scatter the devices across the range (seeded) instead of packing them from its first address */
  spread?: boolean;
  /** "auto" (default): real ports, or ports < 1024 at +20000 when one is refused (non-root); a number moves every port */
  portOffset?: number | "auto";
  /** persona directory (default <package>/lab/personas) */
  dir?: string;
  /**
   * Set only by the namespace lab (netns.ts) for the process it runs inside its own namespace: a private range is
   * then allowed and UDP answers any sender, since nothing but the lab's scanner namespace can reach it.
   */
  insideNamespace?: boolean;
  /** devices bound concurrently (default 128) */
  bindBatch?: number;
  /**
   * UDP discovery services listen on the wildcard address, join their multicast groups and answer any sender
   * (unicast back to it). Refused unless the process runs in a named network namespace other than the root one,
   * with exactly one device (one address per process).
   */
  multicast?: boolean;
  /** multicast only: each device sends its Hello / NOTIFY (where its persona has them) at start and every N ms */
  announceEveryMs?: number;
}

export const DEFAULT_LAB_RANGE = "127.77.0.0/24";
export const AUTO_OFFSET = 20000;

/** Copies of a persona beyond the first get a different MAC (same OUI) so inventories keep them apart. */
function instanceVars(p: Persona, round: number): Record<string, string> {
  if (round === 0) return p.vars;
  const vars = { ...p.vars };
  if (p.vars.mac) {
    const parts = p.vars.mac.split(":");
    const tail = (parseInt(parts.slice(3).join(""), 16) + round * 0x10101) & 0xffffff;
    const hex = tail.toString(16).padStart(6, "0");
    vars.mac = [...parts.slice(0, 3), hex.slice(0, 2), hex.slice(2, 4), hex.slice(4, 6)].join(":");
  }
  // A serial names one device: copies sharing it would be taken for one device moving between addresses.
  if (p.vars.serial) vars.serial = bumpSerial(p.vars.serial, round);
  return vars;
}

/**
 * The serial of the round-th copy, in the original's shape (the knowledge base reads serial shapes): its last
 * run of three or more digits counted up, or, without one, its last four letters and digits in base 36.
 */
export function bumpSerial(serial: string, round: number): string {
  const m = /(\d{3,})(\D*)$/.exec(serial);
  if (m?.[1] !== undefined) {
    const digits = m[1];
    const mod = 10n ** BigInt(digits.length);
    const next = ((BigInt(digits) + BigInt(round)) % mod).toString().padStart(digits.length, "0");
    return serial.slice(0, m.index) + next + (m[2] ?? "");
  }
  const tail = serial.slice(-4);
  if (!/^[0-9A-Za-z]{4}$/.test(tail)) return `${serial}-${round}`;
  const next = ((parseInt(tail, 36) + round) % 36 ** 4).toString(36).padStart(4, "0");
  return serial.slice(0, -4) + (tail === tail.toLowerCase() ? next : next.toUpperCase());
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
    case "EMFILE":
    case "ENFILE":
      return new CamsweepError(
        `ran out of file descriptors binding ${e.address}:${e.port}; raise "ulimit -n" or start fewer devices`,
      );
    case "ERANGE":
      return new UsageError(e.message);
    default:
      return new CamsweepError(`cannot bind ${e.address}:${e.port}: ${e.message}`);
  }
}

/** Bind every service, `batch` devices at a time; on any failure close everything already bound, then throw. */
async function bindAll(
  contexts: DeviceContext[],
  offsetOf: (port: number) => number,
  batch: number,
  udp: UdpMode,
): Promise<Bound[][]> {
  const bound: Bound[][] = contexts.map(() => []);
  let failure: { error: unknown } | undefined;
  for (let i = 0; i < contexts.length && !failure; i += batch) {
    await Promise.all(
      contexts.slice(i, i + batch).map(async (ctx, k) => {
        const mine = bound[i + k] as Bound[];
        // Discovery replies point at the web service (SSDP LOCATION, ONVIF XAddrs): where it really listens.
        const http = ctx.persona.services.find((s) => s.protocol === "http");
        ctx.httpPort = http ? http.port + offsetOf(http.port) : undefined;
        ctx.portOf = (n) => n + offsetOf(n);
        for (const svc of ctx.persona.services) {
          if (failure) return;
          try {
            mine.push(await bindService(ctx, svc, offsetOf(svc.port), udp));
          } catch (error) {
            failure ??= { error };
            return;
          }
        }
      }),
    );
  }
  if (failure) {
    await Promise.all(bound.flat().map((b) => b.close()));
    throw failure.error;
  }
  return bound;
}

export interface PlannedDevice {
  persona: Persona;
  address: string;
  /** persona vars for this copy (a distinct MAC beyond the first copy) */
  vars: Record<string, string>;
}

/** Which persona goes on which address, without binding anything: deterministic for the same options. */
export function planLab(opts: LabOptions = {}): PlannedDevice[] {
  const { standard, misbehaving } = loadPersonaCatalog(opts.dir);
  const catalog = [...standard, ...misbehaving];
  let chosen: Persona[];
  if (opts.personas && opts.personas.length > 0) {
    chosen = opts.personas.map((id) => {
      const p = catalog.find((x) => x.id === id);
      if (!p) throw new UsageError(`unknown persona "${id}" (known: ${catalog.map((x) => x.id).join(", ")})`);
      return p;
    });
  } else chosen = standard;
  if (chosen.length === 0) throw new UsageError("no personas to start");
  const count = opts.count ?? chosen.length;
  if (!Number.isInteger(count) || count < 1)
    throw new UsageError(`lab device count must be a positive integer, got ${count}`);
  const seed = opts.seed ?? 1;
  const addresses = labAddresses(opts.range ?? DEFAULT_LAB_RANGE, count, {
    scope: opts.insideNamespace || opts.multicast ? "private" : "loopback",
    spread: opts.spread,
    seed,
  });
  const sequence =
    opts.mix !== undefined
      ? planMix(loadMix(opts.mix), catalog, count, seed)
      : addresses.map((_, i) => chosen[i % chosen.length] as Persona);
  const copies = new Map<string, number>();
  return addresses.map((address, i) => {
    const p = sequence[i] as Persona;
    const round = copies.get(p.id) ?? 0;
    copies.set(p.id, round + 1);
    return { persona: p, address, vars: instanceVars(p, round) };
  });
}

/** Multicast listens beyond loopback: only in a namespace of our own, one device per process. */
function checkMulticast(opts: LabOptions, devices: number): void {
  const every = opts.announceEveryMs;
  if (every !== undefined && (!Number.isInteger(every) || every < 100 || every > 3_600_000))
    throw new UsageError(`announce interval must be an integer 100-3600000 ms, got ${every}`);
  if (!opts.multicast) {
    if (every !== undefined)
      throw new UsageError(
        "announcements are multicast: they need multicast mode (never on the loopback lab)",
      );
    return;
  }
  const why = multicastRefusal();
  if (why) throw new UsageError(`multicast lab refused: ${why}; run it inside a test namespace`);
  if (devices !== 1)
    throw new UsageError(
      `multicast lab refused: it runs one device per process (one address), got ${devices}; start one per persona`,
    );
}

/** Start simulated devices on loopback addresses. Refuses any range outside 127.0.0.0/8. */
export async function startLab(opts: LabOptions = {}): Promise<RunningLab> {
  if (opts.multicast) checkMulticast(opts, 1); // before planning: a private range is allowed only after this
  if (opts.insideNamespace && !inLabNamespace())
    throw new CamsweepError(
      "a lab range outside loopback is only served from inside the lab's own namespace",
    );
  const plan = planLab(opts);
  checkMulticast(opts, plan.length);
  const contexts = plan.map((d) => new DeviceContext(d.persona, d.address, d.vars));

  const requested = opts.portOffset ?? "auto";
  if (requested !== "auto" && (!Number.isInteger(requested) || requested < 0 || requested > 65534))
    throw new UsageError(`port offset must be an integer 0-65534, got ${requested}`);
  const batch = opts.bindBatch ?? 128;
  if (!Number.isInteger(batch) || batch < 1) throw new UsageError(`bind batch must be a positive integer`);
  assertFileLimit(contexts.reduce((n, c) => n + c.persona.services.length, 0));
  const udp: UdpMode = {
    peer: opts.insideNamespace || opts.multicast ? () => true : undefined,
    multicast: opts.multicast === true,
    announceEveryMs: opts.announceEveryMs,
  };
  let bound: Bound[][];
  try {
    if (requested === "auto") {
      try {
        bound = await bindAll(contexts, () => 0, batch, udp);
      } catch (e) {
        if (!(e instanceof BindError && e.code === "EACCES" && e.port < 1024)) throw e;
        // Only the privileged ports move: SADP/DHIP (UDP 37020/37810) and 8000/37777 stay where scanners expect them.
        bound = await bindAll(contexts, (port) => (port < 1024 ? AUTO_OFFSET : 0), batch, udp);
      }
    } else bound = await bindAll(contexts, () => requested, batch, udp);
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

/** The running device of a persona (the first, when it repeats); throws when the lab has none. */
export function labDevice(lab: RunningLab, personaId: string): LabDevice {
  const d = lab.devices.find((x) => x.persona.id === personaId);
  if (!d) throw new Error(`the lab runs no device of persona ${personaId}`);
  return d;
}

/** Plain-text table of running devices for the CLI. */
export function formatLabDevices(devices: LabDevice[]): string {
  const rows = devices.map((d) => [
    d.address,
    d.persona.id,
    d.persona.name,
    d.services
      .map((s) => `${s.port}/${isUdpProtocol(s.protocol) ? `udp(${s.protocol})` : s.protocol}`)
      .join(" "),
  ]);
  return columns(["ADDRESS", "PERSONA", "NAME", "PORTS"], rows) + "\n";
}
