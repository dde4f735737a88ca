/**
 * Feed files that update the vulnerability knowledge, read from disk by the caller (no network here): the CISA KEV
 * catalogue (known_exploited_vulnerabilities.json, schema cisa-kev-schema.json) and NVD CVE API 2.0 responses
 * (format NVD_CVE, version 2.0). Errors name the file and the field path: `kev.json: vulnerabilities[12].dueDate:
 * not a date (YYYY-MM-DD)`. Unknown fields are accepted and dropped: both feeds add fields over time.
 */
import { z } from "zod";
import { InputError } from "../../shared/errors.js";
import { MAX_FEED_BYTES } from "./limits.js";
import { CVE_ID, firstIssue, formatPath, IsoDate } from "./schema.js";

export interface FeedOptions {
  /** largest accepted file, in bytes (default 64 MiB) */
  maxBytes?: number;
}

// ISO date-time as the feeds write it: KEV "2025-08-25T17:04:19.9796Z", NVD "2021-09-22T13:15:07.497" (no zone).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?$/;
const DateTime = z
  .string()
  .refine((s) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s.slice(0, 10))), "not a date-time");
const CveId = z.string().regex(CVE_ID, "not a CVE id (CVE-YYYY-NNNN)");
const Str = z.string().max(100_000);

// --------------------------------------------------------------------------------------------------- CISA KEV

export const KevEntrySchema = z.object({
  cveID: CveId,
  vendorProject: Str,
  product: Str,
  vulnerabilityName: Str,
  dateAdded: IsoDate,
  shortDescription: Str,
  requiredAction: Str,
  dueDate: IsoDate,
  knownRansomwareCampaignUse: Str.optional(),
  notes: Str.optional(),
  cwes: z.array(z.string().regex(/^CWE-\d+$/, "not a CWE id")).optional(),
});
export type KevEntry = z.output<typeof KevEntrySchema>;

export const KevCatalogSchema = z.object({
  title: Str,
  catalogVersion: Str.min(1),
  dateReleased: DateTime,
  count: z.number().int().min(0),
  vulnerabilities: z.array(KevEntrySchema),
});
export type KevCatalog = z.output<typeof KevCatalogSchema> & { file: string };

// ------------------------------------------------------------------------------------------------ NVD CVE 2.0

const LangString = z.object({ lang: Str, value: Str });

const CvssMetric = z.object({
  source: Str,
  type: z.enum(["Primary", "Secondary"]),
  cvssData: z.object({
    version: z.enum(["2.0", "3.0", "3.1", "4.0"]),
    vectorString: Str,
    baseScore: z.number().min(0).max(10),
    baseSeverity: Str.optional(),
  }),
});
export type NvdCvssMetric = z.output<typeof CvssMetric>;

const CpeMatch = z.object({
  vulnerable: z.boolean(),
  criteria: z
    .string()
    .regex(/^cpe:2\.3:[aho*-]:/, "not a CPE 2.3 name")
    .max(1000),
  matchCriteriaId: Str.optional(),
  versionStartIncluding: Str.optional(),
  versionStartExcluding: Str.optional(),
  versionEndIncluding: Str.optional(),
  versionEndExcluding: Str.optional(),
});

const Node = z.object({
  operator: z.enum(["OR", "AND"]).optional(),
  negate: z.boolean().optional(),
  cpeMatch: z.array(CpeMatch).default([]),
});

export const NvdCveSchema = z.object({
  id: CveId,
  sourceIdentifier: Str.optional(),
  published: DateTime,
  lastModified: DateTime,
  vulnStatus: Str.optional(),
  descriptions: z.array(LangString).min(1),
  metrics: z
    .object({
      cvssMetricV40: z.array(CvssMetric).optional(),
      cvssMetricV31: z.array(CvssMetric).optional(),
      cvssMetricV30: z.array(CvssMetric).optional(),
      cvssMetricV2: z.array(z.object({ source: Str, type: z.enum(["Primary", "Secondary"]) })).optional(),
    })
    .default({}),
  weaknesses: z.array(z.object({ source: Str, type: Str, description: z.array(LangString) })).optional(),
  configurations: z
    .array(
      z.object({
        operator: z.enum(["OR", "AND"]).optional(),
        negate: z.boolean().optional(),
        nodes: z.array(Node),
      }),
    )
    .optional(),
  references: z
    .array(z.object({ url: Str, source: Str.optional(), tags: z.array(Str).optional() }))
    .optional(),
  cisaExploitAdd: IsoDate.optional(),
  cisaActionDue: IsoDate.optional(),
  cisaRequiredAction: Str.optional(),
  cisaVulnerabilityName: Str.optional(),
});
export type NvdCve = z.output<typeof NvdCveSchema>;

