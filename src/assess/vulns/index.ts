/** Known vulnerabilities of identified devices: data (knowledge/vulnerabilities.yaml), matching and feed updates. */
export type {
  Cvss,
  Kev,
  TrackedVendor,
  Vulnerability,
  VulnerabilityKb,
  VulnGroup,
  VulnRange,
} from "./schema.js";
export { VulnerabilityKbSchema } from "./schema.js";
export {
  bundledVulnerabilityPath,
  loadVulnerabilities,
  readVulnerabilityKb,
  validateVulnerabilityKb,
  writeVulnerabilityKb,
  type LoadedVulnerabilities,
} from "./load.js";
export { matchVulnerabilities, type Certainty, type VulnDevice, type VulnMatch } from "./match.js";
export {
  parseKevCatalog,
  parseNvdFeed,
  type FeedOptions,
  type KevCatalog,
  type KevEntry,
  type NvdCve,
  type NvdFeed,
} from "./feeds.js";
export {
  updateFromFeedTexts,
  updateKnowledge,
  type ChangeKind,
  type UpdateResult,
  type VulnChange,
} from "./update.js";
export {
  bundledVulnerabilityBasis,
  updateStartingPoint,
  vulnerabilityOverridePath,
  type KnowledgeBasis,
  type UpdateStart,
} from "./override.js";
export { compilePattern, modelMatches, patternProblem } from "./model-pattern.js";
export { MAX_FEED_BYTES, MAX_KB_BYTES } from "./limits.js";
