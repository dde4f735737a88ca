import { relative } from "node:path";
import { CLAIM_FIELDS, DEVICE_TYPES } from "../identify/identification.js";
import { PART_CAP } from "../identify/parts/read.js";
import {
  compileRule,
  extractClaims,
  groupCount,
  usedGroups,
  whenMatches,
  type CompiledRule,
} from "./compile.js";
import { defaultKnowledgeDir, parseKnowledge, readChecked, type KnowledgeBase, type VerifyIssue } from "./load.js";
import { FingerprintFileSchema, type Example, type FingerprintFile } from "./schema.js";

/**
 * The verifier (Recog's self-test, improved): schema, unique ids, sources, examples that match and
 * extract what they say, capture groups = capture claims, no earlier rule stealing an example,
 * claimed names present in the vocabulary, policies pointing at existing groups.
 */
export function verifyKnowledge(dir: string = defaultKnowledgeDir()): VerifyIssue[] {
  const { kb, issues } = parseKnowledge(dir);
  issues.push(...verifyVocabulary(kb));
  const seen = new Map<string, string>();
  for (const { file, data } of kb.files) {
    for (const r of data.rules) {
      const prev = seen.get(r.id);
      if (prev) issues.push({ file, rule: r.id, message: `duplicate rule id (also in ${prev})` });
      else seen.set(r.id, file);
    }
    issues.push(...verifyRules(file, data, kb));
  }
  return issues;
}

/** Verify one fingerprint file (e.g. a broken fixture) against a knowledge base's vocabulary. */
export function verifyFingerprintFile(path: string, kb?: KnowledgeBase): VerifyIssue[] {
  const base = kb ?? parseKnowledge(defaultKnowledgeDir()).kb;
  const issues: VerifyIssue[] = [];
  const data = readChecked(path, FingerprintFileSchema, process.cwd(), issues);
  if (!data) return issues;
  return verifyRules(relative(process.cwd(), path), data, base);
}

function verifyVocabulary(kb: KnowledgeBase): VerifyIssue[] {
  const issues: VerifyIssue[] = [];
  const groups = new Set(kb.manufacturers.map((m) => m.group));
  const slugs = new Set<string>();
  for (const m of kb.manufacturers) {
    if (slugs.has(m.slug)) issues.push({ file: "vocabulary/manufacturers.yaml", message: `duplicate slug ${m.slug}` });
    slugs.add(m.slug);
  }
  const names = new Set<string>();
  for (const b of kb.brands) {
    if (names.has(b.name)) issues.push({ file: "vocabulary/brands.yaml", message: `duplicate brand ${b.name}` });
    names.add(b.name);
    if (!kb.manufacturerBySlug.has(b.owner))
      issues.push({ file: "vocabulary/brands.yaml", message: `brand ${b.name}: unknown owner manufacturer "${b.owner}"` });
  }
  for (const p of kb.policies) {
    for (const g of p.groups)
      if (!groups.has(g)) issues.push({ file: "policies.yaml", message: `policy ${p.id}: unknown manufacturer group "${g}"` });
  }
  return issues;
}

function decode(ex: Example): string {
  return ex.encoding === "base64" ? Buffer.from(ex.input, "base64").toString("latin1") : ex.input;
}

function excerpt(s: string): string {
  const one = JSON.stringify(s);
  return one.length > 80 ? `${one.slice(0, 77)}..."` : one;
}

/** May an earlier rule's filter apply where this example lives? */
function whenCompatible(earlier: CompiledRule, later: CompiledRule, ex: Example): boolean {
  if (!earlier.rule.when) return true;
  if (ex.ctx) return whenMatches(earlier.rule.when, ex.ctx);
  return JSON.stringify(earlier.rule.when) === JSON.stringify(later.rule.when);
}

function sameClaims(a: object, b: object): boolean {
  const norm = (o: object) => JSON.stringify(Object.entries(o).sort(([x], [y]) => x.localeCompare(y)));
  return norm(a) === norm(b);
}

/** Values reach rules capped at PART_CAP (8 KiB); a hostile device can fill all of it. */
const HOSTILE_LEN = PART_CAP;
const HOSTILE_UNITS = ["a", " ", "0", "<", ",", "\n", "=", "/", "-", ".", "a ", ", ", ": ", "<a ", "\\", "%"];
/** Far above any linear regex on 8 KiB (well under 1 ms), far below a quadratic one (100+ ms). */
const HOSTILE_MS = 50;

/**
 * A rule's regex runs on device-controlled text, so catastrophic or quadratic backtracking is a denial of
 * service. Each regex runs on 8 KiB of repeated characters and of its own examples repeated and padded; a run
 * over the bound is timed again (a busy machine gets a second chance) before it is reported.
 */
export function slowOnHostileInput(c: CompiledRule, examples: string[]): string | undefined {
  const fill = (u: string) => u.repeat(Math.ceil(HOSTILE_LEN / u.length)).slice(0, HOSTILE_LEN);
  const inputs = [
    ...HOSTILE_UNITS.map(fill),
    ...examples.filter((e) => e.length > 0).flatMap((e) => [fill(`${e}\n`), e + fill(e.slice(-1)), fill(e.slice(0, 1)) + e]),
  ];
  // The rule's own regex and those of its `{part, pattern}` requirements all run on device text.
  const regexes = [c.re, ...c.requires.flatMap((r) => ("re" in r ? [r.re] : []))];
  for (const re of regexes) {
    for (const input of inputs) {
      const time = () => {
        const t = performance.now();
        re.exec(input);
        return performance.now() - t;
      };
      if (time() > HOSTILE_MS && time() > HOSTILE_MS) {
        const which = re === c.re ? "regex" : `required pattern /${re.source.slice(0, 40)}/`;
        const shown = JSON.stringify(input.slice(0, 12));
        return `${which} is slow on hostile input (over ${HOSTILE_MS} ms on 8 KiB starting ${shown}): bound its repetitions`;
      }
    }
  }
  return undefined;
}

