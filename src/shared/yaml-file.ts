import { readFileSync } from "node:fs";
import { parse, YAMLParseError } from "yaml";
import type { z } from "zod";
import { InputError } from "./errors.js";

/** Reads a small YAML settings file against a schema; every failure is an InputError naming the file and field. */
export function readYamlFile<S extends z.ZodType>(path: string, schema: S, what: string): z.output<S> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(`cannot read ${what} (${(e as NodeJS.ErrnoException).code ?? e})`, path);
  }
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (e) {
    throw new InputError(`not valid YAML (${(e as Error).message.split("\n")[0]})`, path);
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new InputError(`${i?.path.join(".") || "(root)"}: ${i?.message}`, path);
  }
  return r.data;
}

/**
 * Parses knowledge text strictly (duplicate keys refused, aliases bounded: a "billion laughs" file stays small);
 * a syntax error is an InputError naming the file and line.
 */
export function parseStrictYaml(text: string, file: string): unknown {
  try {
    return parse(text, { uniqueKeys: true, maxAliasCount: 20 });
  } catch (e) {
    const line = e instanceof YAMLParseError ? e.linePos?.[0].line : undefined;
    throw new InputError(`not valid YAML (${(e as Error).message.split("\n")[0]})`, file, line);
  }
}
