import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseDocument } from "yaml";
import { InputError } from "../shared/errors.js";
import { packagePath } from "../shared/paths.js";
import { PersonaSchema, type Persona } from "./persona.js";
import { BUILTINS, DERIVED_FROM_MAC, placeholders } from "./template.js";

export const DEFAULT_PERSONA_DIR = packagePath("lab", "personas");
/** Devices built to misbehave live apart: they are slow or hostile on purpose, so "every persona" leaves them out. */
export const MISBEHAVING_SUBDIR = "misbehaving";
export const CERT_DIR = packagePath("lab", "certs");

export function certFiles(name: string): { cert: string; key: string } {
  return { cert: join(CERT_DIR, `${name}.cert.pem`), key: join(CERT_DIR, `${name}.key.pem`) };
}

/** Every string in the persona's services, with its field path, for placeholder checks. */
function* strings(value: unknown, path: (string | number)[]): Generator<[string, (string | number)[]]> {
  if (typeof value === "string") yield [value, path];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...path, i]);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) if (k !== "note") yield* strings(v, [...path, k]);
}

/** Load and validate one persona file; errors name the file and the field. */
export function loadPersonaFile(file: string): Persona {
  const text = readFileSync(file, "utf8");
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new InputError(
      `invalid YAML: ${e?.message.split("\n")[0] ?? "parse error"}`,
      file,
      e?.linePos?.[0]?.line,
    );
  }
  const parsed = PersonaSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const msgs = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new InputError(`invalid persona: ${msgs.join("; ")}`, file);
  }
  const p = parsed.data;
  if (p.id !== basename(file).replace(/\.ya?ml$/, ""))
    throw new InputError(`id: "${p.id}" must match the file name`, file);
  const known = new Set<string>([
    ...BUILTINS,
    ...Object.keys(p.vars),
    ...(p.vars.mac ? DERIVED_FROM_MAC : []),
    ...(p.digest ? ["realm"] : []),
    ...p.services.map((s) => `port${s.port}`), // {port<N>}: a declared port, wherever it is bound
  ]);
  for (const [s, path] of strings({ services: p.services, digest: p.digest }, [])) {
    for (const name of placeholders(s)) {
      if (!known.has(name))
        throw new InputError(`${path.join(".")}: unknown placeholder {${name}} (define it under vars)`, file);
    }
  }
  p.services.forEach((s, i) => {
    if (s.protocol === "https" && s.cert) {
      const f = certFiles(s.cert);
      if (!existsSync(f.cert) || !existsSync(f.key))
        throw new InputError(`services.${i}.cert: no ${f.cert} / ${f.key}`, file);
    }
  });
  return p;
}

/** All personas in a directory (default: <package>/lab/personas), sorted by id. */
export function loadPersonas(dir: string = DEFAULT_PERSONA_DIR): Persona[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const out = files.map((f) => loadPersonaFile(join(dir, f)));
  const seen = new Set<string>();
  for (const p of out) {
    if (seen.has(p.id)) throw new InputError(`duplicate persona id ${p.id}`, dir);
    seen.add(p.id);
  }
  return out;
}

/** Every persona a lab may start by name or by mix: the default set, then <dir>/misbehaving when present. */
export function loadPersonaCatalog(dir: string = DEFAULT_PERSONA_DIR): {
  standard: Persona[];
  misbehaving: Persona[];
} {
  const standard = loadPersonas(dir);
  const sub = join(dir, MISBEHAVING_SUBDIR);
  const misbehaving = existsSync(sub) ? loadPersonas(sub) : [];
  const ids = new Set(standard.map((p) => p.id));
  for (const p of misbehaving)
    if (ids.has(p.id))
      throw new InputError(`duplicate persona id ${p.id} (also in ${MISBEHAVING_SUBDIR}/)`, sub);
  return { standard, misbehaving };
}
