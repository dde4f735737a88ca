import { existsSync } from "node:fs";
import { join } from "node:path";
import envPaths from "env-paths";
import { z } from "zod";
import { InputError } from "./errors.js";
import { readYamlFile } from "./yaml-file.js";

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
  return { ...readYamlFile(path, ConfigSchema, "config file"), path };
}
