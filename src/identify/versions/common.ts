/** Types and small helpers shared by the firmware, range and serial readers. */

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
export const MAX_FIRMWARE = 256;
/** Longest serial read. */
export const MAX_SERIAL = 96;
/** Longest model kept. */
export const MAX_MODEL = 64;

// Control characters other than tab, CR and LF mark binary junk.
export const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Maps a manufacturer slug (manufacturers.yaml) or a maker name to the version scheme it implies. */
export function schemeHint(manufacturer?: string | null): VersionScheme | undefined {
  if (typeof manufacturer !== "string") return undefined;
  const m = manufacturer.slice(0, 100).toLowerCase();
  if (/hikvision|ezviz|hiwatch|hilook|hikmicro/.test(m)) return "hikvision";
  if (/dahua|amcrest|imou/.test(m)) return "dahua";
  return undefined;
}

/** ISO date from year, month, day when it is a real calendar date. */
export function isoDate(y: number, m: number, d: number): string | undefined {
  if (!(y >= 1970 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return undefined;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return undefined;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** "180326" -> "2018-03-26"; "20170612" -> "2017-06-12". */
export function dateFromDigits(s: string): string | undefined {
  if (/^\d{6}$/.test(s)) {
    const yy = Number(s.slice(0, 2));
    return isoDate(yy < 70 ? 2000 + yy : 1900 + yy, Number(s.slice(2, 4)), Number(s.slice(4, 6)));
  }
  if (/^\d{8}$/.test(s)) return isoDate(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8)));
  return undefined;
}

/** "2021-10-15" -> "211015" (the Hikvision build spelling of a date). */
export function yymmdd(iso: string): string {
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

/** The first ISO date (yyyy-m-d) in a short text, when it is a real date. */
export function firstIsoDate(text: string): string | undefined {
  const m = /(\d{4})-(\d{1,2})-(\d{1,2})/.exec(text.slice(0, MAX_FIRMWARE));
  return m ? isoDate(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

export function num(s: string): number {
  return Number.parseInt(s, 10);
}
