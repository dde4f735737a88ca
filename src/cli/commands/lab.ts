import { formatLabDevices, startLab, type RunningLab } from "../../lab/index.js";
import { err, list, out } from "../output.js";

export interface LabFlags {
  range?: string;
  personas?: string[];
  portOffset?: number;
}

export async function startLabFromFlags(flags: LabFlags): Promise<RunningLab> {
  const personas = list(flags.personas);
  return startLab({
    range: flags.range,
    personas: personas.length ? personas : undefined,
    portOffset: flags.portOffset ?? "auto",
  });
}

/** Runs until Ctrl-C or SIGTERM, then stops every simulated device. */
export async function labCommand(flags: LabFlags): Promise<number> {
  // Listen for Ctrl-C before anything is printed: whoever reads the device list may stop us at once.
  const stopRequested = new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  const lab = await startLabFromFlags(flags);
  out(`camsweep lab: ${lab.devices.length} simulated devices on loopback (Ctrl-C to stop)\n`);
  out(formatLabDevices(lab.devices));
  await stopRequested;
  await lab.stop();
  err("camsweep lab: stopped");
  return 0;
}
