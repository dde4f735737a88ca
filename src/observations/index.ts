export * from "./observation.js";
export { readObservationsFile, parseObservations, describeIssues } from "./read.js";
