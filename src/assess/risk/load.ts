/**
 * Reading the risk weights: the bundled knowledge/risk.yaml, or a file the user names. The only I/O of
 * src/assess/risk.
 */
import { readFileSync, statSync } from "node:fs";
import { InputError } from "../../shared/errors.js";
import { packagePath } from "../../shared/paths.js";
import { parseStrictYaml } from "../../shared/yaml-file.js";
import { issueLines } from "../policies/load.js";
import { RiskWeightsSchema, type RiskWeights } from "./schema.js";

/** The weights are a page of text; anything larger is not a weights file (and would cost the YAML parser). */
export const MAX_RISK_WEIGHTS_BYTES = 64 * 1024;

export function bundledRiskWeightsPath(): string {
  return packagePath("knowledge", "risk.yaml");
}

/** Checks parsed data; every error names `file` and the field (`kev.exact.points: ...`), at most five at once. */
export function parseRiskWeights(text: string, file: string): RiskWeights {
  if (Buffer.byteLength(text, "utf8") > MAX_RISK_WEIGHTS_BYTES)
    throw new InputError(`larger than ${MAX_RISK_WEIGHTS_BYTES} bytes: not a risk weights file`, file);
  const raw = parseStrictYaml(text, file);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new InputError(
      "(root): risk weights are a mapping (schemaVersion, levels, policy, kev, ...)",
      file,
    );
  const r = RiskWeightsSchema.safeParse(raw);
  if (!r.success) {
    const lines = issueLines(r.error);
    const more = lines.length > 5 ? `; and ${lines.length - 5} more` : "";
    throw new InputError(lines.slice(0, 5).join("; ") + more, file);
  }
  return r.data;
}

let bundled: RiskWeights | undefined;

/**
 * The weights of `path`, or of the bundled knowledge/risk.yaml (read once). Throws InputError naming the file and
 * the field on anything wrong; an oversized file is refused before it is read.
 */
export function loadRiskWeights(path?: string): RiskWeights {
  if (!path && bundled) return bundled;
  const file = path ?? bundledRiskWeightsPath();
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_RISK_WEIGHTS_BYTES)
      throw new InputError(`larger than ${MAX_RISK_WEIGHTS_BYTES} bytes: not a risk weights file`, file);
    text = readFileSync(file, "utf8");
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(
      `cannot read risk weights (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      file,
    );
  }
  const weights = parseRiskWeights(text, file);
  if (!path) bundled = weights;
  return weights;
}
