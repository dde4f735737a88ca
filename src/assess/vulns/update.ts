/**
 * Applying KEV and NVD feed files to the vulnerability knowledge. Pure: returns the next knowledge and the list of
 * changes; never touches the input.
 *
 * What changes, and nothing else:
 * - A CVE already in the data:
 *   - KEV status from the KEV catalogue when it lists the CVE, else from the NVD record's cisaExploitAdd /
 *     cisaActionDue / cisaRequiredAction / cisaVulnerabilityName: "kev-added" when the data had none, else
 *     "kev-changed" per field that differs (dateAdded, dueDate, name, requiredAction,
 *     knownRansomwareCampaignUse). A CVE missing from a catalogue keeps its KEV status: a trimmed or older file
 *     says nothing about removal, and CISA's removals are rare enough to be done by hand.
 *   - CVSS from NVD's own ("Primary") v3.1/v3.0/v4.0 metric when score, version or vector differ
 *     ("cvss-changed"); a CNA/ADP ("Secondary") score only fills a CVE that has none.
 *   - The English NVD description when it differs ("description-changed").
 *   Families, ranges and fixes are never changed by a feed: they come from curated reading of the sources.
 * - A CVE not in the data, for a tracked vendor (trackedVendors: KEV vendorProject, or the vendor field of a
 *   vulnerable NVD CPE name), is added ("new-cve") as a family-only entry: one line group for the maker (and
 *   brand), no model patterns and no range, so it matches every device of that maker at "family" certainty until
 *   someone writes its families. Its product names (KEV product, NVD CPE products) are kept as productFamilies.
 *   A CVE of an untracked vendor is ignored; an NVD record naming no CPE vendor is ignored with a note.
 * - `feeds` records the files applied. Each changed entry gains a source naming the feed file.
 */
import { MAX_CPE_PRODUCTS_KEPT } from "./limits.js";
import {
  nvdCpeProducts,
  nvdDescription,
  nvdPrimaryCvss,
  nvdSecondaryCvss,
  parseKevCatalog,
  parseNvdFeed,
  type FeedOptions,
  type KevCatalog,
  type KevEntry,
  type NvdCve,
  type NvdFeed,
} from "./feeds.js";
import type { Cvss, Kev, TrackedVendor, Vulnerability, VulnerabilityKb } from "./schema.js";

export type ChangeKind = "kev-added" | "kev-changed" | "cvss-changed" | "description-changed" | "new-cve";

export interface VulnChange {
  id: string;
  kind: ChangeKind;
  /** the feed that caused it */
  source: "kev" | "nvd";
  field?: string;
  before?: string | null;
  after?: string | null;
  /** one line for a person */
  message: string;
}

export interface UpdateResult {
  next: VulnerabilityKb;
  changes: VulnChange[];
  /** records seen but not applied, and why */
  notes: string[];
}

const MAX_TEXT = 4000;
const KEV_URL = "https://www.cisa.gov/known-exploited-vulnerabilities-catalog";

function clip(s: string): string {
  const t = s.trim().replace(/\s+/g, " ");
  return t.length > MAX_TEXT ? `${t.slice(0, MAX_TEXT - 1)}…` : t;
}

function cvssText(c: Cvss | null): string | null {
  return c ? `${c.version} ${c.score}${c.vector ? ` ${c.vector}` : ""}` : null;
}

function kevFromCatalog(e: KevEntry, cat: KevCatalog): Kev {
  const k: Kev = {
    dateAdded: e.dateAdded,
    dueDate: e.dueDate,
    name: clip(e.vulnerabilityName),
    requiredAction: clip(e.requiredAction),
    source: `CISA KEV ${cat.file} (catalogVersion ${cat.catalogVersion})`,
  };
  if (e.knownRansomwareCampaignUse)
    k.knownRansomwareCampaignUse = clip(e.knownRansomwareCampaignUse).slice(0, 40);
  return k;
}

function kevFromNvd(c: NvdCve, feed: NvdFeed): Kev | undefined {
  if (!c.cisaExploitAdd || !c.cisaActionDue) return undefined;
  const k: Kev = {
    dateAdded: c.cisaExploitAdd,
    dueDate: c.cisaActionDue,
    source: `NVD record cisaExploitAdd/cisaActionDue (${feed.file}, lastModified ${c.lastModified})`,
  };
  if (c.cisaVulnerabilityName) k.name = clip(c.cisaVulnerabilityName);
  if (c.cisaRequiredAction) k.requiredAction = clip(c.cisaRequiredAction);
  return k;
}

function cvssFromNvd(c: NvdCve, hasScore: boolean): Cvss | undefined {
  const m = nvdPrimaryCvss(c) ?? (hasScore ? undefined : nvdSecondaryCvss(c));
  if (!m) return undefined;
  return {
    version: m.cvssData.version,
    score: m.cvssData.baseScore,
    vector: m.cvssData.vectorString,
    source: m.type === "Primary" ? `NVD (${m.source})` : `${m.source} via NVD (NVD has not scored it)`,
  };
}

