/** Maps a connect failure to a port state (nmap's vocabulary). */
export type PortState = "open" | "closed" | "filtered";

export function stateFromError(e: unknown): Exclude<PortState, "open"> {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  // RST -> closed; silence, ICMP unreachable, or anything else -> filtered.
  return code === "ECONNREFUSED" ? "closed" : "filtered";
}
