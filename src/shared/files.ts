import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Files under `dir` whose names match `pattern`, depth-first in sorted order (a stable order makes rule order and
 * corpus order reproducible). `skipUnreadable`: a directory that cannot be read counts as empty instead of throwing.
 */
export function listFiles(dir: string, pattern: RegExp, skipUnreadable = false): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    if (skipUnreadable) return [];
    throw e;
  }
  const out: string[] = [];
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, pattern, skipUnreadable));
    else if (pattern.test(n)) out.push(p);
  }
  return out;
}

/** The SHA-256 of a (small) file's bytes, hex: names the exact knowledge file a result was computed from. */
export function fileSha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}
