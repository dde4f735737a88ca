import { z } from "zod";
import { InputError } from "../shared/errors.js";
import { readYamlFile } from "../shared/yaml-file.js";
import { parseAllow } from "./scope.js";
import { parseTarget } from "./spec.js";

/**
 * A scope file (`scan --scope FILE`): what an audit's authorization covers, kept with the audit rather than
 * typed on each command line.
 *
 *   allow: [10.20.0.0/16, 10.21.0.0/16]   # only these are ever probed (addresses, CIDRs, ranges)
 *   deny: [10.20.5.0/24, 10.21.0.1]       # never probed, even when a target covers them
 *
 * Allow entries narrow like the config's allow-list (a command line cannot widen them); deny entries are
 * skipped like --exclude.
 */
const ScopeFileSchema = z
  .object({
    allow: z.array(z.string().min(1)).min(1, "must list at least one address, range or CIDR"),
    deny: z.array(z.string().min(1)).default([]),
  })
  .strict();

export interface ScopeFile {
  allow: string[];
  deny: string[];
  path: string;
}

export function loadScopeFile(path: string): ScopeFile {
  const data = readYamlFile(path, ScopeFileSchema, "scope file");
  // Every entry is checked now, naming its field, rather than failing later under another name.
  data.allow.forEach((a, n) => check(() => parseAllow([a]), path, `allow[${n}]`));
  data.deny.forEach((d, n) => check(() => parseTarget(d), path, `deny[${n}]`));
  return { ...data, path };
}

function check(fn: () => unknown, path: string, field: string): void {
  try {
    fn();
  } catch (e) {
    throw new InputError(`${field}: ${(e as Error).message.replace(/^--allow /, "")}`, path);
  }
}
