import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadKnowledge } from "../knowledge/index.js";
import type { AssessmentRun } from "../inventory/index.js";
import { fileSha256 } from "../shared/files.js";
import type { AssessmentKnowledge } from "./assess.js";
import { defaultPolicyPackDir, loadPolicyPackFiles, selectPacks } from "./policies/index.js";
import { bundledRiskWeightsPath, loadRiskWeights, ransomwareCves } from "./risk/index.js";
import { bundledVulnerabilityBasis, loadVulnerabilities, vulnerabilityOverridePath } from "./vulns/index.js";

/**
 * Everything an assessment applies, read from files (the I/O beside the pure core): the policy packs (bundled, the
 * user's in <data-dir>/policy-packs, any --policy-dir), the vulnerability data (the user's updated copy when
 * `kb update` wrote one), the risk weights and the maker vocabulary. Each file is named with its SHA-256 so a stored
 * verdict can be traced to the exact text behind it.
 */

export interface KnowledgeChoice {
  dataDir: string;
  /** more folders of the user's packs */
  policyDirs?: readonly string[];
  /** apply only these pack ids (default: every pack loaded) */
  policies?: readonly string[];
  /** YYYY-MM-DD */
  today: string;
}

export interface LoadedAssessmentKnowledge {
  knowledge: AssessmentKnowledge;
  /** what the run records of it */
  basis: Omit<AssessmentRun, "organizationId">;
  warnings: string[];
}

/** The folder a user drops their own packs in; read when it exists. */
export function userPolicyDir(dataDir: string): string {
  return join(dataDir, "policy-packs");
}

/**
 * The user's updated copy is used as it is (its KEV additions may be newer than anything bundled), but a copy based
 * on other bundled data than this camsweep's misses the bundled families and fixes: say so.
 */
function staleCopy(basedOn: string | undefined, file: string): string[] {
  if (basedOn === undefined || basedOn === bundledVulnerabilityBasis().sha256) return [];
  return [
    `${file} was updated from other bundled vulnerability data than this camsweep's: ` +
      "run camsweep kb update again with the same feed files to carry its changes onto the current data",
  ];
}

export function loadAssessmentKnowledge(c: KnowledgeChoice): LoadedAssessmentKnowledge {
  const user = userPolicyDir(c.dataDir);
  const dirs = [defaultPolicyPackDir(), ...(existsSync(user) ? [user] : []), ...(c.policyDirs ?? [])];
  const loaded = loadPolicyPackFiles(dirs);
  const chosen = new Set(
    selectPacks(
      loaded.map((l) => l.pack),
      c.policies,
    ).map((p) => p.id),
  );
  const packs = loaded.filter((l) => chosen.has(l.pack.id));
  const vulns = loadVulnerabilities(vulnerabilityOverridePath(c.dataDir));
  const weightsFile = bundledRiskWeightsPath();
  const kb = loadKnowledge();
  return {
    knowledge: {
      packs: packs.map((l) => l.pack),
      vocabulary: { manufacturers: kb.manufacturers, brands: kb.brands },
      vulnerabilities: vulns.kb,
      weights: loadRiskWeights(weightsFile),
      today: c.today,
      ransomware: ransomwareCves(vulns.kb),
    },
    basis: {
      packs: packs.map((l) => ({ id: l.pack.id, file: l.file, sha256: l.sha256 })),
      knowledge: {
        vulnerabilities: { file: vulns.file, sha256: fileSha256(vulns.file) },
        risk: { file: weightsFile, sha256: fileSha256(weightsFile) },
      },
      day: c.today,
    },
    warnings: [...(vulns.warning ? [vulns.warning] : []), ...staleCopy(vulns.kb.basedOn?.sha256, vulns.file)],
  };
}
