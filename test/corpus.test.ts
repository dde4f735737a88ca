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

  it("holds each capture once (the same observations under two ids would count twice)", () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const c of cases) {
      const key = JSON.stringify(c.observations.map((o) => ({ ...o, time: undefined })));
      const prev = seen.get(key);
      if (prev) twice.push(`${prev} = ${c.id}`);
      else seen.set(key, c.id);
    }
    expect(twice).toEqual([]);
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
