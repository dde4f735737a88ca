import { createHash, timingSafeEqual } from "node:crypto";

/** Parse `Digest k="v", k=v, ...` into a map (lower-case keys). Returns undefined if not Digest. */
export function parseDigest(header: string): Record<string, string> | undefined {
  const m = /^\s*Digest\s+(.*)$/is.exec(header);
  if (!m?.[1]) return undefined;
  const out: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/g;
  let part: RegExpExecArray | null;
  let count = 0;
  while ((part = re.exec(m[1])) && count++ < 32) {
    const key = (part[1] as string).toLowerCase();
    out[key] = part[2] !== undefined ? part[2].replace(/\\(.)/g, "$1") : (part[3] ?? "");
  }
  return out;
}

const md5 = (s: string) => createHash("md5").update(s, "utf8").digest("hex");

export interface DigestCheck {
  method: string;
  /** request target as sent on the request line */
  uri: string;
  realm: string;
  username: string;
  password: string;
  /** true when this nonce was issued by the device */
  knownNonce: (nonce: string) => boolean;
}

/** RFC 7616/2617 Digest, MD5, with qop=auth or no qop. */
export function verifyDigest(authorization: string | undefined, c: DigestCheck): boolean {
  if (!authorization) return false;
  const d = parseDigest(authorization);
  if (!d) return false;
  const { username, realm, nonce, uri, response } = d;
  if (!username || !realm || !nonce || !uri || !response) return false;
  const algorithm = (d.algorithm ?? "MD5").toUpperCase();
  if (algorithm !== "MD5") return false;
  if (username !== c.username || realm !== c.realm || !c.knownNonce(nonce)) return false;
  // The uri field must name the requested resource (compare without scheme/host for RTSP absolute URIs).
  if (stripHost(uri) !== stripHost(c.uri)) return false;
  const ha1 = md5(`${c.username}:${c.realm}:${c.password}`);
  const ha2 = md5(`${c.method}:${uri}`);
  let expected: string;
  if (d.qop === undefined) expected = md5(`${ha1}:${nonce}:${ha2}`);
  else if (d.qop === "auth" && d.nc && d.cnonce)
    expected = md5(`${ha1}:${nonce}:${d.nc}:${d.cnonce}:auth:${ha2}`);
  else return false;
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(response.toLowerCase(), "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

function stripHost(uri: string): string {
  const m = /^[a-z]+:\/\/[^/]*(\/.*)?$/i.exec(uri);
  return m ? (m[1] ?? "/") : uri;
}

/** Client side (tests, fixtures): the computation lives with the authorized-credential probes. */
export { digestAuthorization } from "../probes/auth/digest.js";
