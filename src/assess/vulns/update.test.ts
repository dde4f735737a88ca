import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseKevCatalog, parseNvdFeed } from "./feeds.js";
import { bundledVulnerabilityPath, readVulnerabilityKb, validateVulnerabilityKb } from "./load.js";
import { matchVulnerabilities } from "./match.js";
import type { VulnerabilityKb } from "./schema.js";
import { updateFromFeedTexts, updateKnowledge } from "./update.js";

const FIX = join(import.meta.dirname, "__fixtures__");
const kevText = readFileSync(join(FIX, "cisa-kev-2025-08-25.trimmed.json"), "utf8");
const nvdText = readFileSync(join(FIX, "nvd-cve-2.0.rebuilt.json"), "utf8");
const kev = parseKevCatalog(kevText, "kev.json");
const nvd = parseNvdFeed(nvdText, "nvd.json");
const bundled = readVulnerabilityKb(bundledVulnerabilityPath());

/** A copy of the bundled knowledge, changed by `edit` (the state a user's copy could be in before an update). */
function kbWith(edit: (kb: VulnerabilityKb) => void): VulnerabilityKb {
  const kb = structuredClone(bundled);
  edit(kb);
  return kb;
}
const get = (kb: VulnerabilityKb, id: string) => kb.vulnerabilities.find((v) => v.id === id);
const without = (id: string) =>
  kbWith((kb) => (kb.vulnerabilities = kb.vulnerabilities.filter((v) => v.id !== id)));

describe("updateKnowledge with the KEV catalogue", () => {
  it("finds the bundled data in line with the real catalogue: no change, no new entry", () => {
    const { next, changes } = updateKnowledge(bundled, { kev });
    expect(changes).toEqual([]);
    expect(next.vulnerabilities).toEqual(bundled.vulnerabilities);
    expect(next.feeds?.kev).toEqual({
      file: "kev.json",
      catalogVersion: "2025.08.25",
      dateReleased: kev.dateReleased,
    });
  });

  it("adds the KEV status of a CVE that had none, with its due date, and changes nothing else", () => {
    const current = kbWith((kb) => (get(kb, "CVE-2021-36260")!.kev = null));
    const before = structuredClone(current);
    const { next, changes } = updateKnowledge(current, { kev });
    expect(current).toEqual(before); // the input is never touched
    expect(changes).toEqual([
      expect.objectContaining({
        id: "CVE-2021-36260",
        kind: "kev-added",
        source: "kev",
        after: "2022-01-24",
      }),
    ]);
    expect(get(next, "CVE-2021-36260")!.kev).toMatchObject({
      dateAdded: "2022-01-10",
      dueDate: "2022-01-24",
      name: "Hikvision Improper Input Validation",
      knownRansomwareCampaignUse: "Unknown",
    });
    // every other entry is as it was
    const others = (kb: VulnerabilityKb) => kb.vulnerabilities.filter((v) => v.id !== "CVE-2021-36260");
    expect(others(next)).toEqual(others(current));
  });

  it("reports a changed due date field by field", () => {
    const current = kbWith((kb) => (get(kb, "CVE-2021-33044")!.kev!.dueDate = "2024-10-01"));
    const { next, changes } = updateKnowledge(current, { kev });
    expect(changes).toEqual([
      expect.objectContaining({
        id: "CVE-2021-33044",
        kind: "kev-changed",
        field: "dueDate",
        before: "2024-10-01",
        after: "2024-09-11",
      }),
    ]);
    expect(get(next, "CVE-2021-33044")!.kev!.dueDate).toBe("2024-09-11");
    expect(get(next, "CVE-2021-33044")!.kev!.source).toMatch(/kev\.json.*2025\.08\.25/);
  });

  it("keeps the KEV status of a CVE the catalogue does not list (CVE-2017-7921 came from NVD after it)", () => {
    const { next } = updateKnowledge(bundled, { kev });
    expect(get(next, "CVE-2017-7921")!.kev).toEqual(get(bundled, "CVE-2017-7921")!.kev);
  });

  it("adds a tracked vendor's KEV CVE that the data lacks as a family-only entry", () => {
    const { next, changes } = updateKnowledge(without("CVE-2021-36260"), { kev });
    expect(changes).toEqual([
      expect.objectContaining({ id: "CVE-2021-36260", kind: "new-cve", source: "kev" }),
    ]);
    const v = get(next, "CVE-2021-36260")!;
    expect(v).toMatchObject({ manufacturer: "hikvision", origin: "kev", vendor: "Hikvision", cvss: null });
    expect(v.kev).toMatchObject({ dateAdded: "2022-01-10", dueDate: "2022-01-24" });
    expect(v.affected).toHaveLength(1);
    expect(v.affected[0]!.models).toBeUndefined();
    expect(v.productFamilies[0]).toContain("Security cameras web server");
    expect(() => validateVulnerabilityKb(next, "next")).not.toThrow();
    // it now matches any Hikvision device, at family certainty, with its KEV dates
    const m = matchVulnerabilities({ manufacturer: "hikvision", model: null, firmware: null }, next).find(
      (x) => x.id === "CVE-2021-36260",
    );
    expect(m).toMatchObject({ certainty: "family", kev: { dateAdded: "2022-01-10", dueDate: "2022-01-24" } });
  });

  it("adds an Amcrest KEV CVE under the Dahua maker, scoped to the Amcrest brand", () => {
    const { next, changes } = updateKnowledge(without("CVE-2020-5735"), { kev });
    expect(changes.map((c) => [c.id, c.kind])).toEqual([["CVE-2020-5735", "new-cve"]]);
    const v = get(next, "CVE-2020-5735")!;
    expect(v).toMatchObject({ manufacturer: "dahua", vendor: "Amcrest" });
    expect(v.affected[0]!.brand).toBe("Amcrest");
  });

  it("ignores KEV entries of untracked vendors (D-Link, Reolink, Git)", () => {
    const { next } = updateKnowledge(bundled, { kev });
    for (const id of ["CVE-2020-25078", "CVE-2020-25079", "CVE-2021-40407", "CVE-2025-48384"])
      expect(get(next, id)).toBeUndefined();
  });
});