const KEV_FIELDS = ["dateAdded", "dueDate", "name", "requiredAction", "knownRansomwareCampaignUse"] as const;

/** Applies a wanted KEV status to an entry; returns the changes. Fields the feed lacks keep their value. */
function applyKev(v: Vulnerability, want: Kev, source: "kev" | "nvd"): VulnChange[] {
  if (!v.kev) {
    v.kev = want;
    return [
      {
        id: v.id,
        kind: "kev-added",
        source,
        field: "dueDate",
        before: null,
        after: want.dueDate,
        message: `${v.id}: added to CISA KEV on ${want.dateAdded}, due ${want.dueDate}`,
      },
    ];
  }
  const out: VulnChange[] = [];
  const merged: Kev = { ...v.kev };
  for (const f of KEV_FIELDS) {
    const after = want[f];
    if (after === undefined || after === v.kev[f]) continue;
    out.push({
      id: v.id,
      kind: "kev-changed",
      source,
      field: f,
      before: v.kev[f] ?? null,
      after,
      message: `${v.id}: KEV ${f} ${v.kev[f] ?? "(none)"} -> ${after}`,
    });
    merged[f] = after;
  }
  if (out.length > 0) v.kev = { ...merged, source: want.source };
  return out;
}

function addSource(v: Vulnerability, origin: string): void {
  if (!v.sources.some((s) => typeof s === "object" && s.origin === origin)) v.sources.push({ origin });
}

function feedOrigin(kind: "kev" | "nvd", kev?: KevCatalog, nvd?: NvdFeed): string {
  return kind === "kev"
    ? `CISA KEV ${kev?.file} (catalogVersion ${kev?.catalogVersion})`
    : `NVD CVE API 2.0 ${nvd?.file} (timestamp ${nvd?.timestamp})`;
}

function same(a: string, b: string): boolean {
  return a.trim().replace(/\s+/g, " ") === b.trim().replace(/\s+/g, " ");
}

function trackedByKev(tracked: TrackedVendor[], vendorProject: string): TrackedVendor | undefined {
  const v = vendorProject.trim().toLowerCase();
  return tracked.find((t) => t.kevVendorProjects.some((p) => p.trim().toLowerCase() === v));
}

function trackedByCpe(
  tracked: TrackedVendor[],
  c: NvdCve,
): { vendor: TrackedVendor; products: string[] } | undefined {
  const cpes = nvdCpeProducts(c);
  for (const t of tracked) {
    const products = cpes.filter((p) => t.cpeVendors.includes(p.vendor)).map((p) => p.product);
    if (products.length > 0) return { vendor: t, products };
  }
  return undefined;
}

function newEntry(
  id: string,
  vendor: TrackedVendor,
  kevEntry: KevEntry | undefined,
  nvdCve: NvdCve | undefined,
  cpeProducts: string[],
  kev: KevCatalog | undefined,
  nvd: NvdFeed | undefined,
): Vulnerability {
  const families: string[] = [];
  if (kevEntry) families.push(clip(`${kevEntry.vendorProject} ${kevEntry.product} (CISA KEV product)`));
  if (cpeProducts.length > 0) {
    const shown = cpeProducts.slice(0, MAX_CPE_PRODUCTS_KEPT).join(", ");
    const more =
      cpeProducts.length > MAX_CPE_PRODUCTS_KEPT
        ? ` and ${cpeProducts.length - MAX_CPE_PRODUCTS_KEPT} more`
        : "";
    families.push(clip(`NVD CPE products: ${shown}${more}`));
  }
  const who = vendor.brand ? `${vendor.brand} (${vendor.manufacturer})` : vendor.manufacturer;
  const description = nvdCve ? nvdDescription(nvdCve) : (kevEntry?.shortDescription ?? "");
  const v: Vulnerability = {
    id,
    manufacturer: vendor.manufacturer,
    vendor: clip(kevEntry?.vendorProject ?? vendor.brand ?? vendor.manufacturer),
    origin: kevEntry ? "kev" : "nvd",
    description: clip(description || id),
    productFamilies: families.length > 0 ? families : [`${who} products (no product named by the feed)`],
    cvss: (nvdCve && cvssFromNvd(nvdCve, false)) ?? null,
    kev:
      kevEntry && kev ? kevFromCatalog(kevEntry, kev) : ((nvdCve && nvd && kevFromNvd(nvdCve, nvd)) ?? null),
    affected: [
      {
        series: `all ${who} products (added from a feed; no model family known yet)`,
        ...(vendor.brand ? { brand: vendor.brand } : {}),
        note: "Family-only entry: write model patterns and ranges from the vendor advisory to narrow it.",
      },
    ],
    sources: [`https://nvd.nist.gov/vuln/detail/${id}`],
  };
  const title = kevEntry?.vulnerabilityName ?? nvdCve?.cisaVulnerabilityName;
  if (title) v.title = clip(title);
  if (nvdCve) v.published = nvdCve.published.slice(0, 10);
  const cwes = kevEntry?.cwes?.length
    ? kevEntry.cwes
    : (nvdCve?.weaknesses ?? []).flatMap((w) => w.description.map((d) => d.value)).filter((s) => s.trim());
  if (cwes.length > 0) v.cwe = [...new Set(cwes)].map((c) => c.slice(0, 100));
  if (kevEntry) v.sources.push({ origin: feedOrigin("kev", kev, nvd), url: KEV_URL });
  if (nvdCve) v.sources.push({ origin: feedOrigin("nvd", kev, nvd) });
  return v;
}

