/**
 * Firmware versions, models and serial numbers: parsed and normalised so later stages can compare a device's
 * firmware with the affected ranges of shared/reference/vulnerabilities.json.
 *
 * Pure functions, no I/O. Every function accepts hostile input: it never throws, caps what it reads, and its
 * regexes have bounded quantifiers only (no nested repeats), so no input makes them backtrack super-linearly.
 *
 * Version schemes (shared/reference/protocols.md §4.1, §6.6):
 * - hikvision: `V<maj>.<min>[.<patch>]` with a build `yymmdd`, written `V5.5.6build 180326` (SADP, no space),
 *   `V5.5.82 build 190909` (ONVIF), `V5.8.3` + `build 240821` (ISAPI firmwareVersion + firmwareReleasedDate,
 *   joined with a space), `4.1.0 b130111` (NVD), `V5.5.0_build170725` and `IPC_G3_EN_STD_5.5.160_210416` (firmware
 *   folder and file names). Normal form: `V5.5.6 build 180326`. numbers = [maj, min, patch] as written
 *   ("V4.22.005" -> [4, 22, 5]).
 * - dahua: `<major>.<minor>.<branch>.<revision>[.R|T|B]`, the minor always 3 digits, with the build date beside it
 *   (`2.800.0000000.4.R, Build Date 2019-11-05`, `version=…,build:2020-06-05`, `version=…\r\nBuildDate=…`), or
 *   appended as yymmdd / yyyymmdd (NVD `2.800.0000000.29.r.210630`, file names `…_V2.420.0000.11.R.20170612`).
 *   Normal form: `2.800.0000000.25.R build 2021-10-15` (upper case, no leading V). numbers = [major, minor,
 *   branch number, revision]: the branch number is the digits of the third field ("0000016" -> 16; "00AC006" -> 6);
 *   the letters of that field are an OEM code (AC = Amcrest, IB = Intelbras, AT = CP PLUS, ...) kept in `oem`.
 *   Old firmware writes the generic branch as "Dahua 00", which counts as no OEM code.
 * - generic: anything else that starts with `<n>.<n>` (optionally after one letter, as in "V" or "B").
 *   numbers = the dotted/dashed numbers at the start ("2.3.8-6" -> [2, 3, 8, 6]).
 */

export type VersionScheme = "hikvision" | "dahua" | "generic";

export interface FirmwareInfo {
  /** as the device sent it */
  raw: string;
  /** Hikvision: "V5.5.6 build 180326"; Dahua: "2.800.0000000.25.R build 2021-10-15"; else trimmed raw */
  normalized: string;
  scheme: VersionScheme;
  /** Hikvision [maj, min, patch]; Dahua [major, minor, branch number, revision]; generic: leading numbers */
  numbers: number[];
  /** build as written, "180326" (Hikvision, yymmdd), or a yymmdd date appended to a Dahua version */
  build?: string;
  /** ISO date of the build when known, "2018-03-26" */
  buildDate?: string;
  /** Dahua: the third field as written, upper case ("0000000", "00AC000", "DAHUA 00") */
  branch?: string;
  /** Dahua: OEM letters of the branch ("AC", "IB", "AT", "GV"); absent for the generic branch */
  oem?: string;
  /** Dahua: release suffix R (release), T or B, upper case */
  suffix?: string;
}

/**
 * A firmware range as shared/reference/vulnerabilities.json writes one. Pass an `affected[]` entry as is (its other
 * keys, such as series or models, are ignored here), or build one from `fixed.perProduct[].fixedIn`.
 */
export interface FirmwareRange {
  /** inclusive lower bound: affected[].from ("V5.2.0 build 140721") */
  from?: string;
  /** inclusive upper bound: affected[].to ("V5.4.0 build 160530") */
  to?: string;
  /** inclusive upper bound (same as `to`) */
  upTo?: string;
  /** inclusive upper bound: affected[].mostRecentVulnerable ("IPC_G3_EN_STD_5.5.160_210416") */
  mostRecentVulnerable?: string;
  /** exclusive upper bound: the first fixed build (NVD versionEndExcluding) */
  before?: string;
  /** exclusive upper bound (same as `before`): fixed.perProduct[].fixedIn ("2.800.0000000.29.r.210630") */
  fixedIn?: string;
  /**
   * affected[].firmware text: "< 5.4.5", "<= 2.3.8-6", ">= 3.0.3 and < 4.1.0", an exact "4.1.0 b130111", several
   * exact versions "2.608.0000.0 and 2.608.GV00.0", "build date before 2022-04", "builds between 2015/07 and 2017/03".
   */
  firmware?: string;
  /** build-date bounds: "2022-04", "2021-06-28" or yymmdd "210628" */
  builtFrom?: string;
  builtUpTo?: string;
  builtBefore?: string;
  [key: string]: unknown;
}

