import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../shared/errors.js";
import { loadScopeFile, verifyAuthorization, type ScopeFile } from "./scope-file.js";

const dir = mkdtempSync(join(tmpdir(), "camsweep-scope-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function scopeFile(text: string): string {
  const path = join(dir, `scope-${++n}.yaml`);
  writeFileSync(path, text);
  return path;
}

const VERIFY = [
  "verify:",
  '  authorizedBy: "J. Tremblay, Director IT Security"',
  '  reference: "SEC-2026-114"',
  "  checks: [CVE-2017-7921]",
].join("\n");

describe("scope file without a verify section", () => {
  it("loads as before: allow, deny (default empty), path, and no verify", () => {
    const path = scopeFile("allow: [127.91.0.0/24]\n");
    const s = loadScopeFile(path);
    expect(s).toEqual({ allow: ["127.91.0.0/24"], deny: [], path });
    expect("verify" in s).toBe(false);
  });

  it("still names the bad allow entry and refuses unknown keys", () => {
    expect(() => loadScopeFile(scopeFile("allow: [127.91.0.0/24, nope..x]\n"))).toThrow(/allow\[1\]/);
    expect(() => loadScopeFile(scopeFile("allow: [127.91.0.0/24]\nverfy: {}\n"))).toThrow(/verfy/);
  });
});

describe("scope file verify section", () => {
  it("loads a complete section, with and without until (quoted or not)", () => {
    const path = scopeFile(`allow: [127.91.0.0/24]\n${VERIFY}\n`);
    expect(loadScopeFile(path).verify).toEqual({
      authorizedBy: "J. Tremblay, Director IT Security",
      reference: "SEC-2026-114",
      checks: ["CVE-2017-7921"],
    });
    for (const until of ["2026-12-31", '"2026-12-31"'])
      expect(
        loadScopeFile(scopeFile(`allow: [127.91.0.0/24]\n${VERIFY}\n  until: ${until}\n`)).verify?.until,
      ).toBe("2026-12-31");
  });

  const broken: [string, string, RegExp][] = [
    ["no authorizedBy", VERIFY.replace(/\n {2}authorizedBy.*/, ""), /verify\.authorizedBy: required/],
    [
      "a blank authorizedBy",
      VERIFY.replace(/authorizedBy: .*/, 'authorizedBy: "  "'),
      /verify\.authorizedBy: required/,
    ],
    ["no reference", VERIFY.replace(/\n {2}reference.*/, ""), /verify\.reference: required/],
    ["no checks", VERIFY.replace(/\n {2}checks.*/, ""), /verify\.checks: required/],
    [
      "an empty check list",
      VERIFY.replace(/checks: .*/, "checks: []"),
      /verify\.checks: must list at least one/,
    ],
    [
      "an unknown check",
      VERIFY.replace(/checks: .*/, "checks: [CVE-2017-7921, CVE-2021-36260]"),
      /verify\.checks\.1: unknown check \(known: CVE-2017-7921\)/,
    ],
    ["an impossible until", `${VERIFY}\n  until: "2026-02-30"`, /verify\.until: must be a date/],
    ["an until that is not a date", `${VERIFY}\n  until: next year`, /verify\.until: must be a date/],
    ["an unknown key", `${VERIFY}\n  authorisedBy: someone`, /verify: .*authorisedBy/],
    ["a verify that is not a section", "verify: yes", /verify: /],
  ];
  it.each(broken)("refuses %s, naming the file and the field", (_, section, message) => {
    const path = scopeFile(`allow: [127.91.0.0/24]\n${section}\n`);
    expect(() => loadScopeFile(path)).toThrow(InputError);
    expect(() => loadScopeFile(path)).toThrow(message);
    expect(() => loadScopeFile(path)).toThrow(path);
  });
});

describe("verifyAuthorization", () => {
  const base: ScopeFile = { allow: ["127.91.0.0/24"], deny: [], path: "scope.yaml" };
  const authorized: ScopeFile = {
    ...base,
    verify: {
      authorizedBy: "J. Tremblay",
      reference: "SEC-2026-114",
      checks: ["CVE-2017-7921"],
      until: "2026-12-31",
    },
  };

  it("authorizes a listed check up to and including its last day, saying who and under what reference", () => {
    for (const today of ["2026-01-01", "2026-12-31"])
      expect(verifyAuthorization(authorized, "CVE-2017-7921", today)).toEqual({
        ok: true,
        by: "J. Tremblay",
        reference: "SEC-2026-114",
      });
  });

  it("has no expiry without until", () => {
    const open: ScopeFile = { ...authorized, verify: { ...authorized.verify!, until: undefined } };
    expect(verifyAuthorization(open, "CVE-2017-7921", "2099-01-01").ok).toBe(true);
  });

  it("refuses without a section, for an unlisted check, and after until", () => {
    const none = verifyAuthorization(base, "CVE-2017-7921", "2026-06-01");
    expect(none).toEqual({ ok: false, why: expect.stringMatching(/scope\.yaml: no verify section/) });
    const other = verifyAuthorization(authorized, "CVE-2021-36260", "2026-06-01");
    expect(other).toEqual({ ok: false, why: expect.stringMatching(/does not list CVE-2021-36260/) });
    const late = verifyAuthorization(authorized, "CVE-2017-7921", "2027-01-01");
    expect(late).toEqual({ ok: false, why: expect.stringMatching(/verify\.until 2026-12-31 has passed/) });
  });

  it("refuses a malformed today rather than comparing it", () => {
    expect(() => verifyAuthorization(authorized, "CVE-2017-7921", "2026-6-1")).toThrow(/YYYY-MM-DD/);
  });
});
