/** Parts of nmap's NSE script output that mean what camsweep's own probes read. */
import { canonicalDn } from "./dn.js";
import { str, type Push } from "./read.js";

/**
 * NSE scripts that report what camsweep's own probes read: `http-title` and `http-server-header` become the
 * `http.title` and `http.header.server` parts, `ssl-cert`'s Subject and Issuer lines the `tls.subject` and
 * `tls.issuer` parts, and `http-favicon`'s MD5 the `http.favicon.md5` part, so the same rules apply to an nmap scan.
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
  // http-favicon prints the icon's MD5 when its own list does not know it: the favicon rules then apply.
  const favicon = /\b([0-9A-Fa-f]{32})\b/.exec(str(s["http-favicon"]) ?? "");
  if (favicon) push("http.favicon.md5", (favicon[1] as string).toLowerCase());
  for (const line of (str(s["ssl-cert"]) ?? "").split("\n").slice(0, 40)) {
    const m = /^\s{0,8}(Subject|Issuer): (.+)$/.exec(line);
    if (m) push(m[1] === "Subject" ? "tls.subject" : "tls.issuer", canonicalDn(m[2] as string));
  }
}
