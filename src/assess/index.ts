/**
 * The assessment stage: which rules bind each device's owner (policies/, verdict.ts), which known vulnerabilities it
 * carries (vulns/), its risk (risk/), and the run that writes them to the inventory (run.ts).
 */
export {
  assessDevice,
  type AssessedDevice,
  type AssessedVulnerability,
  type AssessmentKnowledge,
  type AssessmentStatus,
  type DeviceAssessment,
  type DeviceOwner,
  type Verification,
} from "./assess.js";
export { loadAssessmentKnowledge, userPolicyDir, type KnowledgeChoice } from "./knowledge.js";
export { runAssessment, type AssessmentOutcome, type RunAssessmentOptions } from "./run.js";
export { verdictFor, type Finding, type Verdict, type VerdictStatus, type ChainStep } from "./verdict.js";
