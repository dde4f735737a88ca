import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { z } from "zod";
import { InputError, UsageError } from "../shared/errors.js";
import { packagePath } from "../shared/paths.js";
import type { Persona } from "./persona.js";

/** A persona mix: how many of each device a simulated site holds, as relative weights (lab/mixes/<name>.yaml). */
export const MixSchema = z.object({
  description: z.string().min(1),
  weights: z
    .record(z.string().regex(/^[a-z0-9-]+$/), z.number().positive())
    .refine((w) => Object.keys(w).length > 0, "a mix needs at least one persona"),
});
export type Mix = z.output<typeof MixSchema>;

export const DEFAULT_MIX = packagePath("lab", "mixes", "site.yaml");

export function loadMix(file: string = DEFAULT_MIX): Mix {
  const doc = parseDocument(readFileSync(file, "utf8"), { prettyErrors: false });
  if (doc.errors.length > 0) throw new InputError(`invalid YAML: ${doc.errors[0]?.message ?? ""}`, file);
  const parsed = MixSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const msgs = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new InputError(`invalid mix: ${msgs.join("; ")}`, file);
  }
  return parsed.data;
}

/** mulberry32: a small, fast, seedable PRNG; the lab only needs repeatability, not quality. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Exactly n personas in the mix's proportions (largest remainder, ties by id), shuffled by the seed, so the
 * same (mix, n, seed) always gives the same site and small sites still follow the weights closely.
 */
export function planMix(mix: Mix, catalog: Persona[], n: number, seed: number): Persona[] {
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const entries = Object.entries(mix.weights).sort(([a], [b]) => a.localeCompare(b));
  for (const [id] of entries)
    if (!byId.has(id)) throw new UsageError(`the mix names an unknown persona "${id}"`);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  const quotas = entries.map(([id, w]) => ({
    id,
    exact: (n * w) / total,
    count: Math.floor((n * w) / total),
  }));
  let left = n - quotas.reduce((s, q) => s + q.count, 0);
  for (const q of [...quotas].sort((a, b) => b.exact - b.count - (a.exact - a.count))) {
    if (left-- <= 0) break;
    q.count += 1;
  }
  const out = quotas.flatMap((q) => Array.from({ length: q.count }, () => byId.get(q.id) as Persona));
  const rand = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as Persona, out[i] as Persona];
  }
  return out;
}

/** Seeded choice of k of n indices (sorted): which devices a namespace lab puts behind a silent firewall. */
export function pickIndices(n: number, k: number, seed: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  const rand = seededRandom(seed ^ 0x5eed);
  for (let i = 0; i < Math.min(k, n); i++) {
    const j = i + Math.floor(rand() * (n - i));
    [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
  }
  return idx.slice(0, Math.min(k, n)).sort((a, b) => a - b);
}
