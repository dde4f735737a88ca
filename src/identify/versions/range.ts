/** Does a firmware fall in an affected range as shared/reference/vulnerabilities.json writes one? */
import { dateFromDigits, isoDate, MAX_FIRMWARE, type FirmwareInfo, type FirmwareRange } from "./common.js";
import { cmpStrings, compareFirmware, parseFirmware } from "./firmware.js";

type Tri = boolean | null;

/** Three-valued AND: any false -> false; all true -> true; otherwise null. */
function all(values: Tri[]): Tri {
  if (values.some((v) => v === false)) return false;
  if (values.length > 0 && values.every((v) => v === true)) return true;
  return null;
}

/** A date bound as "yyyy-mm" or "yyyy-mm-dd" ("2015/07", "210628" and "20210628" accepted). */
function dateBound(s: string): string | undefined {
  const t = s.trim();
  if (/^\d{6}$|^\d{8}$/.test(t)) return dateFromDigits(t);
  const m = /^(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?$/.exec(t);
  if (!m) return undefined;
  if (m[3] !== undefined) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? `${m[1]}-${String(month).padStart(2, "0")}` : undefined;
}

function dateCheck(fw: FirmwareInfo, op: "from" | "upTo" | "before", bound: string | undefined): Tri {
  if (!bound || !fw.buildDate) return null;
  const mine = fw.buildDate.slice(0, bound.length);
  const c = cmpStrings(mine, bound);
  return op === "from" ? c >= 0 : op === "upTo" ? c <= 0 : c < 0;
}

function versionCheck(fw: FirmwareInfo, op: string, bound: string): Tri {
  const text = bound.replace(/\([^()]{0,200}\)/g, "").trim();
  const b = parseFirmware(text, fw.scheme === "generic" ? undefined : fw.scheme);
  if (!b) return null;
  const c = compareFirmware(fw, b);
  if (c === null) return null;
  switch (op) {
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
    default:
      return c === 0;
  }
}

/** Evaluates the `firmware` text of a vulnerabilities.json affected entry. */
function expressionCheck(fw: FirmwareInfo, expr: string): Tri {
  const text = expr
    .slice(0, MAX_FIRMWARE)
    .replace(/\([^()]{0,200}\)/g, "")
    .trim();
  const lower = text.toLowerCase();
  const D = "(\\d{4}[-/]\\d{1,2}(?:[-/]\\d{1,2})?)";
  const between = new RegExp(
    `^builds?\\s{1,4}(?:dated\\s{1,4})?between\\s{1,4}${D}\\s{1,4}and\\s{1,4}${D}$`,
  ).exec(lower);
  if (between) {
    return all([
      dateCheck(fw, "from", dateBound(between[1] ?? "")),
      dateCheck(fw, "upTo", dateBound(between[2] ?? "")),
    ]);
  }
  const dated = new RegExp(
    `^builds?\\s{1,4}(?:date\\s{1,4}|dated\\s{1,4})?(before|after|from|until)\\s{1,4}${D}$`,
  ).exec(lower);
  if (dated) {
    const bound = dateBound(dated[2] ?? "");
    switch (dated[1]) {
      case "before":
        return dateCheck(fw, "before", bound);
      case "until":
        return dateCheck(fw, "upTo", bound);
      case "from":
        return dateCheck(fw, "from", bound);
      default: {
        const upTo = dateCheck(fw, "upTo", bound);
        return upTo === null ? null : !upTo;
      }
    }
  }
  const clauses = text
    .split(/\s{1,4}and\s{1,4}|\s{0,4};\s{0,4}/i)
    .map((c) => c.trim())
    .filter(Boolean)
    .slice(0, 8);
  if (clauses.length === 0) return null;
  const parsed = clauses.map((c) => /^(<=|>=|==|<|>|=)?\s{0,4}(\S.*)$/.exec(c));
  if (parsed.some((p) => !p)) return null;
  const withOp = parsed.filter((p) => p?.[1]);
  if (withOp.length === parsed.length) {
    return all(parsed.map((p) => versionCheck(fw, p?.[1] ?? "=", p?.[2] ?? "")));
  }
  if (withOp.length === 0) {
    // Several plain versions list exact affected builds ("2.608.0000.0 and 2.608.GV00.0"): any one matches.
    const results = parsed.map((p) => versionCheck(fw, "=", p?.[2] ?? ""));
    if (results.some((r) => r === true)) return true;
    return results.every((r) => r === false) ? false : null;
  }
  return null;
}

/**
 * Does `fw` fall in `range` (see FirmwareRange)? true or false when every bound could be read and compared with
 * the firmware; false as soon as one readable bound excludes it; null when a bound is unreadable ("unknown",
 * "see vendor advisory"), belongs to another scheme or OEM branch, needs a build date the firmware lacks, or when
 * the range has no bound at all. Bounds are parsed with the firmware's own scheme as the hint, so "< 5.4.5" reads
 * as Hikvision for a Hikvision firmware.
 */
export function inFirmwareRange(fw: FirmwareInfo, range: FirmwareRange): boolean | null {
  try {
    if (!fw || !range || typeof range !== "object") return null;
    const checks: Tri[] = [];
    const str = (v: unknown): string | undefined =>
      typeof v === "string" && v.trim() && v.length <= MAX_FIRMWARE ? v : undefined;
    const bad = (v: unknown): boolean => v !== undefined && str(v) === undefined;

    for (const key of ["from", "to", "upTo", "mostRecentVulnerable", "before", "fixedIn"] as const) {
      const v = range[key];
      if (v === undefined) continue;
      if (bad(v)) {
        checks.push(null);
        continue;
      }
      const op = key === "from" ? ">=" : key === "before" || key === "fixedIn" ? "<" : "<=";
      checks.push(versionCheck(fw, op, v as string));
    }
    for (const [key, op] of [
      ["builtFrom", "from"],
      ["builtUpTo", "upTo"],
      ["builtBefore", "before"],
    ] as const) {
      const v = range[key];
      if (v === undefined) continue;
      checks.push(bad(v) ? null : dateCheck(fw, op, dateBound(v as string)));
    }
    if (range.firmware !== undefined)
      checks.push(bad(range.firmware) ? null : expressionCheck(fw, range.firmware));
    return all(checks);
  } catch {
    return null;
  }
}
