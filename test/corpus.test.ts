import { describe, expect, it } from "vitest";
import { caseObservations, compareCase, loadCorpus } from "../src/accuracy/index.js";
import { identify, loadKnowledge } from "../src/identify/index.js";
import { packagePath } from "../src/shared/paths.js";

/** Every corpus case is a test: the verdict matches what the capture's source states, or the miss is explained. */
const kb = loadKnowledge();
const cases = loadCorpus([packagePath("corpus")]);

describe("identification corpus", () => {
  it("has cases", () => {
    expect(cases.length).toBeGreaterThan(0);
  });
  for (const c of cases) {
    it(`${c.file} ${c.id}`, () => {
      const r = compareCase(c, identify(caseObservations(c), kb));
      if (c.known) {
        // An explained miss must still be a miss; once fixed, the mark goes.
        expect(r.mismatches, `${c.id} is marked known but is now right`).not.toEqual([]);
      } else {
        expect(r.mismatches, JSON.stringify(r.identification.evidence.slice(0, 6))).toEqual([]);
      }
    });
  }
});
