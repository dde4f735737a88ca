import { findElement, safeXml, str } from "../../identify/parts/read.js";

/** At most this many XAddrs are read from one reply. */
const MAX_XADDRS = 8;

/**
 * The device-service URLs of a ProbeMatch or Hello (the XAddrs element, space-separated: protocols.md §5.1), and
 * whether the reply names ONVIF video (an NVT or NVD type, or onvif:// scopes). XML without a DTD only (safeXml):
 * an unreadable reply gives no URL, so nothing is fetched on its word.
 */
export function readProbeMatch(text: string): { xaddrs: string[]; video: boolean } {
  const tree = safeXml(text);
  if (!tree) return { xaddrs: [], video: false };
  const xaddrs = (str(findElement(tree, "XAddrs")) ?? "")
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, MAX_XADDRS);
  const types = str(findElement(tree, "Types")) ?? "";
  const scopes = str(findElement(tree, "Scopes")) ?? "";
  const video =
    /NetworkVideoTransmitter|NetworkVideoDisplay/.test(types) || /onvif:\/\/www\.onvif\.org\//i.test(scopes);
  return { xaddrs, video };
}
