/**
 * MAC addresses of scanned hosts from neighbour tables: the local one (readNeighbours: `ip neigh`,
 * /proc/net/arp; reading only, nothing is sent) or an exported one (readNeighbourFile: a Windows `arp -a`,
 * Get-NetNeighbor, a saved `ip neigh`), turned into `neighbour` observations for the scanned hosts only.
 */
export {
  type NeighbourEntry,
  type NeighbourError,
  type NeighbourParse,
  normaliseMac,
  normaliseAddress,
} from "./entry.js";
export { parseProcNetArp, parseIpNeigh, parseIpNeighJson } from "./linux.js";
export { parseWindowsArp, parseGetNetNeighbor } from "./windows.js";
export {
  type NeighbourFormat,
  type ParsedTable,
  MAX_FILE_BYTES,
  detectNeighbourFormat,
  parseNeighbourTable,
  readNeighbourFile,
} from "./detect.js";
export {
  type LocalNeighbours,
  type NeighbourSource,
  type NeighbourTable,
  type ReadNeighboursOptions,
  readNeighbours,
} from "./read.js";
export { type NeighbourObservationOptions, neighbourObservations } from "./observe.js";
