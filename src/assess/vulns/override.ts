/**
 * The user's updated copy of the vulnerability knowledge, `<data-dir>/knowledge/vulnerabilities.yaml`, written by
 * `camsweep kb update` and read by the commands that assess devices (loadVulnerabilities(path)).
 *
 * Which knowledge an update starts from (docs/vulnerabilities.md):
 * - no copy yet: the bundled knowledge/vulnerabilities.yaml;
 * - a valid copy whose basedOn.sha256 is the SHA-256 of the bundled file shipped now: that copy;
 * - a copy (valid or not) whose basedOn.sha256 names other bundled data: camsweep was upgraded (or downgraded), and
 *   its curated families, ranges and fixes replace the old ones, so the update starts from the bundled file again
 *   and the copy's earlier feeds must be given again. The bundled file carries no version of its own, so "newer"
 *   is "different";
 * - anything else (unreadable, invalid for the bundled data it names, or without basedOn: not written by kb update)
 *   is refused: an update never replaces a file it cannot account for.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { InputError } from "../../shared/errors.js";
import { fileSha256 } from "../../shared/files.js";
import { MAX_KB_BYTES } from "./limits.js";
import { bundledVulnerabilityPath, readVulnerabilityKb } from "./load.js";
import type { VulnerabilityKb } from "./schema.js";

/** Where `kb update` writes the user's copy, and where assessment looks for it. */
export function vulnerabilityOverridePath(dataDir: string): string {
  return join(dataDir, "knowledge", "vulnerabilities.yaml");
}

export interface KnowledgeBasis {
  /** the bundled file, relative to the package */
  file: string;
  sha256: string;
}

/** The bundled knowledge an update would be based on: its name and the SHA-256 of its bytes. */
export function bundledVulnerabilityBasis(): KnowledgeBasis {
  return { file: "knowledge/vulnerabilities.yaml", sha256: fileSha256(bundledVulnerabilityPath()) };
}

export interface UpdateStart {
  /** the knowledge the update applies the feeds to */
  kb: VulnerabilityKb;
  /** the file it came from */
  file: string;
  /** whether that is the user's copy (else the bundled file) */
  fromOverride: boolean;
  /** set when a copy exists but was set aside for the bundled file: why */
  restarted?: string;
  /** the feeds the set-aside copy had applied (to be given again) */
  setAsideFeeds?: VulnerabilityKb["updated"];
}

/** basedOn.sha256 of a file that fails validation, when it has a well-formed one. */
function rawBasis(path: string): string | undefined {
  try {
    if (statSync(path).size > MAX_KB_BYTES) return undefined;
    const raw = parseYaml(readFileSync(path, "utf8")) as { basedOn?: { sha256?: unknown } } | null;
    const sha = raw?.basedOn?.sha256;
    return typeof sha === "string" && /^[0-9a-f]{64}$/.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

const short = (sha: string) => sha.slice(0, 12);

/** The knowledge an update of `overridePath` starts from (the rule is in the file comment). */
export function updateStartingPoint(
  overridePath: string,
  basis: KnowledgeBasis = bundledVulnerabilityBasis(),
): UpdateStart {
  let exists: boolean;
  try {
    exists = statSync(overridePath).isFile();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR")
      throw new InputError(`cannot read (${code ?? e})`, overridePath);
    exists = false;
  }
  const bundled = (): UpdateStart => ({
    kb: readVulnerabilityKb(bundledVulnerabilityPath()),
    file: bundledVulnerabilityPath(),
    fromOverride: false,
  });
  if (!exists) return bundled();

  const upgraded = (sha: string) =>
    `${overridePath} was based on other bundled data (sha256 ${short(sha)}…, now ${short(basis.sha256)}…): ` +
    "starting from the bundled data again; give its earlier feed files again to re-apply them";
  let kb: VulnerabilityKb;
  try {
    kb = readVulnerabilityKb(overridePath);
  } catch (e) {
    const sha = rawBasis(overridePath);
    if (sha && sha !== basis.sha256) return { ...bundled(), restarted: upgraded(sha) };
    const why = (e as Error).message;
    const bare = why.startsWith(`${overridePath}: `) ? why.slice(overridePath.length + 2) : why;
    throw new InputError(`${bare} (fix or remove the file: kb update does not replace it)`, overridePath);
  }
  if (!kb.basedOn)
    throw new InputError(
      "basedOn: missing: not written by kb update (move it away to update from the bundled data)",
      overridePath,
    );
  if (kb.basedOn.sha256 !== basis.sha256)
    return {
      ...bundled(),
      restarted: upgraded(kb.basedOn.sha256),
      ...(kb.updated ? { setAsideFeeds: kb.updated } : {}),
    };
  return { kb, file: overridePath, fromOverride: true };
}
