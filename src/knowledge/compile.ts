import type { ClaimField } from "../identify/identification.js";
import { literalPrefix } from "./prefix.js";
import type { Require, Rule, When } from "./schema.js";

/** A rule ready to run: its regex compiled once. */
export interface CompiledRule {
  rule: Rule;
  file: string;
  /** position in its file: first match per part per file wins */
  index: number;
  parts: string[];
  re: RegExp;
  /** literal text every match starts with (lower case when the regex ignores case): a cheap pre-test */
  prefix?: string;
  ignoreCase: boolean;
  requires: CompiledRequire[];
}
export type CompiledRequire = { ruleId: string } | { part: string; re: RegExp };

/** Context a part came from; `when` filters test it. */
export interface PartCtx {
  protocol?: string;
  method?: string;
  path?: string;
  scheme?: string;
  status?: number;
  port?: number;
}

const INTERP = /\{(\w+)\}/g;

export function compileRegex(source: string, flags = ""): RegExp {
  // Never global/sticky: rules test one value at a time.
  return new RegExp(source, flags.replace(/[gy]/g, ""));
}

export function compileRule(rule: Rule, file: string, index: number): CompiledRule {
  const requires: CompiledRequire[] = (rule.requires ?? []).map((r: Require) =>
    typeof r === "string" ? { ruleId: r } : { part: r.part, re: compileRegex(r.pattern, r.flags) },
  );
  const prefix = literalPrefix(rule.pattern, rule.flags);
  return {
    rule,
    file,
    index,
    parts: Array.isArray(rule.part) ? rule.part : [rule.part],
    re: compileRegex(rule.pattern, rule.flags),
    // Case-folded comparison is only safe for ASCII.
    ...(prefix !== undefined && /^[\x20-\x7e]+$/.test(prefix) ? { prefix } : {}),
    ignoreCase: (rule.flags ?? "").includes("i"),
    requires,
  };
}

/** Number of capturing groups in a regex (counted by matching the empty alternative). */
export function groupCount(re: RegExp): number {
  const m = new RegExp(`${re.source}|`, re.flags).exec("");
  return m ? m.length - 1 : 0;
}

/** Group references a rule uses: capture claims, {n}/{name} interpolations and backreferences (\\1, \\k<name>). */
export function usedGroups(rule: Rule): Set<string> {
  const used = new Set<string>();
  for (const m of rule.pattern.matchAll(/\\(?:([1-9])|k<(\w+)>)/g)) used.add((m[1] ?? m[2]) as string);
  for (const g of Object.values(rule.captures ?? {})) used.add(String(g));
  for (const v of Object.values(rule.claims ?? {})) {
    for (const m of String(v).matchAll(INTERP)) used.add(m[1] as string);
  }
  return used;
}

function group(m: RegExpExecArray, ref: string | number): string | undefined {
  const v = typeof ref === "number" || /^\d+$/.test(ref) ? m[Number(ref)] : m.groups?.[ref];
  const t = v?.trim();
  return t ? t : undefined;
}

/**
 * Claims one match yields: fixed claims (with interpolation) and capture claims.
 * A claim whose group did not participate is dropped.
 */
/** Claim and capture entries per rule, listed once (extractClaims runs for every match). */
const entriesCache = new WeakMap<Rule, { claims: [ClaimField, string][]; captures: [ClaimField, string | number][] }>();
function entriesOf(rule: Rule) {
  let e = entriesCache.get(rule);
  if (!e) {
    e = {
      claims: Object.entries(rule.claims ?? {}) as [ClaimField, string][],
      captures: Object.entries(rule.captures ?? {}) as [ClaimField, string | number][],
    };
    entriesCache.set(rule, e);
  }
  return e;
}

export function extractClaims(rule: Rule, m: RegExpExecArray): Partial<Record<ClaimField, string>> {
  const out: Partial<Record<ClaimField, string>> = {};
  const entries = entriesOf(rule);
  for (const [field, value] of entries.claims) {
    if (!value.includes("{")) {
      out[field] = value;
      continue;
    }
    let missing = false;
    const v = value.replace(INTERP, (_, ref: string) => {
      const g = group(m, ref);
      if (g === undefined) missing = true;
      return g ?? "";
    });
    if (!missing) out[field] = v;
  }
  for (const [field, ref] of entries.captures) {
    const g = group(m, ref);
    if (g !== undefined) out[field] = g;
  }
  return out;
}

function oneOf(v: number | undefined, want: number | number[]): boolean {
  if (v === undefined) return false;
  return Array.isArray(want) ? want.includes(v) : v === want;
}

/** Does the context pass the rule's `when` filter? Missing context fails a filter that needs it. */
export function whenMatches(when: When | undefined, ctx: PartCtx | undefined): boolean {
  if (!when) return true;
  const c = ctx ?? {};
  if (when.protocol !== undefined && c.protocol !== when.protocol) return false;
  if (when.method !== undefined && (c.method ?? "").toUpperCase() !== when.method.toUpperCase()) return false;
  if (when.scheme !== undefined && c.scheme !== when.scheme) return false;
  if (when.status !== undefined && !oneOf(c.status, when.status)) return false;
  if (when.port !== undefined && !oneOf(c.port, when.port)) return false;
  if (when.path !== undefined) {
    if (c.path === undefined) return false;
    const re = pathRegex(when.path);
    if (!re || !re.test(c.path)) return false;
  }
  return true;
}

/** `when.path` regexes, compiled once: whenMatches runs for every rule on every part. */
const pathCache = new Map<string, RegExp | null>();
function pathRegex(source: string): RegExp | null {
  let re = pathCache.get(source);
  if (re === undefined) {
    try {
      re = compileRegex(source);
    } catch {
      re = null;
    }
    pathCache.set(source, re);
  }
  return re;
}
