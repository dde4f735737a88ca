import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import envPaths from "env-paths";

/** The package root: code runs from src/<stage>/ (tests) and dist/<stage>/ (built), both two levels down. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function packagePath(...parts: string[]): string {
  return resolve(PACKAGE_ROOT, ...parts);
}

/** --data-dir, then CAMSWEEP_DATA_DIR, then the user's data dir (XDG on Linux). */
export function resolveDataDir(flag?: string): string {
  if (flag) return resolve(flag);
  const env = process.env["CAMSWEEP_DATA_DIR"];
  if (env) return resolve(env);
  return envPaths("camsweep", { suffix: "" }).data;
}
