import { execFile, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CamsweepError, UsageError } from "../shared/errors.js";
import { packagePath } from "../shared/paths.js";
import { planLab, type LabOptions } from "./index.js";
import { listNamespaces, lockHolder, onPath, spawnInside } from "./netns.js";
import { READY_LINE, stopChild } from "./netns-lab.js";
import { isUdpProtocol, type Persona } from "./persona.js";
import { discoveryOnly, withVars, writePersonaDir } from "./segment-persona.js";
import { columns } from "../shared/columns.js";

/**
 * The segment lab: one shared Ethernet segment built from network namespaces, for local discovery (issue 5).
 * `<prefix>-seg` holds a bridge br0 (10.83.0.1/24), where scanners and listeners run; each device is a namespace
 * `<prefix>-d<k>` whose eth0 (10.83.0.<k+10>, the persona's MAC) is a veth enslaved to br0, and runs one lab
 * device process. Multicast and broadcast stay on that bridge: no namespace has a default route or any route but
 * the segment and 224.0.0.0/4 on it, and the root namespace gets no interface, address or route.
 */

export const SEGMENT = {
  cidr: "10.83.0.0/24",
  /** the scanner/listener host on br0 */
  host: "10.83.0.1",
  bridge: "br0",
  /** device k (from 1) is 10.83.0.<k + offset> */
  offset: 10,
} as const;
export const MAX_SEGMENT_DEVICES = 240;
export const DEFAULT_SEGMENT_PREFIX = "cswseg";

export interface SegmentNames {
  prefix: string;
  /** the scanner/listener namespace (holds br0) */
  seg: string;
  lock: string;
}

export function segmentNames(prefix: string = DEFAULT_SEGMENT_PREFIX): SegmentNames {
  if (!/^[a-z][a-z0-9]{0,9}$/.test(prefix))
    throw new UsageError(`segment prefix "${prefix}" must be 1-10 lower-case letters or digits`);
  return { prefix, seg: `${prefix}-seg`, lock: `/run/camsweep-segment-${prefix}.pid` };
}

export const deviceNamespace = (prefix: string, k: number): string => `${prefix}-d${k}`;
export const deviceAddress = (k: number): string => `10.83.0.${k + SEGMENT.offset}`;

/** A namespace name of this segment (its seg namespace or a device's). */
export function isSegmentNamespace(names: SegmentNames, ns: string): boolean {
  return ns === names.seg || new RegExp(`^${names.prefix}-d[1-9][0-9]*$`).test(ns);
}

/** A device namespace name of any segment: the name the device process checks it runs in. */
export const SEGMENT_DEVICE_NS = /^[a-z][a-z0-9]{0,9}-d[1-9][0-9]*$/;

