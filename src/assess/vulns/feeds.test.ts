import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nvdCpeProducts, nvdPrimaryCvss, nvdSecondaryCvss, parseKevCatalog, parseNvdFeed } from "./feeds.js";
import { MAX_FEED_BYTES } from "./limits.js";

const FIX = join(import.meta.dirname, "__fixtures__");
const kevText = readFileSync(join(FIX, "cisa-kev-2025-08-25.trimmed.json"), "utf8");
const nvdText = readFileSync(join(FIX, "nvd-cve-2.0.rebuilt.json"), "utf8");

/** The KEV fixture, changed by `edit`, as text. */
function kevWith(
  edit: (o: Record<string, unknown> & { vulnerabilities: Record<string, unknown>[] }) => void,
): string {
  const o = JSON.parse(kevText);
  edit(o);
  return JSON.stringify(o);
}
function nvdWith(
  edit: (o: { vulnerabilities: { cve: Record<string, unknown> }[] } & Record<string, unknown>) => void,
): string {
  const o = JSON.parse(nvdText);
  edit(o);
  return JSON.stringify(o);
}

describe("parseKevCatalog", () => {
  it("reads the trimmed real catalogue with its top-level fields", () => {
    const cat = parseKevCatalog(kevText, "kev.json");
    expect(cat).toMatchObject({
      title: "CISA Catalog of Known Exploited Vulnerabilities",
      catalogVersion: "2025.08.25",
      dateReleased: "2025-08-25T17:04:19.9796Z",
      count: 1404,
      file: "kev.json",
    });
    expect(cat.vulnerabilities.length).toBe(JSON.parse(kevText).vulnerabilities.length);
    const hik = cat.vulnerabilities.find((v) => v.cveID === "CVE-2021-36260");
    expect(hik).toMatchObject({ vendorProject: "Hikvision", dateAdded: "2022-01-10", dueDate: "2022-01-24" });
    expect(hik?.knownRansomwareCampaignUse).toBe("Unknown");
  });

  it("caps input at 64 MiB by default", () => {
    expect(MAX_FEED_BYTES).toBe(64 * 1024 * 1024);
  });

  const bad: [string, string, RegExp][] = [
    ["not JSON", kevText.slice(0, 200), /^kev\.json: not JSON/],
    ["a wrong type", kevWith((o) => (o.count = "1404")), /^kev\.json: count: .*number/],
    [
      "a missing top-level field",
      kevWith((o) => delete o.catalogVersion),
      /^kev\.json: catalogVersion: missing$/,
    ],
    [
      "a missing entry field",
      kevWith((o) => delete o.vulnerabilities[3]!.dueDate),
      /^kev\.json: vulnerabilities\[3\]\.dueDate: missing$/,
    ],
    [
      "a bad date",
      kevWith((o) => (o.vulnerabilities[5]!.dueDate = "2024-09-31")),
      /^kev\.json: vulnerabilities\[5\]\.dueDate: not a date/,
    ],
    [
      "a bad date-time",
      kevWith((o) => (o.dateReleased = "yesterday")),
      /^kev\.json: dateReleased: not a date-time$/,
    ],
    [
      "a bad CVE id",
      kevWith((o) => (o.vulnerabilities[0]!.cveID = "CVE-25-1")),
      /^kev\.json: vulnerabilities\[0\]\.cveID: not a CVE id/,
    ],
    [
      "a duplicate CVE",
      kevWith((o) => o.vulnerabilities.push(o.vulnerabilities[0]!)),
      /^kev\.json: vulnerabilities\[\d+\]\.cveID: duplicate CVE-2025-48384$/,
    ],
    ["an array at the top", "[]", /^kev\.json: \(root\): /],
  ];
  for (const [what, text, message] of bad)
    it(`rejects ${what}, naming the file and field`, () => {
      expect(() => parseKevCatalog(text, "kev.json")).toThrow(message);
    });

  it("rejects a file over the size cap before parsing it", () => {
    expect(() => parseKevCatalog(kevText, "kev.json", { maxBytes: 1000 })).toThrow(
      /^kev\.json: too big \(\d+ bytes; limit 1000\)$/,
    );
    expect(() => parseKevCatalog(kevText, "kev.json", { maxBytes: kevText.length + 10 })).not.toThrow();
  });
});

describe("parseNvdFeed", () => {
  it("reads the NVD CVE API 2.0 fixture", () => {
    const feed = parseNvdFeed(nvdText, "nvd.json");
    expect(feed).toMatchObject({ format: "NVD_CVE", version: "2.0", totalResults: 3, file: "nvd.json" });
    const byId = new Map(feed.vulnerabilities.map((v) => [v.cve.id, v.cve]));
    const c7921 = byId.get("CVE-2017-7921")!;
    // NVD's own v3.0 score wins over the CISA-ADP v3.1 one
    expect(nvdPrimaryCvss(c7921)?.cvssData).toMatchObject({ version: "3.0", baseScore: 10 });
    expect(nvdSecondaryCvss(c7921)?.source).toBe("CISA-ADP");
    expect(c7921.cisaActionDue).toBe("2026-03-26");
    const products = nvdCpeProducts(byId.get("CVE-2021-33044")!);
    expect(new Set(products.map((p) => p.vendor))).toEqual(new Set(["dahuasecurity"]));
    expect(products.map((p) => p.product)).toContain("ipc-hx3xxx_firmware");
    // an escaped "/" in a CPE field is read as "/"
    expect(nvdCpeProducts(byId.get("CVE-2021-36260")!)).toEqual([
      { vendor: "hikvision", product: "ds-2cd2026g2-iu/sl_firmware" },
    ]);
  });

  const bad: [string, string, RegExp][] = [
    ["not JSON", "{", /^nvd\.json: not JSON/],
    ["another format", nvdWith((o) => (o.format = "NVD_CPE")), /^nvd\.json: format: /],
    ["a wrong type", nvdWith((o) => (o.totalResults = "3")), /^nvd\.json: totalResults: .*number/],
    [
      "a missing CVE id",
      nvdWith((o) => delete o.vulnerabilities[1]!.cve.id),
      /^nvd\.json: vulnerabilities\[1\]\.cve\.id: missing$/,
    ],
    [
      "a bad KEV due date",
      nvdWith((o) => (o.vulnerabilities[2]!.cve.cisaActionDue = "2024/09/11")),
      /^nvd\.json: vulnerabilities\[2\]\.cve\.cisaActionDue: not a date/,
    ],
    [
      "a score out of range",
      nvdWith((o) => {
        const m = o.vulnerabilities[1]!.cve.metrics as {
          cvssMetricV31: { cvssData: { baseScore: number } }[];
        };
        m.cvssMetricV31[0]!.cvssData.baseScore = 98;
      }),
      /^nvd\.json: vulnerabilities\[1\]\.cve\.metrics\.cvssMetricV31\[0\]\.cvssData\.baseScore: /,
    ],
    [
      "a bad published date-time",
      nvdWith((o) => (o.vulnerabilities[0]!.cve.published = "May 2017")),
      /^nvd\.json: vulnerabilities\[0\]\.cve\.published: not a date-time$/,
    ],
  ];
  for (const [what, text, message] of bad)
    it(`rejects ${what}, naming the file and field`, () => {
      expect(() => parseNvdFeed(text, "nvd.json")).toThrow(message);
    });

  it("rejects a file over the size cap", () => {
    expect(() => parseNvdFeed(nvdText, "nvd.json", { maxBytes: 100 })).toThrow(/^nvd\.json: too big/);
  });
});
