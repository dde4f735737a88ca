import { existsSync, readFileSync, statSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { CamsweepError, InputError, UsageError } from "../shared/errors.js";
import { parseAllow } from "../targets/scope.js";
import type { TargetSpec } from "../targets/spec.js";
import { Credential, CredentialSet } from "./credential.js";

/**
 * Authorized, read-only credentials (docs/probes.md "Authorized credentials"). From a YAML file:
 *
 *   credentials:
 *     - scope: [10.20.0.0/16, 10.30.1.5]
 *       username: audit
 *       passwordEnv: CAMSWEEP_PW_SITE_A     # the file need not hold the secret
 *
 * or from the environment: CAMSWEEP_CREDENTIALS=<file>, and CAMSWEEP_USERNAME + CAMSWEEP_PASSWORD for one account
 * covering the whole scan scope (checked after the file's entries). Never from the command line, where a password is
 * visible to every user of the machine (ps) and kept in shell history.
 */

// Control characters would split or corrupt the Authorization header or the SOAP envelope.
const printable = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(256)
    .regex(/^[^\x00-\x1f\x7f]*$/, `${what} must not contain control characters`);

const Entry = z
  .object({
    scope: z.union([z.string(), z.array(z.string()).min(1)]).transform((s) => (Array.isArray(s) ? s : [s])),
    username: printable("username"),
    password: z.union([z.string(), z.number()]).transform(String).pipe(printable("password")).optional(),
    passwordEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "passwordEnv is the name of an environment variable")
      .optional(),
  })
  .strict()
  .refine((e) => (e.password === undefined) !== (e.passwordEnv === undefined), {
    message: "give password or passwordEnv (exactly one)",
    path: ["password"],
  });

const FileSchema = z.object({ credentials: z.array(Entry) }).strict();

export const ENV_FILE = "CAMSWEEP_CREDENTIALS";
export const ENV_USERNAME = "CAMSWEEP_USERNAME";
export const ENV_PASSWORD = "CAMSWEEP_PASSWORD";

/**
 * The credentials for a scan: `file` (else $CAMSWEEP_CREDENTIALS), then $CAMSWEEP_USERNAME/$CAMSWEEP_PASSWORD as a
 * catch-all. No file and no variables: an empty set (no authenticated request is ever made).
 */
export function loadCredentials(file?: string, env: NodeJS.ProcessEnv = process.env): CredentialSet {
  const entries: Credential[] = [];
  const path = file ?? (env[ENV_FILE] || undefined);
  if (path !== undefined) entries.push(...readFile(path, env));
  const user = env[ENV_USERNAME];
  const pass = env[ENV_PASSWORD];
  if (user || pass) {
    if (!user) throw new UsageError(`${ENV_PASSWORD} is set but ${ENV_USERNAME} is not`);
    if (!pass) throw new UsageError(`${ENV_USERNAME} is set but ${ENV_PASSWORD} is not`);
    const u = printable("username").safeParse(user);
    const p = printable("password").safeParse(pass);
    if (!u.success) throw new UsageError(`${ENV_USERNAME}: ${u.error.issues[0]?.message}`);
    if (!p.success) throw new UsageError(`${ENV_PASSWORD}: ${p.error.issues[0]?.message}`);
    entries.push(new Credential(u.data, p.data, "environment"));
  }
  return new CredentialSet(entries);
}

function readFile(path: string, env: NodeJS.ProcessEnv): Credential[] {
  if (!existsSync(path)) throw new InputError("credentials file not found", path);
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, "utf8")) ?? {};
  } catch (e) {
    // The YAML error quotes the offending line, which may hold a password: keep only its first line.
    throw new InputError(`not valid YAML (${firstLine(e)})`, path);
  }
  const r = FileSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    // zod messages never echo the input value, so a malformed password is not printed.
    throw new InputError(`${i?.path.join(".") || "(root)"}: ${i?.message}`, path);
  }
  if (r.data.credentials.some((e) => e.password !== undefined)) refuseOpenFile(path);
  return r.data.credentials.map((e, i) => {
    const field = `credentials.${i}`;
    const scope = e.scope.flatMap((s, j) => parseScope(s, path, `${field}.scope.${j}`));
    let password = e.password;
    if (e.passwordEnv !== undefined) {
      password = env[e.passwordEnv];
      if (!password)
        throw new InputError(`${field}.passwordEnv: environment variable ${e.passwordEnv} is not set`, path);
      const p = printable("password").safeParse(password);
      if (!p.success)
        throw new InputError(`${field}.passwordEnv: ${e.passwordEnv}: ${p.error.issues[0]?.message}`, path);
    }
    return new Credential(e.username, password as string, `${path} ${field}`, e.scope, scope);
  });
}

function parseScope(s: string, path: string, field: string): TargetSpec[] {
  try {
    return parseAllow([s]);
  } catch (e) {
    const msg = e instanceof CamsweepError ? e.message.replace(/^--allow [^:]*: /, "") : String(e);
    throw new InputError(`${field}: ${msg}`, path);
  }
}

/**
 * Like ssh with a private key: a file holding a clear password must be readable by its owner only. (Windows has no
 * such mode bits; the check is skipped there.)
 */
function refuseOpenFile(path: string): void {
  if (process.platform === "win32") return;
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077)
    throw new InputError(
      `holds a password but its permissions ${mode.toString(8).padStart(4, "0")} let other users read or change it; ` +
        `run "chmod 600 ${path}", or move the password to an environment variable (passwordEnv)`,
      path,
    );
}

function firstLine(e: unknown): string {
  return (
    String((e as Error)?.message ?? e)
      .split("\n")[0]
      ?.slice(0, 120) ?? ""
  );
}