export interface SerialInfo {
  /** trimmed input */
  raw: string;
  /** Hikvision: the model the serial starts with */
  model?: string;
  /** Hikvision: manufacture date, ISO */
  date?: string;
  /** Hikvision: the unit serial after the 4-letter code ("C52932642"; recorders add a suffix: "D00675487WCVU") */
  sequence?: string;
  /** Hikvision: the 4-letter code between date and unit serial ("AACH"); meaning undocumented (protocols.md §4.3) */
  code?: string;
  /**
   * Hikvision recorders: the 2 digits between model and date. They equal the channel count in the samples seen
   * (DS-7608NI-I2/8P -> 08, DS-7816H-SNH -> 16); an observation, not a documented field.
   */
  channels?: number;
  scheme: VersionScheme;
}

/** Longest firmware string read; longer input is not a firmware string (returns null). */
const MAX_FIRMWARE = 256;
/** Longest serial read. */
const MAX_SERIAL = 96;
/** Longest model kept. */
const MAX_MODEL = 64;

// Control characters other than tab, CR and LF mark binary junk.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Maps a manufacturer slug (manufacturers.yaml) or a maker name to the version scheme it implies. */
function schemeHint(manufacturer?: string | null): VersionScheme | undefined {
  if (typeof manufacturer !== "string") return undefined;
  const m = manufacturer.slice(0, 100).toLowerCase();
  if (/hikvision|ezviz|hiwatch|hilook|hikmicro/.test(m)) return "hikvision";
  if (/dahua|amcrest|imou/.test(m)) return "dahua";
  return undefined;
}

