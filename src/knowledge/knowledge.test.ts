import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { listFiles } from "../shared/files.js";
import { compileRule, extractClaims, whenMatches } from "./compile.js";
import { defaultKnowledgeDir, loadKnowledge } from "./load.js";
import { verifyKnowledge } from "./verify.js";

const dir = defaultKnowledgeDir();
const kb = loadKnowledge(dir);


describe("knowledge base", () => {
  it("verifies with no issues", () => {
    expect(verifyKnowledge(dir)).toEqual([]);
  });

  it("loads every fingerprint file under knowledge/fingerprints", () => {
    const onDisk = listFiles(join(dir, "fingerprints"), /\.ya?ml$/).map((f) => relative(dir, f));
    expect(kb.files.map((f) => f.file)).toEqual(onDisk);
  });

  // Every example is its own test case (Recog's self-test): it matches and extracts what it says.
  const cases = kb.files.flatMap(({ file, data }) =>
    data.rules.flatMap((rule, i) =>
      rule.examples.map((ex, j) => ({ name: `${file} ${rule.id} #${j + 1}`, rule, i, file, ex })),
    ),
  );
  it.each(cases)("$name", ({ rule, i, file, ex }) => {
    const c = compileRule(rule, file, i);
    const input = ex.encoding === "base64" ? Buffer.from(ex.input, "base64").toString("latin1") : ex.input;
    const m = c.re.exec(input);
    if (ex.nomatch) {
      // Not taken: the regex does not match, or the rule's `when` filter excludes the example's context.
      const excluded = ex.ctx !== undefined && !whenMatches(rule.when, ex.ctx);
      expect(m === null || excluded).toBe(true);
      return;
    }
    expect(m).not.toBeNull();
    // The engine's literal pre-test must never skip a value the regex matches.
    if (c.prefix !== undefined)
      expect((c.ignoreCase ? input.toLowerCase() : input).startsWith(c.prefix), `prefix "${c.prefix}"`).toBe(true);
    if (ex.ctx) expect(whenMatches(rule.when, ex.ctx), "the example's context passes the rule's when filter").toBe(true);
    const got = extractClaims(rule, m as RegExpExecArray);
    for (const [k, v] of Object.entries(ex.expect)) expect(got[k as keyof typeof got]).toBe(v);
    if (rule.confidence === 0) expect(got).toEqual({});
  });
});
