/**
 * Active, read-only verification of a vulnerability on one device, only where a scope file's verify section
 * authorizes it (targets/scope-file.ts). Each check sends one harmless request and says so in its result.
 */
export {
  CVE_2017_7921,
  CVE_2017_7921_PATH,
  CVE_2017_7921_STATEMENT,
  VERIFY_MAX_BODY_BYTES,
  VERIFY_TIMEOUT_MS,
  type VerifyOptions,
  type VerifyResult,
  type VerifyStatus,
  type VerifyTarget,
  verifyCve20177921,
} from "./cve-2017-7921.js";
