import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import envPaths from "env-paths";
import { parse } from "yaml";
import { z } from "zod";
import { InputError } from "./errors.js";

/** camsweep's config file: the standing scope of an audit, so a typo on the command line cannot widen it. */
const ConfigSchema = z
  .object({
    /** CIDRs that may ever be probed; targets outside are refused */
    allow: z.array(z.string()).default([]),
    exclude: z.array(z.string()).default([]),
    ports: z.string().optional(),
  })
  .strict();
/** The config's settings and the file they came from (null: none). */
export type Config = z.output<typeof ConfigSchema> & { path: string | null };

export function defaultConfigPath(): string {
  return process.env["CAMSWEEP_CONFIG"] ?? join(envPaths("camsweep", { suffix: "" }).config, "config.yaml");
}

/** An explicit file must exist; the default one is optional. */
export function loadConfig(file?: string): Config {
  const path = file ?? defaultConfigPath();
  if (!existsSync(path)) {
    if (file) throw new InputError("config file not found", file);
    return { ...ConfigSchema.parse({}), path: null };
  }
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, "utf8")) ?? {};
  } catch (e) {
    throw new InputError(`not valid YAML (${(e as Error).message.split("\n")[0]})`, path);
  }
  const r = ConfigSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new InputError(`${i?.path.join(".") || "(root)"}: ${i?.message}`, path);
  }
  return { ...r.data, path };
}
