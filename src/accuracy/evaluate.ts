import type { Identification } from "../identify/identification.js";
import type { CorpusCase } from "./corpus.js";

/** Fields a case may expect, in report order. */
export const EXPECT_FIELDS = [
  "manufacturer",
  "restricted",
  "brand",
  "deviceType",
  "model",
  "firmware",
  "serial",
] as const;
export type ExpectField = (typeof EXPECT_FIELDS)[number];

export interface Mismatch {
  field: ExpectField;
  expected: string | boolean | null;
  got: string | boolean | null;
}

export interface CaseResult {
  id: string;
  file: string;
  known?: string;
  /** the capture holds nothing the device said: only port numbers (see silentCapture) */
  silent: boolean;
  mismatches: Mismatch[];
  identification: Identification;
  expect: CorpusCase["expect"];
}

/** Firmware spellings that mean the same version compare equal ("V5.5.6build 180326" = "V5.5.6 build 180326"). */
function firmwareKey(v: string): string {
  return v
    .toLowerCase()
    .replace(/[\s,]+/g, " ")
    .replace(/(\d)\s*build\s*:?\s*/g, "$1 build ")
    .trim();
}

function same(field: ExpectField, expected: string | null, got: string | null): boolean {
  if (expected === null || got === null) return expected === got;
  if (field === "firmware") return firmwareKey(expected) === firmwareKey(got);
  if (field === "deviceType") return expected === got;
  return expected.trim().toLowerCase() === got.trim().toLowerCase();
}

/** Compares one identification with what the case's source states. Pure. */
export function compareCase(c: CorpusCase, id: Identification, silent = false): CaseResult {
  const mismatches: Mismatch[] = [];
  const e = c.expect;
  if (e.restricted !== id.restricted)
    mismatches.push({ field: "restricted", expected: e.restricted, got: id.restricted });
  for (const f of EXPECT_FIELDS) {
    if (f === "restricted" || !(f in e)) continue;
    const want = e[f] as string | null | undefined;
    if (want === undefined) continue;
    const got = f === "deviceType" ? id.deviceType : (id[f] as string | null);
    if (!same(f, want, got)) mismatches.push({ field: f, expected: want, got });
  }
  const r: CaseResult = { id: c.id, file: c.file, silent, mismatches, identification: id, expect: e };
  if (c.known) r.known = c.known;
  return r;
}

export interface Rate {
  hit: number;
  of: number;
  rate: number | null;
}
const rate = (hit: number, of: number): Rate => ({ hit, of, rate: of ? hit / of : null });

export interface AccuracyReport {
  cases: number;
  /** restricted devices flagged / restricted devices */
  restrictedRecall: Rate;
  /** correctly flagged / flagged */
  restrictedPrecision: Rate;
  /** the same two figures without the silent captures (bare port lists no identifier can name) */
  informative: { cases: number; restrictedRecall: Rate; restrictedPrecision: Rate };
  /** restricted or "to check" counted as flagged: how many restricted devices an auditor is pointed at */
  withCheck: { restrictedRecall: Rate; restrictedPrecision: Rate };
  manufacturer: Rate;
  brand: Rate;
  deviceType: Rate;
  model: Rate;
  firmware: Rate;
  serial: Rate;
  /** every case with a mismatch, known or not */
  misses: CaseResult[];
  /** misses without a `known` explanation */
  unexplained: CaseResult[];
  /** cases marked known that camsweep now gets right (the mark is stale) */
  staleKnown: CaseResult[];
  /** cases per top-level corpus folder (signal) */
  bySignal: Record<string, { cases: number; misses: number }>;
}

function signalOf(file: string): string {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf("corpus");
  return parts[at >= 0 ? at + 1 : parts.length - 2] ?? "(root)";
}

/** `withCheck`: a device camsweep marks "to check" (a restricted maker suspected) counts as flagged. */
function restrictedRates(results: CaseResult[], withCheck = false): { recall: Rate; precision: Rate } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const r of results) {
    const flagged = r.identification.restricted || (withCheck && r.identification.suspected.length > 0);
    if (flagged && r.expect.restricted) tp++;
    else if (flagged) fp++;
    else if (r.expect.restricted) fn++;
  }
  return { recall: rate(tp, tp + fn), precision: rate(tp, tp + fp) };
}

export function summarize(results: CaseResult[]): AccuracyReport {
  const fieldRate = (f: ExpectField): Rate => {
    const withField = results.filter(
      (r) => f in r.expect && r.expect[f as keyof typeof r.expect] !== undefined,
    );
    return rate(withField.filter((r) => !r.mismatches.some((m) => m.field === f)).length, withField.length);
  };
  const bySignal: AccuracyReport["bySignal"] = {};
  for (const r of results) {
    const s = (bySignal[signalOf(r.file)] ??= { cases: 0, misses: 0 });
    s.cases++;
    if (r.mismatches.length) s.misses++;
  }
  const misses = results.filter((r) => r.mismatches.length > 0);
  const all = restrictedRates(results);
  const spoke = results.filter((r) => !r.silent);
  const informative = restrictedRates(spoke);
  const checked = restrictedRates(results, true);
  return {
    cases: results.length,
    restrictedRecall: all.recall,
    restrictedPrecision: all.precision,
    informative: {
      cases: spoke.length,
      restrictedRecall: informative.recall,
      restrictedPrecision: informative.precision,
    },
    withCheck: { restrictedRecall: checked.recall, restrictedPrecision: checked.precision },
    manufacturer: fieldRate("manufacturer"),
    brand: fieldRate("brand"),
    deviceType: fieldRate("deviceType"),
    model: fieldRate("model"),
    firmware: fieldRate("firmware"),
    serial: fieldRate("serial"),
    misses,
    unexplained: misses.filter((r) => !r.known),
    staleKnown: results.filter((r) => r.known && r.mismatches.length === 0),
    bySignal,
  };
}
