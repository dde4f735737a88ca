import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadKnowledge } from "./load.js";
import { verifyFingerprintFile } from "./verify.js";

const fixtures = fileURLToPath(new URL("./__fixtures__/", import.meta.url));
const kb = loadKnowledge();

// Each deliberately broken file must be rejected with the right message.
const cases: [file: string, rule: string | undefined, message: RegExp][] = [
  ["bad-capture.yaml", "fixture.bad-capture", /capture groups: regex has 2, claims use 1/],
  ["no-match.yaml", "fixture.no-match", /example does not match: "DNVRS-Webs"/],
  ["wrong-value.yaml", "fixture.wrong-value", /expected model="DS-2CD2385G1-I" but got "DS-2CD2320D-I"/],
  ["unknown-manufacturer.yaml", "fixture.unknown-manufacturer", /unknown manufacturer "acme"/],
  ["missing-sources.yaml", undefined, /rules\.0\.sources: every rule needs at least one source/],
  ["stolen.yaml", "fixture.specific-later", /is stolen by earlier rule "fixture\.generic-first"/],
  ["no-examples.yaml", undefined, /rules\.0\.examples: every rule needs at least one example/],
  ["bad-regex.yaml", "fixture.bad-regex", /regex does not compile/],
  ["slow-regex.yaml", "fixture.slow-regex", /regex is slow on hostile input \(over 50 ms on 8 KiB starting/],
];

describe("verifier rejects broken fingerprints", () => {
  it.each(cases)("%s", (file, rule, message) => {
    const issues = verifyFingerprintFile(join(fixtures, file), kb);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.some((i) => i.rule === rule && message.test(i.message))).toBe(true);
  });

  it("does not count a counter-example whose context the rule's when filter excludes", () => {
    expect(verifyFingerprintFile(join(fixtures, "when-excludes.yaml"), kb)).toEqual([]);
  });

  it("accepts a real fingerprint file", () => {
    const real = fileURLToPath(new URL("../../knowledge/fingerprints/http-server.yaml", import.meta.url));
    expect(verifyFingerprintFile(real, kb)).toEqual([]);
  });
});
