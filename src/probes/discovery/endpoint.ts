import ipaddr from "ipaddr.js";
import type { Hop } from "../http/parse.js";

/** Longest path (with query) taken from a device-named URL; a longer one is not followed. */
export const MAX_FOLLOW_PATH = 512;
/** Longest URL kept in a "not followed" record. */
const MAX_URL_KEPT = 300;

export type Endpoint = { hop: Hop } | { reason: string };

const canonical = (host: string): string | undefined => {
  try {
    return ipaddr.process(host.replace(/^\[|\]$/g, "")).toString();
  } catch {
    return undefined;
  }
};

/**
 * Where a device-named URL (an ONVIF XAddr, an SSDP LOCATION) may be fetched: only http(s) on the very address that
 * replied, at the URL's port, with a bounded path. A device may name any URL; anything else (another address, a
 * hostname, credentials in the URL, an over-long path, garbage) is refused with the reason, never followed.
 */
export function sameHostEndpoint(url: string, address: string): Endpoint {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { reason: "is not a URL" };
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    return { reason: `has scheme ${u.protocol.slice(0, 20)}, not http(s)` };
  if (u.username || u.password) return { reason: "carries credentials" };
  const host = canonical(u.hostname);
  const want = canonical(address);
  if (!host || !want || host !== want)
    return {
      reason: `names ${u.hostname.slice(0, 100) || "no host"}, not the address that replied (${address})`,
    };
  const path = `${u.pathname}${u.search}`;
  if (path.length > MAX_FOLLOW_PATH)
    return { reason: `has a path longer than ${MAX_FOLLOW_PATH} characters` };
  const scheme = u.protocol === "https:" ? "https" : "http";
  return { hop: { scheme, port: u.port ? Number(u.port) : scheme === "https" ? 443 : 80, path } };
}

/** A device-named URL as kept in a record: cut, and without control characters. */
export const keptUrl = (url: string) => url.slice(0, MAX_URL_KEPT).replace(/[\x00-\x1f\x7f]/g, "?");
