import type { ChildProcess } from "node:child_process";
import { CamsweepError } from "../shared/errors.js";
import { packagePath } from "../shared/paths.js";
import { planLab, type LabOptions } from "./index.js";
import { pickIndices } from "./mix.js";
import {
  createNetns,
  deleteNamespacesSync,
  netnsNames,
  netnsUnsupported,
  spawnInside,
  type NetnsLab,
} from "./netns.js";
import { truthLines, writeTruth } from "./truth.js";

export const DEFAULT_NETNS_RANGE = "10.80.0.0/16";
export const READY_LINE = "camsweep lab: ready";

export interface NetnsRunOptions {
  lab: LabOptions;
  prefix?: string;
  rttMs: number;
  lossPercent: number;
  /** devices behind a silent firewall: a count, or a percentage of the devices */
  filtered: { count: number } | { percent: number };
  truth?: string;
}

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

/** The arguments that make the process inside plan exactly the devices this one planned. */
export function innerArgs(lab: LabOptions, namespace: string): string[] {
  const a = ["lab", "--inside", namespace, "--range", lab.range ?? DEFAULT_NETNS_RANGE];
  if (lab.count !== undefined) a.push("--devices", String(lab.count));
  if (lab.personas?.length) a.push("--personas", lab.personas.join(","));
  if (lab.mix !== undefined) a.push("--mix", lab.mix);
  if (lab.seed !== undefined) a.push("--seed", String(lab.seed));
  if (lab.spread) a.push("--spread");
  if (typeof lab.portOffset === "number") a.push("--port-offset", String(lab.portOffset));
  return a;
}

function waitReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    const onData = (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes(READY_LINE)) {
        child.stderr?.off("data", onData);
        resolve();
      }
    };
    child.stderr?.on("data", onData);
    child.once("exit", (code) =>
      reject(
        new CamsweepError(`the lab inside the namespace exited (${code}): ${stderr.trim().slice(-2000)}`),
      ),
    );
  });
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the child is gone. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Run the namespace lab until `stop` resolves (Ctrl-C) or something inside fails; always tears down.
 * Returns the exit code.
 */
export async function runNetnsLab(o: NetnsRunOptions, io: Io, stop: Promise<void>): Promise<number> {
  const why = netnsUnsupported();
  if (why) throw new CamsweepError(why);
  const names = netnsNames(o.prefix);
  const range = o.lab.range ?? DEFAULT_NETNS_RANGE;
  const lab: LabOptions = { ...o.lab, range, insideNamespace: true };
  const plan = planLab(lab);
  const k = "count" in o.filtered ? o.filtered.count : Math.round((plan.length * o.filtered.percent) / 100);
  const filtered = pickIndices(plan.length, k, lab.seed ?? 1).map((i) => plan[i]?.address as string);
  // Set once the namespaces are ours: a refusal ("already running") must not remove another lab's namespaces.
  const exitHook = () => deleteNamespacesSync(names);
  let netns: NetnsLab | undefined;
  let inner: ChildProcess | undefined;
  try {
    netns = await createNetns(names, {
      range,
      devices: plan.map((d) => d.address),
      filtered,
      rttMs: o.rttMs,
      lossPercent: o.lossPercent,
    });
    process.once("exit", exitHook);
    inner = spawnInside(names.lab, process.execPath, [
      packagePath("bin", "camsweep.js"),
      ...innerArgs(lab, names.lab),
    ]);
    const table: Buffer[] = [];
    inner.stdout?.on("data", (d: Buffer) => table.push(d));
    await Promise.race([
      waitReady(inner),
      netns.wire.failed.then((m) => Promise.reject(new CamsweepError(m))),
    ]);
    if (o.truth) writeTruth(o.truth, truthLines(plan, new Set(filtered)));
    io.out(
      `camsweep lab: ${plan.length} simulated devices in namespace ${names.lab} (${range}), ` +
        `round trip ${o.rttMs} ms, loss ${o.lossPercent}% each way, ${filtered.length} filtered (Ctrl-C to stop)\n` +
        `scan from the scanner namespace: ip netns exec ${names.scan} camsweep scan ${range} --allow ${range}\n`,
    );
    io.out(Buffer.concat(table).toString());
    inner.stdout?.removeAllListeners("data");
    inner.stdout?.on("data", (d: Buffer) => io.out(d.toString()));
    if (filtered.length) io.out(`filtered (every packet dropped silently): ${filtered.join(" ")}\n`);
    const exited = new Promise<string>((resolve) =>
      inner?.once("exit", (code) => resolve(`the lab inside the namespace exited (${code})`)),
    );
    const failure = await Promise.race([stop.then(() => undefined), exited, netns.wire.failed]);
    if (failure) {
      io.err(`camsweep lab: ${failure}; tearing down`);
      return 1;
    }
    return 0;
  } finally {
    if (inner) await stopChild(inner);
    if (netns) {
      const { toLab, toScan } = netns.wire.stats;
      // What the link did, so a benchmark can show that no packet was dropped by the lab's own queue.
      io.err(
        `camsweep lab: link to lab ${toLab.forwarded} packets (${toLab.refused} to unused addresses, ` +
          `${toLab.lost} lost, ${toLab.overflow} overflow, at most ${toLab.maxLateMs} ms late), to scanner ` +
          `${toScan.forwarded} (${toScan.lost} lost, ${toScan.overflow} overflow, at most ${toScan.maxLateMs} ms late)`,
      );
      await netns.teardown();
    }
    process.off("exit", exitHook);
  }
}
