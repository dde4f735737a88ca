import { z } from "zod";
import { isIsoDate } from "../shared/dates.js";
import { InputError } from "../shared/errors.js";
import { readYamlFile } from "../shared/yaml-file.js";
import { parseAllow } from "./scope.js";
import { parseTarget } from "./spec.js";

/**
 * A scope file (`scan --scope FILE`): what an audit's authorization covers, kept with the audit rather than
 * typed on each command line.
 *
 *   allow: [10.20.0.0/16, 10.21.0.0/16]   # only these are ever probed (addresses, CIDRs, ranges)
 *   deny: [10.20.5.0/24, 10.21.0.1]       # never probed, even when a target covers them
 *   verify:                               # optional: written authorization for active verification
 *     authorizedBy: "J. Tremblay, Director IT Security"
 *     reference: "SEC-2026-114"           # the ticket or letter
 *     checks: [CVE-2017-7921]             # only these checks, and only known ones
 *     until: "2026-12-31"                 # optional last day (inclusive)
 *
 * Allow entries narrow like the config's allow-list (a command line cannot widen them); deny entries are
 * skipped like --exclude. Without a verify section no verification request is ever sent.
 */

/** The active checks a scope file may authorize (src/probes/verify). */
export const VERIFY_CHECKS = ["CVE-2017-7921"] as const;
export type VerifyCheck = (typeof VERIFY_CHECKS)[number];

const required = (what: string) =>
  z
    .string({ error: `required: ${what}` })
    .trim()
    .min(1, `required: ${what}`);

const VerifySchema = z
  .object({
    authorizedBy: required("who authorized active verification"),
    reference: required("the ticket or letter of the authorization"),
    checks: z
      .array(z.enum(VERIFY_CHECKS, { error: `unknown check (known: ${VERIFY_CHECKS.join(", ")})` }), {
        error: "required: the list of authorized checks",
      })
      .min(1, "must list at least one check"),
    until: z
      .string({ error: 'must be a date written "YYYY-MM-DD"' })
      .refine(isIsoDate, 'must be a date written "YYYY-MM-DD"')
      .optional(),
  })
  .strict();

export type VerifyAuthorization = z.output<typeof VerifySchema>;

const ScopeFileSchema = z
  .object({
    allow: z.array(z.string().min(1)).min(1, "must list at least one address, range or CIDR"),
    deny: z.array(z.string().min(1)).default([]),
    verify: VerifySchema.optional(),
  })
  .strict();

export interface ScopeFile {
  allow: string[];
  deny: string[];
  /** present only when the file authorizes active verification */
  verify?: VerifyAuthorization;
  path: string;
}

export function loadScopeFile(path: string): ScopeFile {
  const data = readYamlFile(path, ScopeFileSchema, "scope file");
  // Every entry is checked now, naming its field, rather than failing later under another name.
  data.allow.forEach((a, n) => check(() => parseAllow([a]), path, `allow[${n}]`));
  data.deny.forEach((d, n) => check(() => parseTarget(d), path, `deny[${n}]`));
  return { ...data, path };
}

function check(fn: () => unknown, path: string, field: string): void {
  try {
    fn();
  } catch (e) {
    throw new InputError(`${field}: ${(e as Error).message.replace(/^--allow /, "")}`, path);
  }
}

export type VerifyDecision = { ok: true; by: string; reference: string } | { ok: false; why: string };

/**
 * Whether the scope file authorizes `check` on `today` (the local date, YYYY-MM-DD; `until` is its last day).
 * Pure: the caller supplies the date, and says `why` to the user when it is not ok.
 */
export function verifyAuthorization(scope: ScopeFile, check: string, today: string): VerifyDecision {
  if (!isIsoDate(today)) throw new TypeError(`today must be a date written YYYY-MM-DD, not "${today}"`);
  const v = scope.verify;
  if (!v)
    return { ok: false, why: `${scope.path}: no verify section: active verification is not authorized` };
  if (!(v.checks as readonly string[]).includes(check))
    return {
      ok: false,
      why: `${scope.path}: verify.checks does not list ${check} (authorized: ${v.checks.join(", ")})`,
    };
  // Same fixed-width format on both sides: string order is date order.
  if (v.until !== undefined && today > v.until)
    return { ok: false, why: `${scope.path}: verify.until ${v.until} has passed (today is ${today})` };
  return { ok: true, by: v.authorizedBy, reference: v.reference };
}
