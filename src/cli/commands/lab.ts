import { UsageError } from "../../shared/errors.js";
import {
  DEFAULT_MIX,
  formatLabDevices,
  startLab,
  type LabOptions,
  type RunningLab,
} from "../../lab/index.js";
import { insideNamespace } from "../../lab/netns.js";
import { DEFAULT_NETNS_RANGE, READY_LINE, runNetnsLab } from "../../lab/netns-lab.js";
import { SEGMENT_DEVICE_NS } from "../../lab/segment.js";
import { runSegmentLab } from "../../lab/segment-run.js";
import { truthLines, writeTruth } from "../../lab/truth.js";
import { err, list, out } from "../output.js";

export interface LabFlags {
  range?: string;
  personas?: string[];
  portOffset?: number;
  devices?: number;
  mix?: string;
  seed?: number;
  spread?: boolean;
  truth?: string;
  netns?: boolean;
  netnsPrefix?: string;
  rtt?: number;
  loss?: number;
  filtered?: string;
  /** internal: the process the namespace lab runs inside its lab namespace */
  inside?: string;
  /** a shared segment of device namespaces on a bridge, for local discovery (segment.ts) */
  segment?: boolean;
  /** --segment: namespace names <prefix>-seg and <prefix>-d<k> */
  prefix?: string;
  /** --segment: devices announce themselves every N seconds */
  announce?: number;
  /** --segment: devices serve only their UDP discovery services and the ONVIF SOAP port */
  discoveryOnly?: boolean;
  /** UDP discovery on the wildcard address and its multicast groups; only inside a network namespace */
  multicast?: boolean;
  /** --multicast: announce every N ms */
  announceEvery?: number;
  /** internal: the device process of a segment, in its device namespace */
  segmentDevice?: string;
  /** internal: where the segment's device process finds its persona */
  personaDir?: string;
}

/** Library options from the flags: --devices without --personas draws from the site mix. */
export function labOptionsFromFlags(flags: LabFlags): LabOptions {
  const personas = list(flags.personas);
  const mix = flags.mix ?? (flags.devices !== undefined && personas.length === 0 ? DEFAULT_MIX : undefined);
  return {
    range: flags.range,
    personas: personas.length ? personas : undefined,
    count: flags.devices,
    mix,
    seed: flags.seed,
    spread: flags.spread,
    portOffset: flags.portOffset ?? "auto",
    dir: flags.personaDir,
  };
}

export async function startLabFromFlags(flags: LabFlags): Promise<RunningLab> {
  return startLab(labOptionsFromFlags(flags));
}

/** "--filtered 5%" (a share of the devices) or "--filtered 12" (a count). */
export function parseFiltered(v: string | undefined): { count: number } | { percent: number } {
  if (v === undefined) return { count: 0 };
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(v.trim());
  const n = Number(m?.[1]);
  if (!m || (m[2] ? n > 100 : !Number.isInteger(n)))
    throw new UsageError(`--filtered must be a count (12) or a percentage (5%), got "${v}"`);
  return m[2] ? { percent: n } : { count: n };
}

function signals(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
}