/** Why the segment lab cannot run here, or undefined when it can. */
export function segmentUnsupported(): string | undefined {
  if (process.platform !== "linux") return `the segment lab needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return "the segment lab needs root (it creates network namespaces)";
  if (!onPath("ip")) return "the segment lab needs ip (Debian: apt-get install iproute2)";
  return undefined;
}

function run(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile("ip", args, { maxBuffer: 4 * 1024 * 1024 }, (e, stdout, stderr) => {
      if (e) reject(new CamsweepError(`ip ${args.slice(0, 4).join(" ")}: ${stderr.trim() || e.message}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function segmentNamespaces(names: SegmentNames): Promise<string[]> {
  return (await listNamespaces()).filter((n) => isSegmentNamespace(names, n));
}

/**
 * Before a start: a live segment with this prefix is refused; what a crashed run left (its lock file, holder
 * dead) is removed; namespaces with our names but no lock file are someone else's, so they are refused too,
 * with the command that removes them.
 */
export async function removeSegmentLeftovers(names: SegmentNames): Promise<string[]> {
  // "node": startSegment also runs inside test workers, whose command line does not name camsweep.
  const holder = lockHolder(names.lock, "node");
  const present = await segmentNamespaces(names);
  if (holder !== undefined)
    throw new CamsweepError(
      `a segment lab is already running (pid ${holder}, namespace ${names.seg}); stop it first or choose ` +
        `another --prefix`,
    );
  let crashed = false;
  try {
    readFileSync(names.lock);
    crashed = true;
  } catch {
    /* no lock: nothing of ours was left */
  }
  if (present.length > 0 && !crashed)
    throw new CamsweepError(
      `namespaces ${present.join(", ")} exist but no segment lab left them; remove them ` +
        `(${present.map((n) => `ip netns del ${n}`).join("; ")}) or choose another --prefix`,
    );
  for (const n of present) await run(["netns", "del", n]);
  rmSync(names.lock, { force: true });
  return present;
}

/** Best-effort synchronous removal of every namespace of the segment, for exit paths. */
export function deleteSegmentSync(names: SegmentNames, count: number): void {
  for (const ns of [
    names.seg,
    ...Array.from({ length: count }, (_, i) => deviceNamespace(names.prefix, i + 1)),
  ])
    try {
      execFileSync("ip", ["netns", "del", ns], { stdio: "ignore" });
    } catch {
      /* not made yet, or already gone */
    }
  rmSync(names.lock, { force: true });
}

export interface SegmentDevice {
  k: number;
  namespace: string;
  address: string;
  mac: string;
  /** the persona as this device runs it (its copy's vars; discovery services only with discoveryOnly) */
  persona: Persona;
  /** services the device process binds, as "37020/udp(sadp)" or "80/http"; none: no process runs */
  services: string[];
}

/** Locally administered and unique per device: for personas without a MAC, or a MAC another device has. */
const generatedMac = (k: number): string =>
  `02:83:00:00:${((k >> 8) & 255).toString(16).padStart(2, "0")}:${(k & 255).toString(16).padStart(2, "0")}`;

/** A numeric port offset moves every port, UDP too (bind.ts). */
const serviceLabel = (s: Persona["services"][number], offset: number): string =>
  isUdpProtocol(s.protocol) ? `${s.port + offset}/udp(${s.protocol})` : `${s.port + offset}/${s.protocol}`;

export interface SegmentOptions {
  /** number of devices (default: one per persona named, or the persona count) */
  devices?: number;
  personas?: string[];
  mix?: string;
  seed?: number;
  /** persona directory (default lab/personas) */
  dir?: string;
  /** passed to every device: moves every port, UDP too (default: none; the device processes run as root) */
  portOffset?: number;
  prefix?: string;
  /** devices announce themselves (ONVIF Hello, SSDP NOTIFY …) every N ms, and once at start */
  announceEveryMs?: number;
  /** only UDP discovery and the ONVIF SOAP port (segment-persona.ts discoveryOnly) */
  discoveryOnly?: boolean;
  /** how long each device process may take to come up (default 60 s) */
  readyTimeoutMs?: number;
}

/** Plan the devices (persona, address, MAC) without touching the system. */
export function planSegment(o: SegmentOptions): SegmentDevice[] {
  const count = o.devices ?? (o.personas?.length ? o.personas.length : undefined);
  if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > MAX_SEGMENT_DEVICES))
    throw new UsageError(`a segment holds 1-${MAX_SEGMENT_DEVICES} devices, ${count} asked`);
  const lab: LabOptions = {
    personas: o.personas,
    count,
    mix: o.mix,
    seed: o.seed,
    dir: o.dir,
    range: deviceAddress(1),
    // planLab only plans (no binding, no namespace check): the private scope gives 10.83.0.11 onwards.
    insideNamespace: true,
  };
  const plan = planLab(lab);
  if (plan.length > MAX_SEGMENT_DEVICES)
    throw new UsageError(`a segment holds at most ${MAX_SEGMENT_DEVICES} devices, ${plan.length} planned`);
  const macs = new Set<string>();
  return plan.map((d, i) => {
    const k = i + 1;
    let mac = d.vars["mac"];
    if (mac === undefined || macs.has(mac)) mac = generatedMac(k);
    macs.add(mac);
    const own = withVars(d.persona, { ...d.vars, mac });
    const persona = o.discoveryOnly ? discoveryOnly(own) : own;
    const offset = o.portOffset ?? 0;
    return {
      k,
      namespace: deviceNamespace(segmentNames(o.prefix).prefix, k),
      address: deviceAddress(k),
      mac,
      persona: persona ?? { ...own, services: [] },
      services: (persona?.services ?? []).map((s) => serviceLabel(s, offset)),
    };
  });
}

/** The arguments of one device's process (run inside its namespace). */
export function deviceArgs(d: SegmentDevice, personaDir: string, o: SegmentOptions): string[] {
  const a = [
    "lab",
    "--segment-device",
    d.namespace,
    "--persona-dir",
    personaDir,
    "--personas",
    d.persona.id,
    "--range",
    d.address,
    "--multicast",
  ];
  if (o.announceEveryMs !== undefined) a.push("--announce-every", String(o.announceEveryMs));
  if (o.portOffset !== undefined) a.push("--port-offset", String(o.portOffset));
  return a;
}

