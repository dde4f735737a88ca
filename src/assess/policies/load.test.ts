import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { InputError } from "../../shared/errors.js";
import {
  defaultPolicyPackDir,
  loadPolicyPacks,
  MAX_PACK_BYTES,
  parsePolicyPack,
  readPolicyPack,
} from "./load.js";

// Start from a real bundled pack and break one thing at a time: each error must name the file and the field.
const quebecText = readFileSync(join(defaultPolicyPackDir(), "CA-QC-2023-HIKVISION-DAHUA.yaml"), "utf8");
type Mutable = Record<string, unknown> & {
  binds: Record<string, unknown>[];
  covers: Record<string, unknown>[];
  deadlines?: Record<string, unknown>[];
};
function quebec(): Mutable {
  return parse(quebecText) as Mutable;
}
function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error("expected an InputError");
}
function yamlError(mutate: (p: Mutable) => void, file = "packs/mine.yaml"): string {
  const p = quebec();
  mutate(p);
  return errorOf(() => parsePolicyPack(stringify(p), file)).message;
}

describe("parsePolicyPack", () => {
  it("reads a valid pack in YAML and the same pack in JSON", () => {
    const y = parsePolicyPack(quebecText, "CA-QC.yaml");
    expect(y.id).toBe("CA-QC-2023-HIKVISION-DAHUA");
    expect(y.binds[0]?.types).toEqual(["provincial"]);
    expect(y.deadlines).toEqual([]);
    const j = parsePolicyPack(JSON.stringify(quebec()), "CA-QC.json");
    expect(j).toEqual(y);
  });

  it("names an unknown organization type with its field path", () => {
    const m = yamlError((p) => {
      (p.binds[0] as { types: string[] }).types = ["provincial", "provincal"];
    });
    expect(m).toMatch(/^packs\/mine\.yaml: binds\[0\]\.types\[1\]: Invalid option/);
    expect(m).toContain('"federal-department"');
  });

  it("names a date that is not a calendar date", () => {
    expect(yamlError((p) => void (p.date = "2023-02-30"))).toMatch(
      /^packs\/mine\.yaml: date: a date written YYYY-MM-DD/,
    );
    expect(yamlError((p) => void (p.dates = [{ what: "decree", date: "21/12/2023" }]))).toMatch(
      /packs\/mine\.yaml: dates\[0\]\.date: a date written YYYY-MM-DD/,
    );
  });

  it("names an unknown manufacturer group", () => {
    const m = yamlError((p) => void (p.covers[1] = { group: "Dahau", entities: [] }));
    expect(m).toMatch(/^packs\/mine\.yaml: covers\[1\]\.group: unknown group "Dahau" \(known: .*Dahua/);
  });

  it("checks groups against the vocabulary it is given", () => {
    const m = errorOf(() =>
      parsePolicyPack(quebecText, "q.yaml", { groups: new Set(["Hikvision"]) }),
    ).message;
    expect(m).toMatch(/q\.yaml: covers\[1\]\.group: unknown group "Dahua" \(known: Hikvision\)/);
  });

  it("names a missing id", () => {
    expect(yamlError((p) => void delete p.id)).toMatch(/^packs\/mine\.yaml: id: missing \(required\)$/);
  });

  it("refuses an unknown key (a typo) and names it", () => {
    expect(
      yamlError((p) => {
        p.bind = p.binds;
      }),
    ).toMatch(/^packs\/mine\.yaml: bind: unknown key/);
    expect(yamlError((p) => void (p.binds[0] = { ...p.binds[0], jurisdiction: ["CA-QC"] }))).toMatch(
      /binds\[0\]\.jurisdiction: unknown key/,
    );
  });

  it("names a bad jurisdiction and a bad sector", () => {
    expect(yamlError((p) => void (p.binds[0] = { ...p.binds[0], jurisdictions: ["Quebec"] }))).toMatch(
      /binds\[0\]\.jurisdictions\[0\]: an ISO 3166 code/,
    );
    expect(yamlError((p) => void (p.binds[0] = { ...p.binds[0], sectors: ["telecom"] }))).toMatch(
      /binds\[0\]\.sectors\[0\]: Invalid option/,
    );
  });

  it("refuses a rule that would match everyone in a jurisdiction", () => {
    expect(
      yamlError(
        (p) =>
          void (p.binds[0] = { id: "all", who: "everyone", jurisdictions: ["CA"], clause: "scope-quebec" }),
      ),
    ).toMatch(/binds\[0\]: a rule needs types, sectors or organizations/);
  });

  it("checks the references inside a pack: clause, rule, source key, duplicates", () => {
    expect(yamlError((p) => void (p.binds[1] = { ...p.binds[1], clause: "scope-qc" }))).toMatch(
      /binds\[1\]\.clause: unknown clause "scope-qc"/,
    );
    expect(
      yamlError((p) => void (p.deadlines = [{ what: "x", date: "2024-01-01", appliesTo: ["schools"] }])),
    ).toMatch(/deadlines\[0\]\.appliesTo\[0\]: unknown rule "schools"/);
    expect(yamlError((p) => void (p.deadlines = [{ what: "x" }]))).toMatch(
      /deadlines\[0\]: a deadline needs date or when/,
    );
    expect(
      yamlError((p) => {
        (p.clauses as { sources: string[] }[])[0]!.sources = ["qc", "quebec"];
      }),
    ).toMatch(/clauses\[0\]\.sources\[1\]: unknown source key "quebec"/);
    expect(yamlError((p) => void (p.binds[1] = { ...p.binds[1], id: "provincial-bodies" }))).toMatch(
      /binds\[1\]\.id: duplicate rule id "provincial-bodies"/,
    );
    expect(yamlError((p) => void (p.covers[1] = { group: "Hikvision", entities: [] }))).toMatch(
      /covers\[1\]\.group: group "Hikvision" is listed twice/,
    );
  });

  it("names a source URL that is not a URL", () => {
    expect(
      yamlError((p) => {
        (p.sources as { urls: string[] }[])[0]!.urls = ["techsoma.ca/hikvision"];
      }),
    ).toMatch(/sources\[0\]\.urls\[0\]: Invalid URL/);
  });

  it("reports several problems at once, capped", () => {
    const m = yamlError((p) => {
      for (const k of ["id", "title", "issuer", "instrument", "jurisdiction", "confidence", "reference"])
        delete p[k];
    });
    expect(m).toContain("id: missing (required)");
    expect(m).toMatch(/; and 2 more$/);
  });

  it("refuses input that is not a pack at all", () => {
    expect(errorOf(() => parsePolicyPack("id: [unclosed", "bad.yaml")).message).toMatch(
      /^bad\.yaml:1: not valid YAML/,
    );
    expect(errorOf(() => parsePolicyPack("a: 1\na: 2\n", "dup.yaml")).message).toMatch(
      /^dup\.yaml:\d+: not valid YAML/,
    );
    expect(errorOf(() => parsePolicyPack("{ id: ", "bad.json")).message).toMatch(
      /^bad\.json: not valid JSON/,
    );
    expect(errorOf(() => parsePolicyPack("[1, 2]", "list.json")).message).toMatch(
      /^list\.json: \(root\): a policy pack is a mapping/,
    );
    expect(errorOf(() => parsePolicyPack("", "empty.yaml")).message).toMatch(/^empty\.yaml: \(root\)/);
  });

  it("refuses input over the size cap before parsing it", () => {
    const big = `# ${"x".repeat(MAX_PACK_BYTES)}\n${quebecText}`;
    expect(errorOf(() => parsePolicyPack(big, "big.yaml")).message).toMatch(
      /^big\.yaml: larger than 262144 bytes/,
    );
  });
});

describe("loadPolicyPacks and readPolicyPack", () => {
  const dir = mkdtempSync(join(tmpdir(), "camsweep-packs-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads a folder of YAML and JSON packs and refuses two packs with one id", () => {
    writeFileSync(join(dir, "a.yaml"), quebecText);
    const other = quebec();
    other.id = "CA-QC-OTHER";
    writeFileSync(join(dir, "b.json"), JSON.stringify(other));
    writeFileSync(join(dir, "notes.txt"), "not a pack");
    expect(loadPolicyPacks(dir).map((p) => p.id)).toEqual(["CA-QC-2023-HIKVISION-DAHUA", "CA-QC-OTHER"]);
    writeFileSync(join(dir, "c.yml"), quebecText);
    expect(errorOf(() => loadPolicyPacks(dir)).message).toMatch(
      /c\.yml: id: "CA-QC-2023-HIKVISION-DAHUA" is also the id of \S*a\.yaml/,
    );
  });

  it("names a missing file or folder", () => {
    expect(errorOf(() => readPolicyPack(join(dir, "none.yaml"))).message).toMatch(
      /none\.yaml: cannot read policy pack \(ENOENT\)/,
    );
    expect(errorOf(() => loadPolicyPacks(join(dir, "nope"))).message).toMatch(
      /nope: cannot read policy pack folder \(ENOENT\)/,
    );
  });

  it("refuses an oversized file without reading it", () => {
    const path = join(dir, "huge.yaml");
    writeFileSync(path, "x".repeat(MAX_PACK_BYTES + 1));
    expect(errorOf(() => readPolicyPack(path)).message).toMatch(/huge\.yaml: larger than/);
  });
});