describe("updateKnowledge with NVD records", () => {
  it("finds the bundled data in line with the records it was built from", () => {
    expect(updateKnowledge(bundled, { nvd }).changes).toEqual([]);
  });

  it("updates a changed CVSS from NVD's primary metric, not the CISA-ADP one", () => {
    const current = kbWith(
      (kb) => (get(kb, "CVE-2017-7921")!.cvss = { version: "3.1", score: 9.8, source: "x" }),
    );
    const { next, changes } = updateKnowledge(current, { nvd });
    expect(changes).toEqual([
      expect.objectContaining({
        id: "CVE-2017-7921",
        kind: "cvss-changed",
        before: "3.1 9.8",
        source: "nvd",
      }),
    ]);
    expect(get(next, "CVE-2017-7921")!.cvss).toMatchObject({
      version: "3.0",
      score: 10,
      source: "NVD (nvd@nist.gov)",
    });
    expect(get(next, "CVE-2017-7921")!.sources).toContainEqual({
      origin: expect.stringContaining("nvd.json"),
    });
  });

  it("updates a changed description", () => {
    const current = kbWith((kb) => (get(kb, "CVE-2021-33044")!.description = "old text"));
    const { next, changes } = updateKnowledge(current, { nvd });
    expect(changes.map((c) => [c.id, c.kind, c.before])).toEqual([
      ["CVE-2021-33044", "description-changed", "old text"],
    ]);
    expect(get(next, "CVE-2021-33044")!.description).toBe(get(bundled, "CVE-2021-33044")!.description);
  });

  it("takes KEV dates from the NVD record's cisaExploitAdd / cisaActionDue", () => {
    const current = kbWith((kb) => (get(kb, "CVE-2017-7921")!.kev = null));
    const { next, changes } = updateKnowledge(current, { nvd });
    expect(changes).toEqual([
      expect.objectContaining({ id: "CVE-2017-7921", kind: "kev-added", source: "nvd", after: "2026-03-26" }),
    ]);
    expect(get(next, "CVE-2017-7921")!.kev).toMatchObject({ dateAdded: "2026-03-05", dueDate: "2026-03-26" });
  });

  it("adds a new CVE of a tracked CPE vendor as family-only, keeping the CPE product names", () => {
    const { next, changes, notes } = updateKnowledge(without("CVE-2021-36260"), { nvd });
    expect(changes).toEqual([
      expect.objectContaining({ id: "CVE-2021-36260", kind: "new-cve", source: "nvd" }),
    ]);
    expect(notes).toEqual([]);
    const v = get(next, "CVE-2021-36260")!;
    expect(v).toMatchObject({ manufacturer: "hikvision", origin: "nvd", published: "2021-09-22" });
    expect(v.cvss).toMatchObject({ version: "3.1", score: 9.8 });
    expect(v.kev).toMatchObject({ dateAdded: "2022-01-10", dueDate: "2022-01-24" });
    expect(v.productFamilies.join(" ")).toContain("ds-2cd2026g2-iu/sl_firmware");
    expect(v.cwe).toEqual(["CWE-78"]);
  });

  it("does not add a record that names no CPE vendor, and says so", () => {
    const { next, changes, notes } = updateKnowledge(without("CVE-2017-7921"), { nvd });
    expect(changes).toEqual([]);
    expect(get(next, "CVE-2017-7921")).toBeUndefined();
    expect(notes).toEqual([expect.stringMatching(/^CVE-2017-7921: .*no CPE vendor/)]);
  });
});