/** Namespaces, bridge, veths, addresses and routes. The caller tears down on failure. */
async function buildSegment(names: SegmentNames, devices: SegmentDevice[]): Promise<void> {
  await run(["netns", "add", names.seg]);
  for (const d of devices) await run(["netns", "add", d.namespace]);
  // Snooping off: the bridge floods multicast to every port, as a plain switch does; ports forward at once (no STP).
  await run(
    ["-n", names.seg, "-batch", "-"],
    [
      "link set lo up",
      `link add ${SEGMENT.bridge} type bridge mcast_snooping 0 stp_state 0`,
      `address add ${SEGMENT.host}/24 dev ${SEGMENT.bridge}`,
      `link set ${SEGMENT.bridge} up`,
      // Multicast leaves on br0 whatever a sender forgets to set; still no default route.
      `route add 224.0.0.0/4 dev ${SEGMENT.bridge}`,
      ...devices.flatMap((d) => [
        `link add d${d.k} type veth peer name eth0 netns ${d.namespace}`,
        `link set d${d.k} master ${SEGMENT.bridge} up`,
      ]),
    ].join("\n") + "\n",
  );
  await Promise.all(
    devices.map((d) =>
      run(
        ["-n", d.namespace, "-batch", "-"],
        [
          "link set lo up",
          `link set eth0 address ${d.mac}`,
          `address add ${d.address}/24 dev eth0`,
          "link set eth0 up",
          // Multicast joins and sends pick eth0 by this route; 10.83.0.0/24 comes with the address. Nothing else.
          "route add 224.0.0.0/4 dev eth0",
        ].join("\n") + "\n",
      ),
    ),
  );
}

/** The tail of a device process's stderr, kept for as long as it runs: errors after start are reported too. */
function stderrTail(child: ChildProcess): () => string {
  let tail = "";
  child.stderr?.on("data", (d: Buffer) => (tail = (tail + d.toString()).slice(-16_384)));
  return () => tail.trim().slice(-2000);
}

function waitReady(child: ChildProcess, ns: string, tail: () => string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
    };
    const timer = setTimeout(() => {
      done();
      reject(new CamsweepError(`device ${ns} did not come up within ${timeoutMs} ms: ${tail()}`));
    }, timeoutMs);
    const onData = () => {
      if (!tail().includes(READY_LINE)) return;
      done();
      resolve();
    };
    const onExit = (code: number | null) => {
      done();
      reject(new CamsweepError(`device ${ns} exited (${code}): ${tail()}`));
    };
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}

export interface RunningSegment {
  names: SegmentNames;
  devices: SegmentDevice[];
  /** namespaces a crashed run had left, removed before this one started */
  leftovers: string[];
  /** resolves with a reason when a device process exits on its own */
  failed: Promise<string>;
  /** stops every device process and deletes every namespace; safe to call twice */
  stop(): Promise<void>;
}

/**
 * Build the segment and start one device process per device that has services; resolves when all are up.
 * On any failure everything made so far is removed before the error is thrown.
 */
export async function startSegment(o: SegmentOptions = {}): Promise<RunningSegment> {
  const why = segmentUnsupported();
  if (why) throw new CamsweepError(why);
  const names = segmentNames(o.prefix);
  const devices = planSegment(o);
  const leftovers = await removeSegmentLeftovers(names);
  writeFileSync(names.lock, `${process.pid}\n`);
  const children: ChildProcess[] = [];
  const tmp = mkdtempSync(join(tmpdir(), "camsweep-segment-"));
  let stopping = false;
  const exitHook = () => {
    for (const c of children) c.kill("SIGKILL");
    deleteSegmentSync(names, devices.length);
    rmSync(tmp, { recursive: true, force: true });
  };
  process.once("exit", exitHook);
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      await Promise.all(children.map(stopChild));
      await Promise.all(
        [names.seg, ...devices.map((d) => d.namespace)].map((ns) =>
          run(["netns", "del", ns]).catch(() => ""),
        ),
      );
      deleteSegmentSync(names, devices.length); // whatever the parallel pass missed, and the lock
      rmSync(tmp, { recursive: true, force: true });
      process.off("exit", exitHook);
    })());
  let reportFailure: (why: string) => void = () => undefined;
  const failed = new Promise<string>((resolve) => (reportFailure = resolve));
  try {
    await buildSegment(names, devices);
    const timeout = o.readyTimeoutMs ?? 60_000;
    await Promise.all(
      devices
        .filter((d) => d.services.length > 0)
        .map((d) => {
          const dir = writePersonaDir(join(tmp, `d${d.k}`), d.persona);
          const child = spawnInside(d.namespace, process.execPath, [
            packagePath("bin", "camsweep.js"),
            ...deviceArgs(d, dir, o),
          ]);
          children.push(child);
          child.stdout?.resume(); // its device table is not needed; the plan has it
          const tail = stderrTail(child);
          const ready = waitReady(child, d.namespace, tail, timeout);
          void ready.then(
            () =>
              child.once("exit", (code) => {
                if (!stopping) reportFailure(`device ${d.namespace} exited (${code}): ${tail()}`);
              }),
            () => undefined,
          );
          return ready;
        }),
    );
    return { names, devices, leftovers, failed, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Plain-text table of the segment's devices for the CLI. */
export function formatSegmentDevices(devices: SegmentDevice[]): string {
  const rows = devices.map((d) => [
    d.namespace,
    d.address,
    d.mac,
    d.persona.id,
    d.services.length ? d.services.join(" ") : "(no services)",
  ]);
  return columns(["NAMESPACE", "ADDRESS", "MAC", "PERSONA", "SERVICES"], rows) + "\n";
}
