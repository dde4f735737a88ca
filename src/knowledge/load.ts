import { readFileSync } from "node:fs";
import { packagePath } from "../shared/paths.js";
import { join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { InputError } from "../shared/errors.js";
import { listFiles } from "../shared/files.js";
import { compileRule, type CompiledRule } from "./compile.js";
import {
  BrandsFileSchema,
  FingerprintFileSchema,
  ManufacturersFileSchema,
  PoliciesFileSchema,
  type Brand,
  type FingerprintFile,
  type Manufacturer,
  type Policy,
} from "./schema.js";

export interface KnowledgeBase {
  dir: string;
  manufacturers: Manufacturer[];
  brands: Brand[];
  policies: Policy[];
  /** fingerprint files, path relative to dir, in sorted order */
  files: { file: string; data: FingerprintFile }[];
  /** all rules, in file order then rule order */
  rules: CompiledRule[];
  manufacturerBySlug: Map<string, Manufacturer>;
  brandByName: Map<string, Brand>;
  /** brands by a folded spelling (case, spaces, dashes ignored): "HIWATCH", "Cp-Plus" -> the vocabulary entry */
  brandByFolded: Map<string, Brand>;
}

export interface VerifyIssue {
  file: string;
  rule?: string;
  message: string;
}

/** A brand name as devices spell it in any case, with or without spaces and dashes. */
export function foldBrand(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, "");
}

export function defaultKnowledgeDir(): string {
  return packagePath("knowledge");
}


function zodMessage(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

/** Read and schema-check one YAML file; issues are appended, the parsed value returned when valid. */
export function readChecked<T extends z.ZodType>(
  path: string,
  schema: T,
  base: string,
  issues: VerifyIssue[],
): z.output<T> | undefined {
  const file = relative(base, path) || path;
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, "utf8"));
  } catch (e) {
    issues.push({ file, message: `cannot read YAML: ${(e as Error).message.split("\n")[0]}` });
    return undefined;
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    issues.push({ file, message: `schema: ${zodMessage(r.error)}` });
    return undefined;
  }
  return r.data;
}

/** Parse every knowledge file; schema problems and uncompilable regexes become issues. */
export function parseKnowledge(dir: string): { kb: KnowledgeBase; issues: VerifyIssue[] } {
  const issues: VerifyIssue[] = [];
  const voc = join(dir, "vocabulary");
  const manufacturers = readChecked(join(voc, "manufacturers.yaml"), ManufacturersFileSchema, dir, issues)?.manufacturers ?? [];
  const brands = readChecked(join(voc, "brands.yaml"), BrandsFileSchema, dir, issues)?.brands ?? [];
  const policies = readChecked(join(dir, "policies.yaml"), PoliciesFileSchema, dir, issues)?.policies ?? [];
  const files: KnowledgeBase["files"] = [];
  const rules: CompiledRule[] = [];
  for (const path of listFiles(join(dir, "fingerprints"), /\.ya?ml$/, true)) {
    const data = readChecked(path, FingerprintFileSchema, dir, issues);
    if (!data) continue;
    const file = relative(dir, path);
    files.push({ file, data });
    data.rules.forEach((rule, i) => {
      try {
        rules.push(compileRule(rule, file, i));
      } catch (e) {
        issues.push({ file, rule: rule.id, message: `regex does not compile: ${(e as Error).message}` });
      }
    });
  }
  const kb: KnowledgeBase = {
    dir,
    manufacturers,
    brands,
    policies,
    files,
    rules,
    manufacturerBySlug: new Map(manufacturers.map((m) => [m.slug, m])),
    brandByName: new Map(brands.map((b) => [b.name, b])),
    brandByFolded: new Map(brands.map((b) => [foldBrand(b.name), b])),
  };
  return { kb, issues };
}

const cache = new Map<string, KnowledgeBase>();

/** Load, validate and cache the knowledge base (sync). Throws InputError when a file is invalid. */
export function loadKnowledge(dir: string = defaultKnowledgeDir()): KnowledgeBase {
  const hit = cache.get(dir);
  if (hit) return hit;
  const { kb, issues } = parseKnowledge(dir);
  if (issues.length > 0) {
    const first = issues[0] as VerifyIssue;
    throw new InputError(
      `invalid knowledge (${issues.length} issue(s)): ${first.rule ? `${first.rule}: ` : ""}${first.message}`,
      join(dir, first.file),
    );
  }
  if (kb.rules.length === 0) throw new InputError("no fingerprint rules found", join(dir, "fingerprints"));
  cache.set(dir, kb);
  return kb;
}