/** ISO date from year, month, day when it is a real calendar date. */
function isoDate(y: number, m: number, d: number): string | undefined {
  if (!(y >= 1970 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return undefined;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return undefined;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** "180326" -> "2018-03-26"; "20170612" -> "2017-06-12". */
function dateFromDigits(s: string): string | undefined {
  if (/^\d{6}$/.test(s)) {
    const yy = Number(s.slice(0, 2));
    return isoDate(yy < 70 ? 2000 + yy : 1900 + yy, Number(s.slice(2, 4)), Number(s.slice(4, 6)));
  }
  if (/^\d{8}$/.test(s)) return isoDate(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8)));
  return undefined;
}

/** "2021-10-15" -> "211015" (the Hikvision build spelling of a date). */
function yymmdd(iso: string): string {
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

/** The first ISO date (yyyy-m-d) in a short text, when it is a real date. */
function firstIsoDate(text: string): string | undefined {
  const m = /(\d{4})-(\d{1,2})-(\d{1,2})/.exec(text.slice(0, MAX_FIRMWARE));
  return m ? isoDate(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

function num(s: string): number {
  return Number.parseInt(s, 10);
}

// Dahua: major.minor(3 digits).branch.revision[.R|T|B][.yymmdd|.yyyymmdd]; the branch may be "Dahua 00" / "Group 00".
const DAHUA_RE =
  /^V?(\d{1,2})\.(\d{3})\.([0-9A-Z]{1,12}(?: \d{1,4})?)\.(\d{1,6})(?:\.([RTB]))?(?:\.(\d{8}|\d{6}))?(?=$|[\s,;()])/i;
// The same version inside a firmware file name ("DH_IPC-HX1XXX-Eos3_Eng_P_V2.420.0000.11.R.20170612"); needs the suffix.
const DAHUA_EMBEDDED_RE =
  /(?:^|_)(V?\d{1,2}\.\d{3}\.[0-9A-Z]{1,12}\.\d{1,6}\.[RTB](?:\.\d{8}|\.\d{6})?)(?=$|[._\s])/i;
// Hikvision: V<maj>.<min>[.<patch>][_R0102] then "build yymmdd" / "buildyymmdd" / "b130111" / "_build170725" / " yymmdd".
const HIK_RE =
  /^V?(\d{1,3})\.(\d{1,3})(?:\.(\d{1,4}))?(?:_[A-Z]\d{1,6})?(?:(?:\s{0,4}|_)(?:build|b)\s{0,4}(\d{6})|\s{1,4}(\d{6}))?(?=$|[\s,;()])/i;
// Hikvision firmware file names: IPC_G3_EN_STD_5.5.160_210416, IPC_R2_EN_STD_V5.4.81_180203, IPTM_H3_EN_STD_5.5.12_190315.zip
const HIK_FILE_RE =
  /^[A-Z][A-Z0-9]{0,11}(?:_[A-Z0-9]{1,12}){1,6}_V?(\d{1,3})\.(\d{1,3})\.(\d{1,4})_(\d{6})(?:\.[A-Z]{2,4})?$/i;
// Generic: optional single letter, then n.n[.n|-n]...
const GENERIC_RE = /^[A-Za-z]?(\d{1,9}\.\d{1,9}(?:[.-]\d{1,9}){0,6})/;
// Version labels in front of the value: "version=" (CGI), "Software Version: " (web UI), "System Version: ".
const LABEL_RE = /^(?:(?:software|system|firmware)\s{1,4})?version\s{0,4}[:=]?\s{0,16}/i;

function parseDahua(m: RegExpExecArray, rest: string, raw: string): FirmwareInfo {
  const [, major = "", minor = "", branchRaw = "", revision = "", suffixRaw, appended] = m;
  const branch = branchRaw.toUpperCase();
  const letters = branch.replace(/[^A-Z]/g, "");
  const digits = branch.replace(/[^0-9]/g, "");
  const oem = letters && letters !== "DAHUA" ? letters : undefined;
  const suffix = suffixRaw?.toUpperCase();
  let build: string | undefined;
  let buildDate: string | undefined;
  if (appended) {
    buildDate = dateFromDigits(appended);
    if (appended.length === 6) build = appended;
  }
  buildDate ??= firstIsoDate(rest);
  const version = `${major}.${minor}.${branch}.${revision}${suffix ? `.${suffix}` : ""}`;
  const info: FirmwareInfo = {
    raw,
    normalized: buildDate ? `${version} build ${buildDate}` : version,
    scheme: "dahua",
    numbers: [num(major), num(minor), digits ? num(digits) : 0, num(revision)],
    branch,
  };
  if (build) info.build = build;
  if (buildDate) info.buildDate = buildDate;
  if (oem) info.oem = oem;
  if (suffix) info.suffix = suffix;
  return info;
}

function hikInfo(
  raw: string,
  parts: (string | undefined)[],
  build?: string,
  isoFallback?: string,
): FirmwareInfo {
  const [maj = "", min = "", patch] = parts;
  let buildDate = build ? dateFromDigits(build) : undefined;
  if (!build && isoFallback) {
    buildDate = isoFallback;
    build = yymmdd(isoFallback);
  }
  const version = `V${maj}.${min}${patch !== undefined ? `.${patch}` : ""}`;
  const info: FirmwareInfo = {
    raw,
    normalized: build ? `${version} build ${build}` : version,
    scheme: "hikvision",
    numbers: [num(maj), num(min), ...(patch !== undefined ? [num(patch)] : [])],
  };
  if (build) info.build = build;
  if (buildDate) info.buildDate = buildDate;
  return info;
}

/**
 * Parses a firmware string. `manufacturer` is a slug from manufacturers.yaml (or a maker name); it only breaks ties
 * between shapes: a Dahua shape (3-digit minor, 4 fields) is Dahua whatever the hint, a `V…build yymmdd` string or a
 * Hikvision file name is Hikvision, and a plain `5.4.5` is Hikvision only with a Hikvision hint. Returns null for
 * junk: no version at the start, control characters, or more than 256 characters.
 */
export function parseFirmware(raw: string, manufacturer?: string | null): FirmwareInfo | null {
  try {
    if (typeof raw !== "string" || raw.length > MAX_FIRMWARE || CONTROL.test(raw)) return null;
    const trimmed = raw.trim();
    if (!trimmed) return null;
    const body = trimmed.replace(LABEL_RE, "");
    const hint = schemeHint(manufacturer);

    const dahua = DAHUA_RE.exec(body);
    if (dahua) return parseDahua(dahua, body.slice(dahua[0].length), raw);

    const file = HIK_FILE_RE.exec(body);
    if (file) return hikInfo(raw, [file[1], file[2], file[3]], file[4]);

    const embedded = DAHUA_EMBEDDED_RE.exec(body);
    if (embedded) {
      const inner = DAHUA_RE.exec(embedded[1] ?? "");
      if (inner) return parseDahua(inner, "", raw);
    }

    const hik = HIK_RE.exec(body);
    if (hik) {
      const build = hik[4] ?? hik[5];
      const rest = body.slice(hik[0].length);
      const shaped = /^V/i.test(body) && build !== undefined;
      if (hint === "hikvision" || shaped)
        return hikInfo(raw, [hik[1], hik[2], hik[3]], build, firstIsoDate(rest));
    }

    const gen = GENERIC_RE.exec(body);
    if (!gen) return null;
    const numbers = (gen[1] ?? "").split(/[.-]/).map(num);
    const rest = body.slice(gen[0].length);
    const info: FirmwareInfo = { raw, normalized: trimmed.replace(/\s+/g, " "), scheme: "generic", numbers };
    const b = /build\s{0,4}[:=]?\s{0,4}(\d{6})(?!\d)/i.exec(rest);
    if (b?.[1]) info.build = b[1];
    const iso = firstIsoDate(rest);
    if (iso) info.buildDate = iso;
    return info;
  } catch {
    return null;
  }
}

function cmpNumbers(a: number[], b: number[]): -1 | 0 | 1 {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function cmpStrings(a: string, b: string): -1 | 0 | 1 {
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * Orders two firmware versions: -1, 0 or 1. Returns null when they cannot be compared: different schemes, no
 * numbers, or Dahua versions of different OEM branches (an Amcrest "00AC000" build says nothing about a generic
 * Dahua "0000000" one). Numbers are compared first (missing trailing numbers count as 0); when they are equal the
 * build dates decide if both sides have one, otherwise the two are equal (a version without a build matches any
 * build of that version).
 */
export function compareFirmware(a: FirmwareInfo, b: FirmwareInfo): -1 | 0 | 1 | null {
  try {
    if (!a || !b || a.scheme !== b.scheme) return null;
    if (!a.numbers?.length || !b.numbers?.length) return null;
    if (a.scheme === "dahua" && (a.oem ?? "") !== (b.oem ?? "")) return null;
    const byNumbers = cmpNumbers(a.numbers, b.numbers);
    if (byNumbers !== 0) return byNumbers;
    if (a.buildDate && b.buildDate) return cmpStrings(a.buildDate, b.buildDate);
    if (a.build && b.build && a.build.length === b.build.length) return cmpStrings(a.build, b.build);
    return 0;
  } catch {
    return null;
  }
}

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

// Hikvision serial: model + yyyymmdd + 4 letters + unit serial. The model is everything before the date, which is
// the 8 digits right before the 4-letter code; recorders then end the "model" with their 2-digit channel count.
const HIK_SERIAL_RE = /^(.{2,72}?)((?:19|20)\d{6})([A-Z]{4})([A-Z0-9]{9,24})$/;
const HIK_SERIAL_TAIL_RE = /^(\d{2})?((?:19|20)\d{6})([A-Z]{4})([A-Z0-9]{9,24})$/;
// Recorder families whose serials carry the channel count (DS-7xxx NVR/DVR, DS-8xxx/DS-9xxx, AcuSense iDS-7xxx).
const HIK_RECORDER_RE = /^i?DS-[6-9]/i;

function hikSerial(
  raw: string,
  model: string,
  ch: string | undefined,
  date: string,
  code: string,
  unit: string,
): SerialInfo | null {
  const iso = dateFromDigits(date);
  if (!iso) return null;
  const info: SerialInfo = { raw, model, date: iso, code, sequence: unit, scheme: "hikvision" };
  if (ch !== undefined) info.channels = num(ch);
  return info;
}

/**
 * Parses a serial number. Hikvision serials embed the model and the manufacture date (protocols.md §4.3):
 * `DS-2CD2320D-I` `20180919` `AACH` `C52932642`; recorders put 2 digits between model and date
 * (`DS-7608NI-I2/8P` `08` `20190316` `CCRR` `D00675487WCVU`). That shape is recognised with or without a
 * manufacturer; pass `knownModel` (from deviceInfo or SADP) to split it exactly. Dahua serials (15, sometimes 14,
 * alphanumerics) carry no documented fields: with a Dahua hint they are scheme "dahua" and nothing more. Anything
 * else printable is "generic". Returns null for junk (empty, control characters, spaces only, over 96 characters).
 */
export function parseSerial(
  raw: string,
  manufacturer?: string | null,
  knownModel?: string | null,
): SerialInfo | null {
  try {
    if (typeof raw !== "string" || raw.length > 4 * MAX_SERIAL) return null;
    const s = raw.trim();
    if (s.length < 3 || s.length > MAX_SERIAL || !/^[\x21-\x7e]+$/.test(s)) return null;
    if (!/[A-Za-z0-9]/.test(s)) return null;
    const hint = schemeHint(manufacturer);

    if (typeof knownModel === "string" && knownModel.trim()) {
      const model = knownModel.trim();
      if (s.length > model.length && s.slice(0, model.length).toUpperCase() === model.toUpperCase()) {
        const t = HIK_SERIAL_TAIL_RE.exec(s.slice(model.length));
        if (t) {
          const info = hikSerial(s, s.slice(0, model.length), t[1], t[2] ?? "", t[3] ?? "", t[4] ?? "");
          if (info) return info;
        }
      }
    }
    const m = HIK_SERIAL_RE.exec(s);
    if (m) {
      let model = m[1] ?? "";
      let ch: string | undefined;
      if (HIK_RECORDER_RE.test(model) && /\d{2}$/.test(model) && model.length > 8) {
        ch = model.slice(-2);
        model = model.slice(0, -2);
      }
      const modelLike =
        /^[A-Za-z][A-Za-z0-9\-/()]+$/.test(model) && (hint === "hikvision" || model.includes("-"));
      if (modelLike) {
        const info = hikSerial(s, model, ch, m[2] ?? "", m[3] ?? "", m[4] ?? "");
        if (info) return info;
      }
    }
    if (hint === "dahua" && /^[0-9A-Z]{12,16}$/.test(s)) return { raw: s, scheme: "dahua" };
    return { raw: s, scheme: "generic" };
  } catch {
    return null;
  }
}

/**
 * Normalises a model name: control characters removed, whitespace collapsed, at most 64 characters, and a
 * leading maker name dropped ("HIKVISION DS-2CD2142FWD-I", "Dahua Technology Co., LTD DH-IPC-HDBW2320RN-ZS").
 * - Hikvision (hint, or a `DS-`/`iDS-` model): upper case, keeping the lower-case `i` of AcuSense `iDS-` models.
 * - Dahua (hint, or a `DH-`/`DHI-` prefix): upper case, and the `DH-`/`DHI-` prefix is stripped: it marks the
 *   Dahua-branded (DH-) or international (DHI-) listing of the same hardware, and vulnerabilities.json, DHIP
 *   DeviceType and NVD name the same model with and without it ("DH-IPC-HDW1230T2" -> "IPC-HDW1230T2").
 * - Anything else keeps its case.
 * Returns "" for input that is not a string or has nothing left.
 */
export function normalizeModel(raw: string, manufacturer?: string | null): string {
  try {
    if (typeof raw !== "string") return "";
    let s = raw
      .slice(0, 4 * MAX_MODEL)
      .replace(/[\u0000-\u001f\u007f]/g, " ")
      .trim()
      .replace(/\s+/g, " ");
    s = s.replace(/^(?:hikvision|dahua(?: technology co\.?,? ?ltd\.?)?) (?=\S)/i, "");
    s = s.slice(0, MAX_MODEL).trim();
    if (!s) return "";
    const hint = schemeHint(manufacturer);
    if (hint === "hikvision" || /^i?DS-/i.test(s)) {
      const up = s.toUpperCase();
      return /^ids-/i.test(s) ? `i${up.slice(1)}` : up;
    }
    if (hint === "dahua" || /^DHI?-/i.test(s)) {
      const up = s.toUpperCase();
      const stripped = up.replace(/^DHI?-(?=\S)/, "");
      return stripped || up;
    }
    return s;
  } catch {
    return "";
  }
}
