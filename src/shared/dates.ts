import { UsageError } from "./errors.js";

/** A real calendar day written YYYY-MM-DD (2026-02-30 is refused, not rolled over). */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Today's date in UTC, YYYY-MM-DD: the day an assessment compares due dates with unless told another. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A day flag (--as-of by default): the day given, checked, or today (UTC) when none is. */
export function dayFlag(value: string | undefined, flag = "--as-of"): string {
  if (value === undefined) return todayUtc();
  if (!isIsoDate(value)) throw new UsageError(`${flag} ${value}: not a date (YYYY-MM-DD)`);
  return value;
}
