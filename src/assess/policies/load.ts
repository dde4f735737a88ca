import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import type { z } from "zod";
import { ManufacturersFileSchema } from "../../knowledge/schema.js";
import { InputError } from "../../shared/errors.js";
import { listFiles } from "../../shared/files.js";
import { packagePath } from "../../shared/paths.js";
import { parseStrictYaml, readYamlFile } from "../../shared/yaml-file.js";
import { policyPackSchema, type PolicyPack } from "./schema.js";

/** A pack is a page of text; anything larger is not a pack (and would cost the YAML parser). */
export const MAX_PACK_BYTES = 256 * 1024;
/** Bounds a directory of packs the same way. */
export const MAX_PACK_FILES = 200;

export function defaultPolicyPackDir(): string {
  return packagePath("knowledge", "policy-packs");
}

let bundledGroups: ReadonlySet<string> | undefined;
/** The manufacturer groups of the bundled vocabulary (knowledge/vocabulary/manufacturers.yaml), read once. */
export function knownGroups(): ReadonlySet<string> {
  bundledGroups ??= new Set(
    readYamlFile(
      packagePath("knowledge", "vocabulary", "manufacturers.yaml"),
      ManufacturersFileSchema,
      "manufacturers vocabulary",
    ).manufacturers.map((m) => m.group),
  );
  return bundledGroups;
}

/** zod path -> `binds[0].types[1]`. */
function pathText(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : `${out ? "." : ""}${String(p)}`;
  return out || "(root)";
}

/** Each issue as `field.path: message`; an unknown key is named in the path itself. */
export function issueLines(err: z.ZodError): string[] {
  return err.issues.flatMap((i) =>
    i.code === "unrecognized_keys"
      ? i.keys.map((k) => `${pathText([...i.path, k])}: unknown key`)
      : i.code === "invalid_type" && /received undefined$/.test(i.message)
        ? [`${pathText(i.path)}: missing (required)`]
        : [`${pathText(i.path)}: ${i.message}`],
  );
}

export interface ParseOptions {
  /** manufacturer groups a pack may cover; default: the bundled vocabulary's */
  groups?: ReadonlySet<string>;
}

/**
 * Parse one pack (JSON when the name ends in .json, YAML otherwise). Throws InputError naming the file and the
 * field path of each problem (at most five), e.g. `my.yaml: binds[0].types[1]: Invalid option: ...`.
 */
export function parsePolicyPack(text: string, fileName: string, opts: ParseOptions = {}): PolicyPack {
  if (Buffer.byteLength(text, "utf8") > MAX_PACK_BYTES)
    throw new InputError(`larger than ${MAX_PACK_BYTES} bytes: not a policy pack`, fileName);
  let raw: unknown;
  if (/\.json$/i.test(fileName)) {
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new InputError(`not valid JSON (${(e as Error).message})`, fileName);
    }
  } else {
    raw = parseStrictYaml(text, fileName);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new InputError("(root): a policy pack is a mapping (id, title, binds, covers, ...)", fileName);
  const r = policyPackSchema(opts.groups ?? knownGroups()).safeParse(raw);
  if (!r.success) {
    const lines = issueLines(r.error);
    const more = lines.length > 5 ? `; and ${lines.length - 5} more` : "";
    throw new InputError(lines.slice(0, 5).join("; ") + more, fileName);
  }
  return r.data;
}

/** Read and parse one pack file, refusing an oversized one before reading it. */
export function readPolicyPack(path: string, opts: ParseOptions = {}): PolicyPack {
  return parsePolicyPack(readPackText(path), path, opts);
}

function readPackText(path: string): string {
  try {
    const size = statSync(path).size;
    if (size > MAX_PACK_BYTES)
      throw new InputError(`larger than ${MAX_PACK_BYTES} bytes: not a policy pack`, path);
    return readFileSync(path, "utf8");
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read policy pack (${(e as NodeJS.ErrnoException).code ?? e})`, path);
  }
}

/** A pack with the file it came from and that file's SHA-256, so a verdict can name the exact text it applied. */
export interface LoadedPack {
  pack: PolicyPack;
  file: string;
  sha256: string;
}

/**
 * Every pack under each folder in turn (*.yaml, *.yml, *.json, sorted by path within a folder). Two packs with one
 * id are an error, within a folder or across folders: a user's pack never silently replaces a bundled one.
 */
export function loadPolicyPackFiles(dirs: readonly string[], opts: ParseOptions = {}): LoadedPack[] {
  const byId = new Map<string, string>();
  return dirs.flatMap((dir) => {
    let files: string[];
    try {
      files = listFiles(dir, /\.(ya?ml|json)$/i);
    } catch (e) {
      throw new InputError(`cannot read policy pack folder (${(e as NodeJS.ErrnoException).code ?? e})`, dir);
    }
    if (files.length > MAX_PACK_FILES)
      throw new InputError(`more than ${MAX_PACK_FILES} pack files: not a policy pack folder`, dir);
    return files.map((file) => {
      const text = readPackText(file);
      const pack = parsePolicyPack(text, file, opts);
      const other = byId.get(pack.id);
      if (other) throw new InputError(`id: "${pack.id}" is also the id of ${other}`, file);
      byId.set(pack.id, file);
      return { pack, file, sha256: createHash("sha256").update(text).digest("hex") };
    });
  });
}

/** Every pack under `dir` (*.yaml, *.yml, *.json, sorted by path); two packs with one id are an error. */
export function loadPolicyPacks(dir: string = defaultPolicyPackDir(), opts: ParseOptions = {}): PolicyPack[] {
  return loadPolicyPackFiles([dir], opts).map((l) => l.pack);
}