/** Runs until Ctrl-C or SIGTERM, then stops every simulated device. */
export async function labCommand(flags: LabFlags): Promise<number> {
  // Listen for Ctrl-C before anything is printed: whoever reads the device list may stop us at once.
  const stopRequested = signals();
  if (flags.inside !== undefined) return insideCommand(flags, stopRequested);
  if (flags.segmentDevice !== undefined) return segmentDeviceCommand(flags, stopRequested);
  checkModeFlags(flags);
  if (flags.segment) {
    const code = await runSegmentLab(
      {
        devices: flags.devices,
        personas: list(flags.personas).length ? list(flags.personas) : undefined,
        mix:
          flags.mix ??
          (flags.devices !== undefined && !list(flags.personas).length ? DEFAULT_MIX : undefined),
        seed: flags.seed,
        portOffset: flags.portOffset,
        prefix: flags.prefix,
        announceEveryMs: flags.announce !== undefined ? flags.announce * 1000 : undefined,
        discoveryOnly: flags.discoveryOnly,
        truth: flags.truth,
      },
      { out, err },
      stopRequested,
    );
    err("camsweep lab: stopped, namespaces removed");
    return code;
  }
  if (flags.netns) {
    if (flags.rtt !== undefined && (flags.rtt < 0 || flags.rtt > 10_000))
      throw new UsageError(`--rtt must be 0-10000 ms`);
    const loss = flags.loss ?? 0;
    if (!(loss >= 0 && loss <= 100)) throw new UsageError(`--loss must be a percentage 0-100`);
    const code = await runNetnsLab(
      {
        lab: { ...labOptionsFromFlags(flags), range: flags.range ?? DEFAULT_NETNS_RANGE },
        prefix: flags.netnsPrefix,
        rttMs: flags.rtt ?? 20,
        lossPercent: loss,
        filtered: parseFiltered(flags.filtered),
        truth: flags.truth,
      },
      { out, err },
      stopRequested,
    );
    err("camsweep lab: stopped, namespaces removed");
    return code;
  }
  if (flags.rtt !== undefined || flags.loss !== undefined || flags.filtered !== undefined)
    throw new UsageError("--rtt, --loss and --filtered need --netns (loopback has no round trip to shape)");
  const lab = await startLab({
    ...labOptionsFromFlags(flags),
    multicast: flags.multicast,
    announceEveryMs: flags.announceEvery,
  });
  if (flags.truth) writeTruth(flags.truth, truthLines(lab.devices, new Set()));
  const where = flags.multicast ? "in this namespace, multicast discovery" : "on loopback";
  out(`camsweep lab: ${lab.devices.length} simulated devices ${where} (Ctrl-C to stop)\n`);
  out(formatLabDevices(lab.devices));
  await stopRequested;
  await lab.stop();
  err("camsweep lab: stopped");
  return 0;
}

/** Flags that belong to one mode only are refused elsewhere, before anything starts. */
export function checkModeFlags(flags: LabFlags): void {
  if (flags.segment && flags.netns) throw new UsageError("choose one of --segment and --netns");
  if (flags.segment && (flags.range !== undefined || flags.spread))
    throw new UsageError("--segment has its own subnet (10.83.0.0/24): --range and --spread do not apply");
  if (flags.segment && flags.multicast) throw new UsageError("--segment devices are always multicast");
  if (!flags.segment && (flags.prefix !== undefined || flags.announce !== undefined || flags.discoveryOnly))
    throw new UsageError("--prefix, --announce and --discovery-only need --segment");
  if (flags.announceEvery !== undefined && !flags.multicast)
    throw new UsageError("--announce-every needs --multicast (announcements go to a multicast group)");
  if (flags.multicast && flags.netns)
    throw new UsageError("--multicast runs a lab inside a namespace: not with --netns");
}

/**
 * A device of the segment lab, run by segment.ts in its own namespace: one persona on one address, UDP discovery
 * in multicast mode. Refuses to run anywhere but inside the named segment device namespace.
 */
async function segmentDeviceCommand(flags: LabFlags, stopRequested: Promise<void>): Promise<number> {
  const name = flags.segmentDevice as string;
  if (!SEGMENT_DEVICE_NS.test(name) || !insideNamespace(name))
    throw new UsageError(
      `--segment-device is internal to "camsweep lab --segment"; this process is not in a segment device ` +
        `namespace named ${name}`,
    );
  const lab = await startLab({
    ...labOptionsFromFlags(flags),
    multicast: true,
    announceEveryMs: flags.announceEvery,
  });
  out(formatLabDevices(lab.devices));
  err(READY_LINE);
  await Promise.race([stopRequested, orphaned()]);
  process.stdin.destroy(); // let the event loop end
  await lab.stop();
  return 0;
}

/** Resolves when the parent's end of our stdin closes: if it dies (even by SIGKILL) the devices go with it. */
function orphaned(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.stdin.once("end", resolve);
    process.stdin.once("close", resolve);
    process.stdin.resume();
  });
}

/** The device side of the namespace lab; refuses to run anywhere but inside the named lab namespace. */
async function insideCommand(flags: LabFlags, stopRequested: Promise<void>): Promise<number> {
  const name = flags.inside as string;
  if (!insideNamespace(name))
    throw new UsageError(
      `--inside is internal to "camsweep lab --netns"; this process is not in namespace ${name}`,
    );
  const lab = await startLab({ ...labOptionsFromFlags(flags), insideNamespace: true });
  out(formatLabDevices(lab.devices));
  err(READY_LINE);
  await Promise.race([stopRequested, orphaned()]);
  process.stdin.destroy(); // let the event loop end
  await lab.stop();
  return 0;
}
