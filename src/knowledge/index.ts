export { loadKnowledge, parseKnowledge, defaultKnowledgeDir } from "./load.js";
export type { KnowledgeBase, VerifyIssue } from "./load.js";
export { verifyKnowledge, verifyFingerprintFile } from "./verify.js";
export type { Rule, FingerprintFile, Manufacturer, Brand, Policy, Source, Example, When } from "./schema.js";
export type { CompiledRule, PartCtx } from "./compile.js";