export function verifyRules(file: string, data: FingerprintFile, kb: KnowledgeBase): VerifyIssue[] {
  const issues: VerifyIssue[] = [];
  const add = (rule: string, message: string) => issues.push({ file, rule, message });
  const compiled: (CompiledRule | undefined)[] = data.rules.map((r, i) => {
    try {
      return compileRule(r, file, i);
    } catch (e) {
      add(r.id, `regex does not compile: ${(e as Error).message}`);
      return undefined;
    }
  });
  const allIds = new Map<string, CompiledRule>();
  for (const c of kb.rules) allIds.set(c.rule.id, c);
  for (const c of compiled) if (c) allIds.set(c.rule.id, c);
  const localIds = new Set<string>();

  compiled.forEach((c, i) => {
    const rule = data.rules[i];
    if (!rule) return;
    if (localIds.has(rule.id)) add(rule.id, "duplicate rule id in this file");
    localIds.add(rule.id);
    if (!c) return;

    // Capture groups = capture claims (Recog's check), counting {n} interpolations as uses.
    const n = groupCount(c.re);
    const used = usedGroups(rule);
    const names = new Set(Object.keys(new RegExp(`${c.re.source}|`, c.re.flags).exec("")?.groups ?? {}));
    for (const ref of used) {
      if (/^\d+$/.test(ref) ? Number(ref) > n : !names.has(ref)) add(rule.id, `capture claim uses group ${ref}, which the regex does not have`);
    }
    const numbered = [...used].filter((u) => /^\d+$/.test(u)).length + [...used].filter((u) => names.has(u)).length;
    if (numbered !== n) add(rule.id, `capture groups: regex has ${n}, claims use ${numbered}`);

    // Vocabulary.
    const claims = rule.claims ?? {};
    const hasClaims = Object.keys(claims).length + Object.keys(rule.captures ?? {}).length > 0;
    if (rule.confidence === 0 && hasClaims) add(rule.id, "a rule with confidence 0 asserts nothing: remove its claims");
    if (rule.confidence > 0 && !hasClaims) add(rule.id, "a rule with no claims must have confidence 0");
    if (claims.manufacturer && !/\{/.test(claims.manufacturer) && !kb.manufacturerBySlug.has(claims.manufacturer))
      add(rule.id, `unknown manufacturer "${claims.manufacturer}" (not in vocabulary/manufacturers.yaml)`);
    if (claims.brand && !/\{/.test(claims.brand) && !kb.brandByName.has(claims.brand))
      add(rule.id, `unknown brand "${claims.brand}" (not in vocabulary/brands.yaml)`);
    if (claims.deviceType && !(DEVICE_TYPES as readonly string[]).includes(claims.deviceType))
      add(rule.id, `unknown deviceType "${claims.deviceType}"`);
    for (const r of c.requires) {
      if (!("ruleId" in r)) continue;
      const target = allIds.get(r.ruleId);
      if (!target) add(rule.id, `requires unknown rule "${r.ruleId}"`);
      else if (target.rule.requires) add(rule.id, `requires rule "${r.ruleId}", which itself has requirements`);
    }

    const slow = slowOnHostileInput(c, rule.examples.map(decode));
    if (slow) add(rule.id, slow);

    // Examples.
    for (const ex of rule.examples) {
      const input = decode(ex);
      for (const k of Object.keys(ex.expect))
        if (!(CLAIM_FIELDS as readonly string[]).includes(k)) add(rule.id, `example expects unknown field "${k}"`);
      const m = c.re.exec(input);
      if (ex.nomatch) {
        // A counter-example with a context is not taken when the rule's `when` filter excludes that context.
        const excluded = ex.ctx !== undefined && !whenMatches(rule.when, ex.ctx);
        if (m && !excluded) add(rule.id, `counter-example ${excerpt(input)} matches`);
        continue;
      }
      if (!m) {
        add(rule.id, `example does not match: ${excerpt(input)}`);
        continue;
      }
      if (ex.ctx && !whenMatches(rule.when, ex.ctx))
        add(rule.id, `example ${excerpt(input)}: its context is excluded by the rule's when filter`);
      const got = extractClaims(rule, m);
      for (const [k, v] of Object.entries(ex.expect)) {
        const actual = got[k as keyof typeof got];
        if (actual !== v) add(rule.id, `example ${excerpt(input)}: expected ${k}="${v}" but got ${actual === undefined ? "nothing" : `"${actual}"`}`);
      }
      // No earlier rule in the file may take this example with different claims.
      for (let j = 0; j < i; j++) {
        const e = compiled[j];
        if (!e || e.rule.requires || !e.parts.some((p) => c.parts.includes(p))) continue;
        if (!whenCompatible(e, c, ex)) continue;
        const em = e.re.exec(input);
        if (em && !sameClaims(extractClaims(e.rule, em), got)) {
          add(rule.id, `example ${excerpt(input)} is stolen by earlier rule "${e.rule.id}"`);
          break;
        }
      }
    }
  });
  return issues;
}
