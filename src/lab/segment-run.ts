import { renameSync, writeFileSync } from "node:fs";
import type { Io } from "./netns-lab.js";
import { READY_LINE } from "./netns-lab.js";
import type { PersonaExpect } from "./persona.js";
import {
  SEGMENT,
  formatSegmentDevices,
  startSegment,
  type SegmentDevice,
  type SegmentOptions,
} from "./segment.js";

/** One line of a segment's truth file: who is where, with the MAC a scan should report. */
export interface SegmentTruthLine {
  address: string;
  mac: string;
  persona: string;
  expect: PersonaExpect;
  namespace: string;
}

export function segmentTruth(devices: SegmentDevice[]): SegmentTruthLine[] {
  return devices.map((d) => ({
    address: d.address,
    mac: d.mac,
    persona: d.persona.id,
    expect: d.persona.expect,
    namespace: d.namespace,
  }));
}

/** Whole, then renamed into place (as truth.ts): a script waiting for the file never reads half of it. */
function writeSegmentTruth(file: string, lines: SegmentTruthLine[]): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  renameSync(tmp, file);
}

/**
 * `camsweep lab --segment`: build the segment, print the devices and READY_LINE, run until `stop` resolves
 * (Ctrl-C) or a device process dies; always removes every namespace. Returns the exit code.
 */
export async function runSegmentLab(
  o: SegmentOptions & { truth?: string },
  io: Io,
  stop: Promise<void>,
): Promise<number> {
  const seg = await startSegment(o);
  try {
    if (seg.leftovers.length)
      io.err(`camsweep lab: removed a crashed run's namespaces ${seg.leftovers.join(", ")}\n`);
    if (o.truth) writeSegmentTruth(o.truth, segmentTruth(seg.devices));
    io.out(
      `camsweep lab: ${seg.devices.length} simulated devices on segment ${SEGMENT.cidr}, bridge ` +
        `${SEGMENT.bridge} (${SEGMENT.host}) in namespace ${seg.names.seg} (Ctrl-C to stop)\n` +
        `scan or listen from there: ip netns exec ${seg.names.seg} camsweep scan --local --interface ` +
        `${SEGMENT.bridge}\n`,
    );
    io.out(formatSegmentDevices(seg.devices));
    io.err(READY_LINE + "\n");
    const failure = await Promise.race([stop.then(() => undefined), seg.failed]);
    if (failure) {
      io.err(`camsweep lab: ${failure}; tearing down\n`);
      return 1;
    }
    return 0;
  } finally {
    await seg.stop();
  }
}
