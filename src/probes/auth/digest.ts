import { createHash, randomBytes } from "node:crypto";

/**
 * Client side of HTTP Digest (RFC 7616): read a device's challenges, build ONE Authorization value. MD5 with
 * qop=auth is what Hikvision ISAPI offers (protocols.md §2.5); SHA-256 is used only when no MD5 challenge is offered
 * (some Dahua firmware offers algorithm=SHA-256, §6.4). Everything in a challenge is device text: sizes are capped
 * and the values we echo are re-quoted, so a hostile realm cannot split the header.
 */

export type DigestAlgorithm = "MD5" | "SHA-256";

export interface DigestChallenge {
  realm: string;
  nonce: string;
  /** "auth", or undefined for an RFC 2069 challenge without qop */
  qop?: "auth";
  algorithm: DigestAlgorithm;
  /** true when the challenge named its algorithm (it is then echoed) */
  algorithmNamed: boolean;
  opaque?: string;
}

export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

const MAX_CHALLENGES = 16;
const MAX_PARAMS = 32;
const MAX_VALUE = 512;

/**
 * Splits WWW-Authenticate values into challenges. One value may hold several ("Digest qop=..., Basic realm=..."
 * on Hikvision, §2.5), and a device may send several headers.
 */
export function parseChallenges(values: readonly string[]): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  for (const value of values) {
    const re = /[\s,]*([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?:\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*))?/y;
    let current: AuthChallenge | undefined;
    for (let m = re.exec(value); m && m[0].length > 0 && out.length <= MAX_CHALLENGES; m = re.exec(value)) {
      const [, name, raw] = m as unknown as [string, string, string | undefined];
      if (raw === undefined) {
        current = { scheme: name, params: {} };
        out.push(current);
      } else if (current && Object.keys(current.params).length < MAX_PARAMS) {
        const v = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw;
        current.params[name.toLowerCase()] = v.slice(0, MAX_VALUE + 1);
      }
    }
  }
  return out.slice(0, MAX_CHALLENGES);
}

/** The Digest challenge we can answer, preferring MD5; undefined when none is usable (say why with `offered`). */
export function pickDigest(challenges: readonly AuthChallenge[]): DigestChallenge | undefined {
  const usable: DigestChallenge[] = [];
  for (const c of challenges) {
    if (c.scheme.toLowerCase() !== "digest") continue;
    const { realm, nonce, opaque } = c.params;
    if (realm === undefined || !nonce) continue;
    if ([realm, nonce, opaque ?? ""].some((v) => v.length > MAX_VALUE || /[\x00-\x1f\x7f]/.test(v))) continue;
    const named = c.params.algorithm;
    const algorithm = (named ?? "MD5").toUpperCase();
    if (algorithm !== "MD5" && algorithm !== "SHA-256") continue; // -sess variants and others: not supported
    const qops = c.params.qop?.split(",").map((q) => q.trim().toLowerCase());
    if (qops && !qops.includes("auth")) continue; // auth-int only: we would have to hash the body; not needed here
    usable.push({
      realm,
      nonce,
      algorithm,
      algorithmNamed: named !== undefined,
      ...(qops ? { qop: "auth" as const } : {}),
      ...(opaque !== undefined ? { opaque } : {}),
    });
  }
  return usable.find((d) => d.algorithm === "MD5") ?? usable[0];
}

/** Schemes offered, for the message when none can be answered ("Basic", "Digest SHA-512-256"). */
export function offered(challenges: readonly AuthChallenge[]): string {
  const names = challenges.map((c) =>
    c.scheme.toLowerCase() === "digest" && c.params.algorithm ? `Digest ${c.params.algorithm}` : c.scheme,
  );
  return names.length ? names.join(", ").slice(0, 200) : "none";
}

const hash = (algorithm: DigestAlgorithm, s: string) =>
  createHash(algorithm === "MD5" ? "md5" : "sha256")
    .update(s, "utf8")
    .digest("hex");

/** A quoted-string: backslash before " and \ (RFC 7230). Control characters never get here (checked above). */
const q = (s: string) => `"${s.replace(/["\\]/g, "\\$&")}"`;

export interface DigestInput {
  method: string;
  /** request target exactly as on the request line */
  uri: string;
  realm: string;
  nonce: string;
  username: string;
  password: string;
  /** default "auth"; null for an RFC 2069 challenge without qop */
  qop?: "auth" | null;
  algorithm?: DigestAlgorithm;
  /** echo `algorithm=` (when the challenge named it) */
  algorithmNamed?: boolean;
  opaque?: string;
  cnonce?: string;
  nc?: string;
}

/** The Authorization value and the values in it that derive from the password (never to be recorded). */
export function digestAuthorizationParts(o: DigestInput): { header: string; secrets: string[] } {
  const algorithm = o.algorithm ?? "MD5";
  const qop = o.qop === undefined ? "auth" : o.qop;
  const cnonce = o.cnonce ?? randomBytes(8).toString("hex");
  const nc = o.nc ?? "00000001";
  const ha1 = hash(algorithm, `${o.username}:${o.realm}:${o.password}`);
  const ha2 = hash(algorithm, `${o.method}:${o.uri}`);
  const response =
    qop === "auth"
      ? hash(algorithm, `${ha1}:${o.nonce}:${nc}:${cnonce}:auth:${ha2}`)
      : hash(algorithm, `${ha1}:${o.nonce}:${ha2}`);
  const fields = [
    `username=${q(o.username)}`,
    `realm=${q(o.realm)}`,
    `nonce=${q(o.nonce)}`,
    `uri=${q(o.uri)}`,
    ...(o.algorithmNamed || algorithm !== "MD5" ? [`algorithm=${algorithm}`] : []),
    ...(qop === "auth" ? [`qop=auth`, `nc=${nc}`, `cnonce=${q(cnonce)}`] : []),
    `response=${q(response)}`,
    ...(o.opaque !== undefined ? [`opaque=${q(o.opaque)}`] : []),
  ];
  return { header: `Digest ${fields.join(", ")}`, secrets: [response, ha1] };
}

/** Build an Authorization value (tests, the lab's fixtures and authorized scans). */
export function digestAuthorization(o: DigestInput): string {
  return digestAuthorizationParts({ cnonce: "0a4f113b", ...o }).header;
}
