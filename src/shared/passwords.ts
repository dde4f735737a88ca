import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Password hashes with scrypt (memory-hard, in Node itself: no native dependency), kept as
 * `scrypt$N$r$p$salt$hash` (base64url) so the cost can be raised later while old hashes still verify.
 * N = 2^15, r = 8, p = 3: one of OWASP's recommended scrypt settings (32 MiB per hash).
 */
const COST = { N: 2 ** 15, r: 8, p: 3 };
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...o, maxmem: 256 * o.N * o.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, KEY_BYTES, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ["scrypt", COST.N, COST.r, COST.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** True when the password matches; false for a wrong one or a hash camsweep did not write. Constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split("$");
  if (kind !== "scrypt" || !salt || !key) return false;
  const o = { N: Number(n), r: Number(r), p: Number(p) };
  if (![o.N, o.r, o.p].every((x) => Number.isInteger(x) && x > 0) || o.N > 2 ** 20 || o.r > 32 || o.p > 16)
    return false;
  const want = Buffer.from(key, "base64url");
  const got = await derive(password, Buffer.from(salt, "base64url"), o);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** What a new password must be: long enough to resist guessing, and not absurdly long (scrypt reads it all). */
export function passwordProblem(password: string): string | null {
  if (password.length < 12) return "at least 12 characters";
  if (password.length > 1024) return "at most 1024 characters";
  return null;
}
