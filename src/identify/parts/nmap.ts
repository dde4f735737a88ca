/** Parts of nmap's NSE script output that mean what camsweep's own probes read. */
import { str, type Push } from "./read.js";

/**
 * NSE scripts that report what camsweep's own probes read: `http-title` and `http-server-header` become the
 * `http.title` and `http.header.server` parts, so the same rules apply to an nmap scan.
 */
export function nmapScriptParts(scripts: unknown, push: Push): void {
  if (!scripts || typeof scripts !== "object" || Array.isArray(scripts)) return;
  const s = scripts as Record<string, unknown>;
  const title = str(s["http-title"])?.split("\n")[0]?.trim();
  // nmap's own words when there is no title are not a title.
  if (
    title &&
    !/^Site doesn't have a title\b|^Did not follow redirect\b|^Requested resource was\b/.test(title)
  )
    push("http.title", title);
  for (const line of (str(s["http-server-header"]) ?? "").split("\n").slice(0, 10)) {
    const v = line.trim();
    if (v) push("http.header.server", v);
  }
}
