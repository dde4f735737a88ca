import type { MessageResponseT } from "../../observations/observation.js";
import { decodeBytes, urlHost } from "../observe.js";

/** node's rawHeaders ([k1, v1, k2, v2...]) to [name, value] pairs, wire order and case kept. */
export function headerPairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}

export function toResponse(
  status: number,
  httpVersion: string,
  reason: string | undefined,
  rawHeaders: string[],
  body: Buffer,
  truncated: boolean,
): MessageResponseT {
  const { text, encoding } = decodeBytes(body, truncated);
  return {
    status,
    version: `HTTP/${httpVersion}`,
    ...(reason !== undefined ? { reason } : {}),
    headers: headerPairs(rawHeaders),
    body: text,
    ...(encoding === "base64" ? { bodyEncoding: "base64" as const } : {}),
    ...(truncated ? { truncated: true } : {}),
  };
}

export interface Hop {
  scheme: "http" | "https";
  port: number;
  path: string;
}

/**
 * Where a redirect may go: only http(s) on the same host (address or the hostname the user gave);
 * anything else (another host, javascript:, garbage) returns undefined and is not followed.
 */
export function sameHostRedirect(
  location: string,
  from: { scheme: "http" | "https"; port: number; path: string },
  host: { address: string; hostname?: string },
): Hop | undefined {
  let url: URL;
  try {
    url = new URL(location, `${from.scheme}://${urlHost(host.address)}:${from.port}${from.path}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.username || url.password) return undefined;
  const h = url.hostname.toLowerCase();
  const allowed = [urlHost(host.address).toLowerCase(), host.hostname?.toLowerCase()];
  if (!allowed.includes(h)) {
    // URL normalises IPv4/IPv6 text; compare the canonical forms too.
    if (h !== new URL(`http://${urlHost(host.address)}/`).hostname) return undefined;
  }
  const scheme = url.protocol === "https:" ? "https" : "http";
  const port = url.port ? Number(url.port) : scheme === "https" ? 443 : 80;
  return { scheme, port, path: `${url.pathname}${url.search}` };
}