/** Applies parsed feeds to the knowledge (see the file comment for exactly what changes). */
export function updateKnowledge(
  current: VulnerabilityKb,
  feeds: { kev?: KevCatalog; nvd?: NvdFeed },
): UpdateResult {
  const next = structuredClone(current);
  const { kev, nvd } = feeds;
  const changes: VulnChange[] = [];
  const notes: string[] = [];
  const kevById = new Map((kev?.vulnerabilities ?? []).map((e) => [e.cveID, e]));
  const nvdById = new Map((nvd?.vulnerabilities ?? []).map((r) => [r.cve.id, r.cve]));

  for (const v of next.vulnerabilities) {
    const own: VulnChange[] = [];
    const n = nvdById.get(v.id);
    if (n && nvd) {
      const desc = nvdDescription(n);
      if (desc && !same(desc, v.description)) {
        own.push({
          id: v.id,
          kind: "description-changed",
          source: "nvd",
          field: "description",
          before: v.description,
          after: clip(desc),
          message: `${v.id}: description updated from NVD`,
        });
        v.description = clip(desc);
      }
      const c = cvssFromNvd(n, v.cvss !== null);
      if (c && cvssText(c) !== cvssText(v.cvss)) {
        own.push({
          id: v.id,
          kind: "cvss-changed",
          source: "nvd",
          field: "cvss",
          before: cvssText(v.cvss),
          after: cvssText(c),
          message: `${v.id}: CVSS ${cvssText(v.cvss) ?? "(none)"} -> ${cvssText(c)}`,
        });
        v.cvss = c;
      }
    }
    const k = kevById.get(v.id);
    if (k && kev) own.push(...applyKev(v, kevFromCatalog(k, kev), "kev"));
    else if (n && nvd) {
      const want = kevFromNvd(n, nvd);
      if (want) own.push(...applyKev(v, want, "nvd"));
    }
    for (const kind of new Set(own.map((c) => c.source))) addSource(v, feedOrigin(kind, kev, nvd));
    changes.push(...own);
  }

  const known = new Set(next.vulnerabilities.map((v) => v.id));
  const added: Vulnerability[] = [];
  const candidates = [...new Set([...kevById.keys(), ...nvdById.keys()])]
    .filter((id) => !known.has(id))
    .sort();
  for (const id of candidates) {
    const k = kevById.get(id);
    const n = nvdById.get(id);
    const byKev = k ? trackedByKev(next.trackedVendors, k.vendorProject) : undefined;
    const byCpe = n ? trackedByCpe(next.trackedVendors, n) : undefined;
    const vendor = byKev ?? byCpe?.vendor;
    if (!vendor) {
      if (n && !k && nvdCpeProducts(n).length === 0)
        notes.push(`${id}: the NVD record names no CPE vendor (not analysed yet?); not added`);
      continue;
    }
    const cpeProducts = byCpe && byCpe.vendor.manufacturer === vendor.manufacturer ? byCpe.products : [];
    const v = newEntry(id, vendor, k, n, cpeProducts, kev, nvd);
    added.push(v);
    const due = v.kev ? `; in KEV since ${v.kev.dateAdded}, due ${v.kev.dueDate}` : "";
    changes.push({
      id,
      kind: "new-cve",
      source: k ? "kev" : "nvd",
      after: v.manufacturer,
      message: `${id}: new family-only entry for ${vendor.brand ?? vendor.manufacturer}${due}`,
    });
  }
  next.vulnerabilities.push(...added);

  if (kev || nvd) {
    next.feeds = { ...(next.feeds ?? {}) };
    if (kev)
      next.feeds.kev = { file: kev.file, catalogVersion: kev.catalogVersion, dateReleased: kev.dateReleased };
    if (nvd) next.feeds.nvd = { file: nvd.file, timestamp: nvd.timestamp };
  }
  return { next, changes, notes };
}

/**
 * Parses the feed files, then applies them. Every file is validated before anything is applied, so a bad file
 * throws (an InputError naming it and the field) and nothing changes.
 */
export function updateFromFeedTexts(
  current: VulnerabilityKb,
  files: { kev?: { text: string; fileName: string }; nvd?: { text: string; fileName: string } },
  options: FeedOptions = {},
): UpdateResult {
  const kev = files.kev ? parseKevCatalog(files.kev.text, files.kev.fileName, options) : undefined;
  const nvd = files.nvd ? parseNvdFeed(files.nvd.text, files.nvd.fileName, options) : undefined;
  return updateKnowledge(current, { ...(kev ? { kev } : {}), ...(nvd ? { nvd } : {}) });
}