export const NvdFeedSchema = z.object({
  resultsPerPage: z.number().int().min(0),
  startIndex: z.number().int().min(0),
  totalResults: z.number().int().min(0),
  format: z.literal("NVD_CVE"),
  version: z.literal("2.0"),
  timestamp: DateTime,
  vulnerabilities: z.array(z.object({ cve: NvdCveSchema })),
});
export type NvdFeed = z.output<typeof NvdFeedSchema> & { file: string };

// -------------------------------------------------------------------------------------------------- parsing

function parseJsonFile(text: string, fileName: string, options: FeedOptions): unknown {
  if (typeof text !== "string") throw new InputError("not text", fileName);
  const max = options.maxBytes ?? MAX_FEED_BYTES;
  // A string never has fewer UTF-8 bytes than UTF-16 units / 3; skip the exact count when it is clearly too big.
  const bytes = text.length > max ? text.length : Buffer.byteLength(text, "utf8");
  if (bytes > max) throw new InputError(`too big (${bytes} bytes; limit ${max})`, fileName);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`not JSON (${(e as Error).message.split("\n")[0]})`, fileName);
  }
}

/** Validates the CISA KEV catalogue JSON. Duplicate CVE ids are an error: an update must not depend on order. */
export function parseKevCatalog(text: string, fileName: string, options: FeedOptions = {}): KevCatalog {
  const raw = parseJsonFile(text, fileName, options);
  const r = KevCatalogSchema.safeParse(raw);
  if (!r.success) throw new InputError(firstIssue(r.error), fileName);
  const seen = new Set<string>();
  r.data.vulnerabilities.forEach((v, i) => {
    if (seen.has(v.cveID))
      throw new InputError(`${formatPath(["vulnerabilities", i, "cveID"])}: duplicate ${v.cveID}`, fileName);
    seen.add(v.cveID);
  });
  return { ...r.data, file: fileName };
}

/** Validates an NVD CVE API 2.0 response (one page). Duplicate CVE ids are an error. */
export function parseNvdFeed(text: string, fileName: string, options: FeedOptions = {}): NvdFeed {
  const raw = parseJsonFile(text, fileName, options);
  const r = NvdFeedSchema.safeParse(raw);
  if (!r.success) throw new InputError(firstIssue(r.error), fileName);
  const seen = new Set<string>();
  r.data.vulnerabilities.forEach((v, i) => {
    if (seen.has(v.cve.id))
      throw new InputError(
        `${formatPath(["vulnerabilities", i, "cve", "id"])}: duplicate ${v.cve.id}`,
        fileName,
      );
    seen.add(v.cve.id);
  });
  return { ...r.data, file: fileName };
}

// --------------------------------------------------------------------------------------- reading NVD records

/** The English description (the first one when NVD gives none in English). */
export function nvdDescription(cve: NvdCve): string {
  return (cve.descriptions.find((d) => d.lang === "en") ?? cve.descriptions[0])?.value.trim() ?? "";
}

/**
 * NVD's own score: the first "Primary" metric of v3.1, v3.0, then v4.0. Undefined when NVD has not scored the CVE
 * (only CNA or ADP "Secondary" metrics), so an update never swaps a score for another party's.
 */
export function nvdPrimaryCvss(cve: NvdCve): NvdCvssMetric | undefined {
  const m = cve.metrics;
  for (const list of [m.cvssMetricV31, m.cvssMetricV30, m.cvssMetricV40]) {
    const p = list?.find((x) => x.type === "Primary");
    if (p) return p;
  }
  return undefined;
}

/** The first "Secondary" v3.1/v3.0/v4.0 metric: a CNA or ADP score, used only for a CVE that has no score yet. */
export function nvdSecondaryCvss(cve: NvdCve): NvdCvssMetric | undefined {
  const m = cve.metrics;
  for (const list of [m.cvssMetricV31, m.cvssMetricV30, m.cvssMetricV40]) {
    const p = list?.find((x) => x.type === "Secondary");
    if (p) return p;
  }
  return undefined;
}

/** Vendor and product fields of the vulnerable CPE names (cpe:2.3:<part>:<vendor>:<product>:...). */
export function nvdCpeProducts(cve: NvdCve): { vendor: string; product: string }[] {
  const out: { vendor: string; product: string }[] = [];
  const seen = new Set<string>();
  for (const conf of cve.configurations ?? [])
    for (const node of conf.nodes)
      for (const m of node.cpeMatch) {
        if (!m.vulnerable) continue;
        // Fields are ':'-separated; a literal ':' inside a field is escaped as '\:'.
        const fields = m.criteria.split(/(?<!\\):/);
        const vendor = (fields[3] ?? "").toLowerCase();
        const product = (fields[4] ?? "").replace(/\\(.)/g, "$1").toLowerCase();
        const key = `${vendor}:${product}`;
        if (!vendor || seen.has(key)) continue;
        seen.add(key);
        out.push({ vendor, product });
      }
  return out;
}
