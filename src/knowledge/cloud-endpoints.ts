import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { InputError } from "../shared/errors.js";
import { defaultKnowledgeDir } from "./load.js";
import { SourceSchema } from "./schema.js";

/**
 * The restricted makers' cloud, P2P and DDNS domains (knowledge/cloud-endpoints.yaml, from
 * shared/reference/cloud-endpoints.md). DNS log imports keep only the queries these match; identification reads the
 * service of a matched query into a note. What a query proves about the client is the fingerprint rules' business
 * (knowledge/fingerprints/cloud-dns.yaml).
 */
export const ENDPOINT_ROLES = ["device", "device-or-app", "app", "vendor-web"] as const;

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const CloudEndpointSchema = z
  .object({
    domain: z.string().regex(DOMAIN, "a lower-case domain name"),
    service: z.string().min(1),
    /** maker slug (vocabulary/manufacturers.yaml) whose ecosystem the domain belongs to */
    maker: z.string().min(1),
    /** brand (vocabulary/brands.yaml) when the cloud is a label's own */
    brand: z.string().min(1).optional(),
    role: z.enum(ENDPOINT_ROLES),
    /** the reference's word for the evidence behind the domain */
    confidence: z.enum(["high", "medium-high", "medium", "low-medium", "low"]),
    unverified: z.boolean().optional(),
    note: z.string().optional(),
    sources: z.array(SourceSchema).min(1),
  })
  .strict();
export type CloudEndpoint = z.output<typeof CloudEndpointSchema>;

export const CloudEndpointsFileSchema = z.object({ endpoints: z.array(CloudEndpointSchema).min(1) }).strict();

export interface CloudEndpoints {
  endpoints: CloudEndpoint[];
  byDomain: Map<string, CloudEndpoint>;
}

const cache = new Map<string, CloudEndpoints>();

/** Read and check the endpoint list (cached per knowledge dir). Throws InputError naming the file. */
export function loadCloudEndpoints(dir: string = defaultKnowledgeDir()): CloudEndpoints {
  const hit = cache.get(dir);
  if (hit) return hit;
  const file = join(dir, "cloud-endpoints.yaml");
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, "utf8"));
  } catch (e) {
    throw new InputError(`cannot read: ${(e as Error).message.split("\n")[0]}`, file);
  }
  const r = CloudEndpointsFileSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new InputError(`schema: ${i?.path.join(".")}: ${i?.message}`, file);
  }
  const byDomain = new Map<string, CloudEndpoint>();
  for (const e of r.data.endpoints) {
    if (byDomain.has(e.domain)) throw new InputError(`duplicate domain ${e.domain}`, file);
    byDomain.set(e.domain, e);
  }
  const out = { endpoints: r.data.endpoints, byDomain };
  cache.set(dir, out);
  return out;
}

/**
 * A DNS name as logs write it, in one form: lower case, no trailing dot. Undefined when it is not a plausible
 * name (empty, over 253 characters, spaces or control characters): hostile log text never reaches a lookup.
 */
export function canonicalName(name: string): string | undefined {
  const n = name.trim().replace(/\.$/, "").toLowerCase();
  if (n.length === 0 || n.length > 253 || !/^[a-z0-9_.-]+$/.test(n)) return undefined;
  return n;
}

/**
 * The endpoint a queried name belongs to: the longest listed domain that is the name or one of its parent domains
 * (whole labels: `evilhik-connect.com` is not `hik-connect.com`). One map lookup per label.
 */
export function cloudEndpointOf(name: string, list: CloudEndpoints = loadCloudEndpoints()): CloudEndpoint | undefined {
  const n = canonicalName(name);
  if (!n) return undefined;
  let at = 0;
  for (;;) {
    const hit = list.byDomain.get(at === 0 ? n : n.slice(at));
    if (hit) return hit;
    const dot = n.indexOf(".", at);
    if (dot < 0) return undefined;
    at = dot + 1;
  }
}
