/** Target grammar, scope safety and port lists (pure apart from DNS and -iL file reads). */
export { type Host, type ResolveInput, DEFAULT_MAX_HOSTS, resolveTargets } from "./resolve.js";
export { type TargetSpec, parseTarget, specSize } from "./spec.js";
export { inScope } from "./scope.js";
export { type PortSpec, type Service, DEFAULT_PORTS, SERVICES, defaultService, parsePorts } from "./ports.js";
export { type ScopeFile, loadScopeFile } from "./scope-file.js";
export { type StandingScope } from "./resolve.js";
export { collapseRanges } from "./ranges.js";
