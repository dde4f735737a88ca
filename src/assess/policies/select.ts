import { UsageError } from "../../shared/errors.js";
import type { PolicyPack } from "./schema.js";

/**
 * The packs in force: those named by `ids` (in pack order), or all of them when no ids are given. An id that no
 * pack has is an error, so a misspelt `--policy` never silently drops a rule.
 */
export function selectPacks(packs: readonly PolicyPack[], ids?: readonly string[]): PolicyPack[] {
  if (ids === undefined) return [...packs];
  const known = new Set(packs.map((p) => p.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new UsageError(
      `unknown policy pack ${unknown.map((u) => `"${u}"`).join(", ")} (known: ${[...known].join(", ")})`,
    );
  const wanted = new Set(ids);
  return packs.filter((p) => wanted.has(p.id));
}
