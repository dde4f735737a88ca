/**
 * Procurement screening (`camsweep screen`): each line of a purchase order, catalogue or bill of materials, or one
 * product string, judged prohibited / needs attestation / clear for the buyer, with the evidence, the relation to a
 * covered maker and the policies behind it. The core (screen.ts) is pure; this loads what it reads.
 */
import { existsSync } from "node:fs";
import { defaultPolicyPackDir, loadPolicyPackFiles, selectPacks } from "../assess/policies/index.js";
import { userPolicyDir } from "../assess/knowledge.js";
import { defaultKnowledgeDir, loadKnowledge } from "../knowledge/load.js";
import { loadProcurementKnowledge } from "./knowledge.js";
import { indexNames } from "./names.js";
import type { ScreenContext } from "./screen.js";

export { screenLine, VERDICT_THRESHOLD } from "./screen.js";
export type {
  LineVerdict,
  Relation,
  ScreenContext,
  ScreenEvidence,
  ScreenPolicy,
  ScreenResult,
} from "./screen.js";
export type { LineFields, LineField } from "./evidence.js";
export { LIST_FIELDS, LIST_KINDS, listKey } from "./lists.js";
export type { ListEntry, ListField, ListKind } from "./lists.js";
export { fold } from "./names.js";

/** Everything a screen reads but the buyer and its lists: bundled knowledge, bundled and the user's policy packs. */
export function loadScreenKnowledge(o: {
  dataDir?: string;
  policyDirs?: readonly string[];
  policies?: readonly string[];
  knowledgeDir?: string;
}): Omit<ScreenContext, "organization" | "lists"> {
  const kb = loadKnowledge(o.knowledgeDir ?? defaultKnowledgeDir());
  const procurement = loadProcurementKnowledge(o.knowledgeDir ?? defaultKnowledgeDir());
  const user = o.dataDir ? userPolicyDir(o.dataDir) : undefined;
  const dirs = [defaultPolicyPackDir(), ...(user && existsSync(user) ? [user] : []), ...(o.policyDirs ?? [])];
  const packs = selectPacks(
    loadPolicyPackFiles(dirs).map((l) => l.pack),
    o.policies,
  );
  return {
    kb,
    names: indexNames(procurement.names, kb.brands),
    components: procurement.components,
    models: procurement.models,
    packs,
  };
}
