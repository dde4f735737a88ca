/** Firmware strings parsed into a scheme, numbers and build date, and compared. */
import {
  CONTROL,
  dateFromDigits,
  firstIsoDate,
  MAX_FIRMWARE,
  num,
  schemeHint,
  yymmdd,
  type FirmwareInfo,
} from "./common.js";

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

export function cmpStrings(a: string, b: string): -1 | 0 | 1 {
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
