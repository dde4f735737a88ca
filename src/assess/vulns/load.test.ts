import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { packagePath } from "../../shared/paths.js";
import {
  bundledVulnerabilityPath,
  loadVulnerabilities,
  readVulnerabilityKb,
  validateVulnerabilityKb,
  writeVulnerabilityKb,
} from "./load.js";
import type { VulnerabilityKb } from "./schema.js";

const dir = mkdtempSync(join(tmpdir(), "camsweep-vulns-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bundled = readVulnerabilityKb(bundledVulnerabilityPath());

describe("the bundled knowledge/vulnerabilities.yaml", () => {
  it("holds the 24 CVEs of the reference, each with sources and at least one family", () => {
    expect(bundled.vulnerabilities.length).toBe(24);
    expect(new Set(bundled.vulnerabilities.map((v) => v.id)).size).toBe(24);
    for (const v of bundled.vulnerabilities) {
      expect(v.origin).toBe("reference");
      expect(v.sources.length).toBeGreaterThan(0);
      expect(v.affected.length).toBeGreaterThan(0);
    }
  });

  it("names only brands of the vocabulary (brands.yaml), owned by the entry's maker", () => {
    const brands = (
      parseYaml(readFileSync(packagePath("knowledge", "vocabulary", "brands.yaml"), "utf8")) as {
        brands: { name: string; owner: string }[];
      }
    ).brands;
    const named = [
      ...bundled.trackedVendors.filter((t) => t.brand).map((t) => [t.brand, t.manufacturer]),
      ...bundled.vulnerabilities.flatMap((v) =>
        v.affected.filter((g) => g.brand).map((g) => [g.brand, v.manufacturer]),
      ),
    ];
    expect(named.length).toBeGreaterThan(0);
    for (const [brand, maker] of named) expect(brands.find((b) => b.name === brand)?.owner).toBe(maker);
  });

  it("keeps entries without a known range as family-only (no range, no fix)", () => {
    const familyOnly = bundled.vulnerabilities.filter((v) => v.affected.every((g) => !g.range && !g.fixed));
    expect(familyOnly.map((v) => v.id)).toEqual(
      expect.arrayContaining(["CVE-2022-30560", "CVE-2025-31700", "CVE-2017-7925", "CVE-2017-3223"]),
    );
  });
});

describe("readVulnerabilityKb / writeVulnerabilityKb", () => {
  it("round-trips YAML and JSON, atomically (no temporary file left behind)", () => {
    for (const name of ["kb.yaml", "kb.json"]) {
      const path = join(dir, "rt", name);
      writeVulnerabilityKb(path, bundled);
      expect(readVulnerabilityKb(path)).toEqual(bundled);
    }
    expect(readdirSync(join(dir, "rt")).sort()).toEqual(["kb.json", "kb.yaml"]);
  });

  it("refuses to write invalid data and leaves the old file in place", () => {
    const path = join(dir, "keep.yaml");
    writeVulnerabilityKb(path, bundled);
    const before = readFileSync(path, "utf8");
    const bad = structuredClone(bundled) as VulnerabilityKb;
    bad.vulnerabilities[0]!.kev = { dateAdded: "2026-02-30", dueDate: "2026-03-26", source: "x" };
    expect(() => writeVulnerabilityKb(path, bad)).toThrow(/vulnerabilities\[0\]\.kev\.dateAdded: not a date/);
    expect(readFileSync(path, "utf8")).toBe(before);
  });

  const invalid: [string, (kb: VulnerabilityKb) => void, RegExp][] = [
    [
      "an unknown maker slug",
      (kb) => (kb.vulnerabilities[2]!.manufacturer = "hikvisionn"),
      /vulnerabilities\[2\]\.manufacturer: unknown maker slug hikvisionn/,
    ],
    [
      "a model pattern outside the convention",
      (kb) => (kb.vulnerabilities[0]!.affected[1]!.models = ["ds-2cd2xx0f-i"]),
      /vulnerabilities\[0\]\.affected\[1\]\.models\[0\]: not a model pattern/,
    ],
    [
      "a duplicate CVE",
      (kb) => kb.vulnerabilities.push(structuredClone(kb.vulnerabilities[0]!)),
      /vulnerabilities\[24\]\.id: duplicate id CVE-2017-7921/,
    ],
    [
      "an empty range",
      (kb) => (kb.vulnerabilities[0]!.affected[0]!.range = {}),
      /affected\[0\]\.range: an empty range/,
    ],
  ];
  for (const [what, edit, message] of invalid)
    it(`rejects ${what}, naming the field`, () => {
      const kb = structuredClone(bundled) as VulnerabilityKb;
      edit(kb);
      expect(() => validateVulnerabilityKb(kb, "copy.yaml")).toThrow(message);
    });

  it("names the file for unreadable or malformed input", () => {
    expect(() => readVulnerabilityKb(join(dir, "absent.yaml"))).toThrow(
      /absent\.yaml: cannot read \(ENOENT\)/,
    );
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{ not json");
    expect(() => readVulnerabilityKb(broken)).toThrow(/broken\.json: not valid JSON/);
  });
});

describe("loadVulnerabilities", () => {
  it("uses the bundled file without an override, or when the override does not exist", () => {
    expect(loadVulnerabilities().file).toBe(bundledVulnerabilityPath());
    const r = loadVulnerabilities(join(dir, "never-written.yaml"));
    expect(r.file).toBe(bundledVulnerabilityPath());
    expect(r.warning).toBeUndefined();
  });

  it("uses a valid override", () => {
    const path = join(dir, "override.yaml");
    const kb = structuredClone(bundled) as VulnerabilityKb;
    kb.vulnerabilities = kb.vulnerabilities.slice(0, 3);
    writeVulnerabilityKb(path, kb);
    const r = loadVulnerabilities(path);
    expect(r.file).toBe(path);
    expect(r.kb.vulnerabilities.length).toBe(3);
  });

  it("falls back to the bundled file, with a warning naming the override and field, when it is invalid", () => {
    const path = join(dir, "bad-override.yaml");
    writeFileSync(path, "schemaVersion: 2\ntrackedVendors: []\nvulnerabilities: []\n");
    const r = loadVulnerabilities(path);
    expect(r.file).toBe(bundledVulnerabilityPath());
    expect(r.kb.vulnerabilities.length).toBe(24);
    expect(r.warning).toMatch(/bad-override\.yaml: schemaVersion: /);
  });
});
