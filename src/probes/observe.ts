import type { Observation } from "../observations/observation.js";

/** Shared helpers for building observations from what came off the wire. */

export const USER_AGENT = "camsweep/0.1";

/** A probe outcome without target/time; probeHost stamps those. */
export type ObservationPart = Omit<Observation, "target" | "time">;

/** Short, stable error text for the `error` field (max 500 chars in the contract). */
export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    if (e.name === "TimeoutError" || code === "ETIMEDOUT" || code === "ERR_TIMEOUT")
      return clip(`timeout: ${e.message}`);
    if (e.name === "AbortError" || code === "ABORT_ERR") return clip(`aborted: ${e.message}`);
    return clip(code && !e.message.includes(code) ? `${code}: ${e.message}` : e.message);
  }
  return clip(String(e));
}

const clip = (s: string) => (s.length > 500 ? `${s.slice(0, 497)}...` : s);

/** An error carrying a stable code so errorText renders it as "timeout: ..." etc. */
export function probeError(code: string, message: string, name = "Error"): Error {
  // A probe error is an answer recorded as data, never a bug to trace: no stack (a /16 makes a million of them).
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const e = new Error(message) as NodeJS.ErrnoException;
  Error.stackTraceLimit = limit;
  e.code = code;
  e.name = name;
  return e;
}

export const timeoutError = (what: string) => probeError("ETIMEDOUT", what, "TimeoutError");

/**
 * Decodes device bytes: UTF-8 text when valid (BOM kept: a leading BOM is Hikvision evidence),
 * otherwise base64. `partial` tolerates a multi-byte character cut at the size cap.
 */
export function decodeBytes(buf: Buffer, partial = false): { text: string; encoding: "utf8" | "base64" } {
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(buf, { stream: partial });
    return { text, encoding: "utf8" };
  } catch {
    return { text: buf.toString("base64"), encoding: "base64" };
  }
}

/** Format an address for a URL authority (IPv6 bracketed). */
export function urlHost(address: string): string {
  return address.includes(":") ? `[${address}]` : address;
}

/** Rejects when the signal aborts; lets callers race a socket operation against cancellation. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason ?? probeError("ABORT_ERR", "aborted", "AbortError");
}
