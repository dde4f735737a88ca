import { join } from "node:path";
import { z } from "zod";
import { compileRegex, compileRule, type CompiledRule } from "../knowledge/compile.js";
import { readChecked, type VerifyIssue } from "../knowledge/load.js";
import { FingerprintFileSchema, SourceSchema } from "../knowledge/schema.js";
import { InputError } from "../shared/errors.js";

/**
 * The procurement screen's own data (knowledge/procurement/): how orders write makers' names, and the covered
 * components another maker's product may hold. Makers, brands, model-number rules and policy packs are the
 * inventory's (knowledge/vocabulary, knowledge/fingerprints/models.yaml, knowledge/policy-packs): one truth.
 */

const Word = z.string().regex(/^[a-z]+$/, "lower-case letters only");

export const NameSchema = z
  .object({
    name: z.string().min(1),
    /** the maker slug (knowledge/vocabulary/manufacturers.yaml) the name stands for */
    maker: z.string().min(1).optional(),
    /** or the brand (knowledge/vocabulary/brands.yaml) it spells */
    brand: z.string().min(1).optional(),
    /** or: the name proves nothing alone and the seller must say who made the model */
    attest: z.string().min(1).optional(),
    /** or: a maker with no entry anywhere, named so a line naming it is recognised */
    other: z.literal(true).optional(),
    /** the maker makes components (chips, modules), not the product a line buys */
    component: z.literal(true).optional(),
    fuzzy: z.literal(true).optional(),
    /** a short name distinctive enough to count anywhere in a text */
    anywhere: z.literal(true).optional(),
    /** a product-line trademark of the maker rather than its name: a weaker reading */
    line: z.literal(true).optional(),
    spellings: z.array(z.string().min(1)).min(1),
    sources: z.array(SourceSchema).min(1),
  })
  .strict()
  .refine((n) => [n.maker, n.brand, n.attest, n.other].filter((x) => x !== undefined).length === 1, {
    message: "a name is one of maker, brand, attest or other",
  });
export type NameEntry = z.output<typeof NameSchema>;

const NamesFileSchema = z
  .object({
    legalForms: z.array(Word).min(1),
    places: z.array(Word),
    names: z.array(NameSchema).min(1),
  })
  .strict();
export type NamesFile = z.output<typeof NamesFileSchema>;

export const ComponentSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    description: z.string().min(1),
    maker: z.string().min(1),
    pattern: z.string().min(1),
    flags: z
      .string()
      .regex(/^[imsu]*$/)
      .optional(),
    sources: z.array(SourceSchema).min(1),
    examples: z
      .array(z.object({ input: z.string().min(1), match: z.boolean(), note: z.string().optional() }).strict())
      .min(2, "a component pattern needs examples that match and one that does not"),
  })
  .strict();
export type ComponentRule = z.output<typeof ComponentSchema> & { re: RegExp };

const ComponentsFileSchema = z.object({ components: z.array(ComponentSchema).min(1) }).strict();

export interface ProcurementKnowledge {
  names: NamesFile;
  components: ComponentRule[];
  /** model-number rules of knowledge/procurement/models.yaml, compiled as fingerprints are */
  models: CompiledRule[];
}

export const procurementDir = (knowledgeDir: string) => join(knowledgeDir, "procurement");

/** Reads and checks knowledge/procurement; a broken file is an error naming it. */
export function loadProcurementKnowledge(knowledgeDir: string): ProcurementKnowledge {
  const dir = procurementDir(knowledgeDir);
  const issues: VerifyIssue[] = [];
  const names = readChecked(join(dir, "names.yaml"), NamesFileSchema, knowledgeDir, issues);
  const components = readChecked(join(dir, "components.yaml"), ComponentsFileSchema, knowledgeDir, issues);
  const models = readChecked(join(dir, "models.yaml"), FingerprintFileSchema, knowledgeDir, issues);
  if (!names || !components || !models)
    throw new InputError(issues.map((i) => `${i.file}: ${i.message}`).join("; "), dir);
  return {
    names,
    components: components.components.map((c) => ({ ...c, re: compileRegex(c.pattern, c.flags) })),
    models: models.rules.map((r, i) => compileRule(r, "procurement/models.yaml", i)),
  };
}
