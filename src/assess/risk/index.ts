/**
 * The risk score (issue 7): weights as data (knowledge/risk.yaml), the pure score with its factors, the order of a
 * replacement plan, and the cloud contacts a device's DNS evidence shows.
 */
export {
  CLOUD_ROLES,
  RISK_MAX,
  RiskWeightsSchema,
  type CloudRole,
  type CvssBand,
  type RiskWeights,
  type Weight,
} from "./schema.js";
export { bundledRiskWeightsPath, loadRiskWeights, parseRiskWeights, MAX_RISK_WEIGHTS_BYTES } from "./load.js";
export {
  compareRisk,
  levelOf,
  ransomwareCves,
  riskOf,
  type Risk,
  type RiskFactor,
  type RiskInput,
  type RiskLevel,
  type RiskRank,
  type SiteCriticality,
} from "./score.js";
export { cloudContacts, type CloudContact, type CloudEvidence } from "./cloud.js";
