import { normaliseAddress, normaliseMac } from "../../probes/neighbours/entry.js";
import {
  ObservationSchema,
  type Observation,
  type ObservationInput,
} from "../../observations/observation.js";
import type { ImportError, ImportItem } from "../record.js";

/** Helpers the import formats share: identity keys in one canonical form, validated observations, row errors. */

/** Longest value kept from a row's field (a hostname, a vendor class, a banner line). */
export const FIELD_CAP = 1024;

export function cap(s: string, n: number = FIELD_CAP): string {
  return s.length > n ? s.slice(0, n) : s;
}

/** Canonical address (ipaddr.js form, IPv4-mapped IPv6 as IPv4, a zone dropped), or undefined. */
export function canonicalAddress(s: string): string | undefined {
  return normaliseAddress(s);
}

/**
 * A 48-bit MAC in any common spelling (colons, dashes, dots, bare hex) -> aa:bb:cc:dd:ee:ff, or undefined.
 * The DHCP console writes bare hex (`001122334455`), Windows dashes, Cisco dots.
 */
export function canonicalMac(s: string): string | undefined {
  const t = s.trim();
  const direct = normaliseMac(t);
  if (direct) return direct;
  const hex = /^(?:[0-9a-f]{12}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})$/i.test(t) ? t.replace(/\./g, "") : "";
  return hex ? hex.toLowerCase().replace(/(..)(?!$)/g, "$1:") : undefined;
}

/** Bytes as lower-case colon-separated hex, as dnsmasq writes a client id. */
export function colonHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(":");
}

export function rowError(line: number, message: string, field?: string): ImportItem {
  const error: ImportError = { line, message: cap(message, 300) };
  if (field) error.field = field;
  return { error };
}

/**
 * Validates an observation the way saved observations are (the record carries only valid ones); a failure is
 * the row's error, never a throw.
 */
export function observation(o: ObservationInput): { ok: Observation } | { why: string } {
  const r = ObservationSchema.safeParse(o);
  return r.success ? { ok: r.data } : { why: r.error.issues[0]?.message ?? "invalid observation" };
}

/** Unix seconds (as text) -> ISO time, or undefined for 0, garbage or out-of-range values. */
export function epochSeconds(s: string | number | undefined): string | undefined {
  const n = typeof s === "number" ? s : s && /^\d{1,12}$/.test(s) ? Number(s) : NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const d = new Date(n * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Quotes a bit of a row for an error message: short, one line, control characters shown. */
export function quote(s: string, n = 60): string {
  const t = s.length > n ? `${s.slice(0, n)}…` : s;
  return JSON.stringify(t);
}
