import { writeSync } from "node:fs";
import { UsageError } from "../shared/errors.js";
import type { OutputFormat } from "../report/index.js";

export interface FormatFlags {
  json?: boolean;
  csv?: boolean;
}

export function outputFormat(f: FormatFlags): OutputFormat {
  if (f.json && f.csv) throw new UsageError("choose one of --json and --csv");
  return f.json ? "json" : f.csv ? "csv" : "table";
}

/** Set once a reader has gone away (`camsweep devices | head`): what is left is not written. */
const closed = new Set<number>();
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `text`, synchronously, so output is complete even when the process exits right after. A pipe may be
 * non-blocking: a write then takes only what fits (64 KiB) or fails with EAGAIN, so the rest is written as the
 * reader makes room, instead of being lost.
 */
function writeAll(fd: number, text: string): void {
  if (closed.has(fd)) return;
  const buf = Buffer.from(text.endsWith("\n") ? text : `${text}\n`, "utf8");
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EPIPE") {
        closed.add(fd);
        return;
      }
      if (code !== "EAGAIN") throw e;
      Atomics.wait(pause, 0, 0, 2);
    }
  }
}

/** Whether stdout's reader has gone away: a long listing may stop. */
export const outClosed = (): boolean => closed.has(1);

export function out(text: string): void {
  if (text) writeAll(1, text);
}
export function err(text: string): void {
  writeAll(2, text);
}

/** Splits repeatable, comma-separated list options. */
export function list(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function intOption(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || n < min || n > max) {
      throw new UsageError(`${name} must be a whole number from ${min} to ${max} (got "${v}")`);
    }
    return n;
  };
}

export function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

/** An abort signal raised by Ctrl-C or SIGTERM, until dispose(): long commands stop cleanly instead of dying. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return {
    signal: abort.signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