describe("updateKnowledge with both feeds", () => {
  it("adds a CVE present in both once: KEV dates from the catalogue, score and text from NVD", () => {
    const { next, changes } = updateKnowledge(without("CVE-2021-36260"), { kev, nvd });
    expect(changes.filter((c) => c.id === "CVE-2021-36260").map((c) => c.kind)).toEqual(["new-cve"]);
    const v = get(next, "CVE-2021-36260")!;
    expect(v.kev!.source).toMatch(/CISA KEV kev\.json/);
    expect(v.cvss?.score).toBe(9.8);
    expect(v.description).toBe(get(bundled, "CVE-2021-36260")!.description);
    expect(v.sources.length).toBe(3);
  });

  it("is idempotent: applying the same feeds again changes nothing", () => {
    const first = updateKnowledge(
      kbWith((kb) => {
        kb.vulnerabilities = kb.vulnerabilities.filter((v) => v.id !== "CVE-2020-5735");
        get(kb, "CVE-2021-33045")!.kev = null;
      }),
      { kev, nvd },
    );
    expect(first.changes.length).toBe(2);
    const second = updateKnowledge(first.next, { kev, nvd });
    expect(second.changes).toEqual([]);
    expect(second.next).toEqual(first.next);
  });
});

describe("updateFromFeedTexts", () => {
  it("applies valid files", () => {
    const r = updateFromFeedTexts(without("CVE-2021-36260"), {
      kev: { text: kevText, fileName: "kev.json" },
      nvd: { text: nvdText, fileName: "nvd.json" },
    });
    expect(r.changes.map((c) => c.id)).toEqual(["CVE-2021-36260"]);
  });

  const broken: [
    string,
    { kev?: { text: string; fileName: string }; nvd?: { text: string; fileName: string } },
    RegExp,
  ][] = [
    ["KEV not JSON", { kev: { text: "not json", fileName: "kev.json" } }, /^kev\.json: not JSON/],
    [
      "a good KEV file with a broken NVD file",
      {
        kev: { text: kevText, fileName: "kev.json" },
        nvd: { text: nvdText.replace('"NVD_CVE"', '"CVE"'), fileName: "nvd.json" },
      },
      /^nvd\.json: format/,
    ],
    [
      "a KEV entry with a bad due date",
      {
        kev: {
          text: kevText.replace('"dueDate": "2022-01-24"', '"dueDate": "2022-01-44"'),
          fileName: "kev.json",
        },
      },
      /^kev\.json: vulnerabilities\[7\]\.dueDate: not a date/,
    ],
  ];
  for (const [what, files, message] of broken)
    it(`throws on ${what} and changes nothing`, () => {
      const current = without("CVE-2021-36260");
      const before = structuredClone(current);
      expect(() => updateFromFeedTexts(current, files)).toThrow(message);
      expect(current).toEqual(before);
    });

  it("throws on a file over the cap", () => {
    expect(() =>
      updateFromFeedTexts(bundled, { kev: { text: kevText, fileName: "kev.json" } }, { maxBytes: 64 }),
    ).toThrow(/^kev\.json: too big/);
  });
});
