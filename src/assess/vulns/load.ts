/**
 * Reading and writing the vulnerability knowledge: the bundled knowledge/vulnerabilities.yaml, or a user's updated
 * copy in the data directory (YAML, or JSON when the name ends in .json). The only I/O of src/assess/vulns.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { InputError } from "../../shared/errors.js";
import { packagePath } from "../../shared/paths.js";
import { ManufacturersFileSchema } from "../../knowledge/schema.js";
import { MAX_KB_BYTES } from "./limits.js";
import { firstIssue, VulnerabilityKbSchema, type VulnerabilityKb } from "./schema.js";

export function bundledVulnerabilityPath(): string {
  return packagePath("knowledge", "vulnerabilities.yaml");
}

let slugCache: Set<string> | undefined;

/** The maker slugs of knowledge/vocabulary/manufacturers.yaml (read once). */
export function manufacturerSlugs(): Set<string> {
  if (!slugCache) {
    const file = packagePath("knowledge", "vocabulary", "manufacturers.yaml");
    const r = ManufacturersFileSchema.safeParse(parseYaml(readFileSync(file, "utf8")));
    if (!r.success) throw new InputError(firstIssue(r.error), file);
    slugCache = new Set(r.data.manufacturers.map((m) => m.slug));
  }
  return slugCache;
}

/**
 * Checks parsed data against the schema and the maker vocabulary. `name` prefixes every error
 * (`vulnerabilities.yaml: vulnerabilities[3].affected[0].models[1]: ...`).
 */
export function validateVulnerabilityKb(raw: unknown, name: string): VulnerabilityKb {
  const r = VulnerabilityKbSchema.safeParse(raw);
  if (!r.success) throw new InputError(firstIssue(r.error), name);
  const slugs = manufacturerSlugs();
  r.data.vulnerabilities.forEach((v, i) => {
    if (!slugs.has(v.manufacturer))
      throw new InputError(`vulnerabilities[${i}].manufacturer: unknown maker slug ${v.manufacturer}`, name);
  });
  r.data.trackedVendors.forEach((t, i) => {
    if (!slugs.has(t.manufacturer))
      throw new InputError(`trackedVendors[${i}].manufacturer: unknown maker slug ${t.manufacturer}`, name);
  });
  return r.data;
}

/** Reads and validates a vulnerability knowledge file. Throws InputError naming the file and the field. */
export function readVulnerabilityKb(path: string): VulnerabilityKb {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_KB_BYTES) throw new InputError(`too big (${size} bytes; limit ${MAX_KB_BYTES})`, path);
    text = readFileSync(path, "utf8");
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, path);
  }
  let raw: unknown;
  try {
    raw = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    const what = path.endsWith(".json") ? "JSON" : "YAML";
    throw new InputError(`not valid ${what} (${(e as Error).message.split("\n")[0]})`, path);
  }
  return validateVulnerabilityKb(raw, path);
}

/**
 * Writes the knowledge atomically: validated first, then written to a temporary file beside the target and renamed
 * over it, so a reader never sees half a file and a failed write leaves the old copy in place.
 */
export function writeVulnerabilityKb(path: string, kb: VulnerabilityKb): void {
  const valid = validateVulnerabilityKb(kb, path);
  const text = path.endsWith(".json")
    ? `${JSON.stringify(valid, null, 2)}\n`
    : stringifyYaml(valid, { aliasDuplicateObjects: false, lineWidth: 0 });
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    writeFileSync(tmp, text, { encoding: "utf8", mode: 0o644, flush: true });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export interface LoadedVulnerabilities {
  kb: VulnerabilityKb;
  /** the file the knowledge came from */
  file: string;
  /** set when an override was given but could not be used (missing or invalid): why the bundled file was taken */
  warning?: string;
}

/**
 * The user's updated copy when `overridePath` names a readable, valid file; otherwise the bundled knowledge, with a
 * warning saying why the override was not used. A missing override is not an error (no update was ever run).
 */
export function loadVulnerabilities(overridePath?: string): LoadedVulnerabilities {
  let warning: string | undefined;
  if (overridePath) {
    let exists = false;
    try {
      exists = statSync(overridePath).isFile();
    } catch {
      exists = false;
    }
    if (exists) {
      try {
        return { kb: readVulnerabilityKb(overridePath), file: overridePath };
      } catch (e) {
        warning = `ignored ${(e as Error).message}; using the bundled vulnerability data`;
      }
    }
  }
  const file = bundledVulnerabilityPath();
  const out: LoadedVulnerabilities = { kb: readVulnerabilityKb(file), file };
  if (warning) out.warning = warning;
  return out;
}
