import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import envPaths from "env-paths";

/** The package root: code runs from src/<stage>/ (tests) and dist/<stage>/ (built), both two levels down. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function packagePath(...parts: string[]): string {
  return resolve(PACKAGE_ROOT, ...parts);
}

/** camsweep's own version, from its package.json (the CLI's --version, the tool named in exports). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string }).version;
}

/** --data-dir, then CAMSWEEP_DATA_DIR, then the user's data dir (XDG on Linux). */
export function resolveDataDir(flag?: string): string {
  if (flag) return resolve(flag);
  const env = process.env["CAMSWEEP_DATA_DIR"];
  if (env) return resolve(env);
  return envPaths("camsweep", { suffix: "" }).data;
}
