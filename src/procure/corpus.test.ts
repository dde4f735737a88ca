import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { verifyFingerprintFile } from "../knowledge/verify.js";
import { defaultKnowledgeDir } from "../knowledge/load.js";
import { packagePath } from "../shared/paths.js";
import { loadProcurementCorpus, scoreCorpus } from "./corpus.js";
import { loadScreenKnowledge } from "./index.js";

const knowledge = loadScreenKnowledge({});
const makers = new Set(knowledge.kb.manufacturers.map((m) => m.slug));

describe("knowledge/procurement/models.yaml", () => {
  it("holds rules whose examples all pass, checked as a fingerprint file is", () => {
    expect(verifyFingerprintFile(join(defaultKnowledgeDir(), "procurement", "models.yaml"))).toEqual([]);
  });
});

describe("the procurement corpus", () => {
  const cases = loadProcurementCorpus(packagePath("corpus/procurement"), makers);
  it("holds at least 150 cited listings of each kind of answer", () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    for (const label of ["prohibited", "needs-attestation", "clear"] as const)
      expect(cases.filter((c) => c.expect === label).length, label).toBeGreaterThanOrEqual(20);
  });
  it("is screened with prohibited recall of at least 98% at precision of at least 95% (docs/accuracy.md)", () => {
    const s = scoreCorpus({ ...knowledge, organization: null, lists: [] }, cases);
    expect(s.recall).toBeGreaterThanOrEqual(0.98);
    expect(s.precision).toBeGreaterThanOrEqual(0.95);
    // Nothing the corpus calls clear is ever refused: a false ban costs a buyer a lawful product.
    expect(s.confusion.clear.prohibited).toBe(0);
  });
  it("refuses a case that breaks the format, naming the file and the case", () => {
    const dir = mkdtempSync(join(tmpdir(), "camsweep-corpus-"));
    writeFileSync(
      join(dir, "bad.yaml"),
      "cases:\n  - id: x1\n    text: Hikvision DS-2CD2143G2-I\n    expect: prohibited\n    maker: axis\n    relation: own\n    source: { url: 'https://example.org/a', title: t, kind: retail }\n",
    );
    expect(() => loadProcurementCorpus(dir, makers)).toThrow(
      /bad\.yaml.*case 0 \(x1\): .*a prohibited case names a covered maker/,
    );
  });
});
