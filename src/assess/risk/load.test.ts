import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { InputError } from "../../shared/errors.js";
import {
  bundledRiskWeightsPath,
  loadRiskWeights,
  MAX_RISK_WEIGHTS_BYTES,
  parseRiskWeights,
  riskOf,
  type RiskInput,
} from "./index.js";

const tmp = mkdtempSync(join(tmpdir(), "csw-risk-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bundledText = readFileSync(bundledRiskWeightsPath(), "utf8");
/** The bundled file as data with the value at `path` set (deleted when undefined), written to a file of its own. */
function variant(name: string, path: (string | number)[], value: unknown): string {
  const data: unknown = parse(bundledText);
  let at = data as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete at[last];
  else at[last] = value;
  const file = join(tmp, name);
  writeFileSync(file, stringify(data));
  return file;
}
function failure(file: string): InputError {
  try {
    loadRiskWeights(file);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error(`${file} loaded`);
}

describe("the bundled weights", () => {
  it("load, and the same object comes back the second time", () => {
    const w = loadRiskWeights();
    expect(w.schemaVersion).toBe(1);
    expect(w.weightsVersion).toMatch(/\S/);
    expect(loadRiskWeights()).toBe(w);
    // an explicit path reads the file again
    expect(loadRiskWeights(bundledRiskWeightsPath())).toEqual(w);
  });

  it("give the worked figures its header comment states", () => {
    const w = loadRiskWeights();
    const stated = [
      ...bundledText.matchAll(
        /= (\d+) \((low|medium|high|critical)\)|: (\d+) \((low|medium|high|critical)\)/g,
      ),
    ];
    expect(stated.length).toBe(4);
    const KEV = { dateAdded: "2022-01-10", dueDate: "2022-01-24" };
    const nvr: RiskInput = {
      verdict: "prohibited",
      vulnerabilities: [
        { id: "CVE-2021-36260", certainty: "exact", kev: KEV, cvss: null, disputed: false, reason: "t" },
      ],
      deviceType: "nvr",
      exposure: null,
      cloud: [],
      siteCriticality: "normal",
      today: "2026-11-22",
    };
    const cases = [
      nvr,
      { ...nvr, exposure: { internet: true, source: "t" } },
      { ...nvr, vulnerabilities: [], deviceType: "camera" as const },
      { ...nvr, vulnerabilities: [], deviceType: "camera" as const, verdict: "allowed" as const },
    ];
    cases.forEach((c, i) => {
      const m = stated[i];
      const r = riskOf(c, w);
      expect(r.score).toBe(Number(m?.[1] ?? m?.[3]));
      expect(r.level).toBe(m?.[2] ?? m?.[4]);
    });
  });
});

describe("a bad weights file is an InputError naming the file and the field", () => {
  it("an unknown key", () => {
    const f = variant("unknown.yaml", ["kev", "exactt"], { points: 1, reason: "typo" });
    const e = failure(f);
    expect(e.message).toContain(f);
    expect(e.message).toMatch(/kev\.exactt: unknown key/);
  });

  it("negative or fractional points", () => {
    const neg = failure(variant("negative.yaml", ["siteCriticality", "high", "points"], -5));
    expect(neg.message).toMatch(/negative\.yaml: siteCriticality\.high\.points: /);
    const frac = failure(variant("fraction.yaml", ["kev", "exact", "points"], 2.5));
    expect(frac.message).toMatch(/kev\.exact\.points: /);
  });

  it("a missing field", () => {
    const e = failure(variant("missing.yaml", ["exposure", "internet"], undefined));
    expect(e.message).toMatch(/missing\.yaml: exposure\.internet: missing/);
    const noType = failure(variant("no-nvr.yaml", ["deviceType", "nvr"], undefined));
    expect(noType.message).toMatch(/deviceType\.nvr: missing/);
  });

  it("weights that contradict themselves", () => {
    expect(failure(variant("family.yaml", ["kev", "family", "points"], 30)).message).toMatch(
      /kev\.family\.points: more than kev\.exact\.points/,
    );
    expect(failure(variant("levels.yaml", ["levels", "high"], 20)).message).toMatch(
      /levels\.high: must be above levels\.medium/,
    );
    expect(failure(variant("bands.yaml", ["cves", "bands", 1, "minScore"], 9.5)).message).toMatch(
      /cves\.bands\[1\]\.minScore: bands go from the highest score down/,
    );
    expect(failure(variant("reason.yaml", ["policy", "advisory", "reason"], "two\nlines")).message).toMatch(
      /policy\.advisory\.reason: one line/,
    );
  });

  it("not YAML, not a mapping, duplicate keys, too big, absent", () => {
    const bad = join(tmp, "bad.yaml");
    writeFileSync(bad, "levels: [1, 2\n");
    expect(failure(bad).message).toMatch(/bad\.yaml(:\d+)?: not valid YAML/);
    expect(() => parseRiskWeights("- 1\n- 2\n", "list.yaml")).toThrow(
      /list\.yaml: \(root\): risk weights are a mapping/,
    );
    expect(() => parseRiskWeights("schemaVersion: 1\nschemaVersion: 1\n", "dup.yaml")).toThrow(
      /dup\.yaml.*not valid YAML/,
    );
    const big = join(tmp, "big.yaml");
    writeFileSync(big, `# ${"x".repeat(MAX_RISK_WEIGHTS_BYTES)}\n`);
    expect(failure(big).message).toMatch(/big\.yaml: larger than \d+ bytes/);
    const absent = join(tmp, "absent.yaml");
    expect(failure(absent).message).toMatch(/absent\.yaml: cannot read risk weights \(ENOENT\)/);
  });
});
