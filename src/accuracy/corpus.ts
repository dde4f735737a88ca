import { readFileSync, statSync } from "node:fs";
import { relative, sep } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { DEVICE_TYPES } from "../identify/identification.js";
import { ObservationSchema, type Observation } from "../observations/observation.js";
import { InputError } from "../shared/errors.js";
import { listFiles } from "../shared/files.js";

/** One real capture with what the device really was (docs/corpus.md). */
const SourceRef = z.union([
  z.url(),
  z
    .object({
      url: z.url().optional(),
      repo: z.string().min(1).optional(),
      path: z.string().min(1).optional(),
      ref: z.string().min(1).optional(),
      note: z.string().optional(),
    })
    .strict()
    .refine((s) => !!(s.url || s.repo || s.ref), { message: "a source needs url, repo or ref" }),
]);

export const CaseSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, "ids are lower-case, digits, '.' and '-'"),
    source: z.union([SourceRef, z.array(SourceRef).min(1)]),
    note: z.string().optional(),
    observations: z.array(ObservationSchema).min(1),
    expect: z
      .object({
        manufacturer: z.string().min(1).nullable(),
        restricted: z.boolean(),
        brand: z.string().min(1).nullable().optional(),
        deviceType: z.enum(DEVICE_TYPES).optional(),
        model: z.string().min(1).optional(),
        firmware: z.string().min(1).optional(),
        serial: z.string().min(1).optional(),
      })
      .strict(),
    /** an explained miss: camsweep is known to get this case wrong, and why */
    known: z.string().min(1).optional(),
  })
  .strict();
export type CorpusCase = z.output<typeof CaseSchema> & { file: string };

const FileSchema = z
  .object({ description: z.string().optional(), cases: z.array(CaseSchema).min(1) })
  .strict();

/** Parses one corpus file; errors name the file and the case. */
export function parseCorpusFile(text: string, file: string): CorpusCase[] {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new InputError(`not valid YAML: ${(e as Error).message.split("\n")[0]}`, file);
  }
  const r = FileSchema.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0] as z.core.$ZodIssue;
    const at = i.path[0] === "cases" && typeof i.path[1] === "number" ? i.path[1] : undefined;
    const id = at !== undefined ? (doc as { cases: { id?: string }[] }).cases[at]?.id : undefined;
    const where = at !== undefined ? `case ${at}${id ? ` (${id})` : ""}: ` : "";
    throw new InputError(
      `${where}${i.path.slice(at !== undefined ? 2 : 0).join(".") || "(root)"}: ${i.message}`,
      file,
    );
  }
  return r.data.cases.map((c) => ({ ...c, file }));
}

/** Every case under the given files or directories; ids must be unique across them. */
export function loadCorpus(paths: string[]): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const seen = new Map<string, string>();
  for (const p of paths) {
    let files: string[];
    try {
      // corpus/procurement holds purchase-line strings in their own format (src/procure/corpus.ts).
      files = statSync(p).isDirectory()
        ? listFiles(p, /\.(?:ya?ml|json)$/).filter((f) => !relative(p, f).startsWith(`procurement${sep}`))
        : [p];
    } catch (e) {
      throw new InputError(`cannot read: ${(e as Error).message.replace(/^[A-Z]+: /, "")}`, p);
    }
    for (const f of files) {
      const name = relative(process.cwd(), f) || f;
      for (const c of parseCorpusFile(readFileSync(f, "utf8"), name)) {
        const prev = seen.get(c.id);
        if (prev) throw new InputError(`case id ${c.id} is also in ${prev}`, name);
        seen.set(c.id, name);
        cases.push(c);
      }
    }
  }
  return cases;
}

/** The observations of a case, all given the case's id as target so they are one device. */
export function caseObservations(c: CorpusCase): Observation[] {
  return c.observations.map((o) => ({ ...o, target: `corpus:${c.id}` }));
}
