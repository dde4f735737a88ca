export {
  defaultPolicyPackDir,
  knownGroups,
  loadPolicyPackFiles,
  loadPolicyPacks,
  parsePolicyPack,
  readPolicyPack,
  MAX_PACK_BYTES,
  MAX_PACK_FILES,
} from "./load.js";
export type { LoadedPack, ParseOptions } from "./load.js";
export { selectPacks } from "./select.js";
export { jurisdictionWithin, ruleMatch } from "./scope.js";
export type { ScopeOrganization } from "./scope.js";
export { PACK_SECTORS, policyPackSchema } from "./schema.js";
export type {
  Clause,
  Covers,
  Deadline,
  OrganizationType,
  PackSector,
  PackSource,
  PolicyPack,
  Prohibition,
  Prohibits,
  ScopeRule,
} from "./schema.js";
