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

/** Synchronous writes: output is complete even when the process exits right after. */
export function out(text: string): void {
  if (text) writeSync(1, text.endsWith("\n") ? text : `${text}\n`);
}
export function err(text: string): void {
  writeSync(2, text.endsWith("\n") ? text : `${text}\n`);
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
