import { readdirSync, readFileSync } from "node:fs";
import { CamsweepError } from "../shared/errors.js";

/** Descriptors kept free beyond the listeners: accepted connections, TLS, stdio, Node's own. */
export const FD_HEADROOM = 512;

export interface FileLimit {
  soft: number;
  hard: number;
  open: number;
}

/** The process's open-files limit and use, from /proc (Linux); undefined elsewhere. */
export function fileLimit(): FileLimit | undefined {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const m = /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(line ?? "");
    if (!m) return undefined;
    const num = (v: string) => (v === "unlimited" ? Infinity : Number(v));
    return {
      soft: num(m[1] as string),
      hard: num(m[2] as string),
      open: readdirSync("/proc/self/fd").length,
    };
  } catch {
    return undefined;
  }
}

/**
 * Refuse before binding anything when `sockets` listeners would not fit under the soft limit: failing at
 * device 1,700 of 2,000 would waste the bind time and say less about the fix.
 */
export function assertFileLimit(sockets: number, limit: FileLimit | undefined = fileLimit()): void {
  if (!limit) return;
  const need = limit.open + sockets + FD_HEADROOM;
  if (need <= limit.soft) return;
  const fix =
    need <= limit.hard
      ? `raise it first with "ulimit -n ${need}" (the hard limit is ${limit.hard})`
      : `the hard limit is ${limit.hard}: raise it (as root: "ulimit -Hn ${need}; ulimit -n ${need}", or limits.conf)`;
  throw new CamsweepError(
    `the lab needs about ${need} file descriptors (${sockets} listening sockets + ${limit.open} open + ` +
      `${FD_HEADROOM} for connections), but the open-files limit is ${limit.soft}; ${fix}, or start fewer devices`,
  );
}
