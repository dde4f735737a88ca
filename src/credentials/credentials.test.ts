import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { loadCredentials } from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "camsweep-creds-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(text: string, mode = 0o600): string {
  const p = join(dir, `c${n++}.yaml`);
  writeFileSync(p, text);
  chmodSync(p, mode);
  return p;
}

const SECRET = "S3cret-Hunter2";

describe("loadCredentials", () => {
  it("reads scoped entries; the first entry whose scope covers an address wins", () => {
    const p = file(
      [
        "credentials:",
        "  - scope: [10.20.5.0/24, 10.30.0.1-9]",
        "    username: site-a",
        `    password: "${SECRET}"`,
        "  - scope: 10.20.0.0/16",
        "    username: wide",
        "    passwordEnv: WIDE_PW",
      ].join("\n"),
    );
    const set = loadCredentials(p, { WIDE_PW: "from-env" });
    expect(set.size).toBe(2);
    expect(set.for("10.20.5.7")?.username).toBe("site-a");
    expect(set.for("10.30.0.4")?.username).toBe("site-a");
    expect(set.for("10.20.9.9")?.username).toBe("wide");
    expect(set.for("10.20.9.9")?.password).toBe("from-env");
    expect(set.for("10.21.0.1")).toBeUndefined();
    expect(set.for("not-an-address")).toBeUndefined();
  });

  it("CAMSWEEP_CREDENTIALS selects the file; no file and no variables is an empty set", () => {
    const p = file(`credentials:\n  - scope: [127.0.0.0/8]\n    username: u\n    password: "${SECRET}"\n`);
    expect(loadCredentials(undefined, { CAMSWEEP_CREDENTIALS: p }).for("127.1.2.3")?.username).toBe("u");
    const none = loadCredentials(undefined, {});
    expect(none.size).toBe(0);
    expect(none.for("127.0.0.1")).toBeUndefined();
  });

  it("CAMSWEEP_USERNAME + CAMSWEEP_PASSWORD cover every address, after the file's entries", () => {
    const env = { CAMSWEEP_USERNAME: "auditor", CAMSWEEP_PASSWORD: SECRET };
    const alone = loadCredentials(undefined, env);
    expect(alone.for("192.168.1.10")?.username).toBe("auditor");
    expect(alone.for("::1")?.password).toBe(SECRET);
    const p = file(`credentials:\n  - scope: 10.0.0.0/8\n    username: filed\n    passwordEnv: X\n`);
    const both = loadCredentials(p, { ...env, X: "x" });
    expect(both.for("10.1.1.1")?.username).toBe("filed");
    expect(both.for("172.16.0.1")?.username).toBe("auditor");
    expect(() => loadCredentials(undefined, { CAMSWEEP_USERNAME: "a" })).toThrow(/CAMSWEEP_PASSWORD is not/);
    expect(() => loadCredentials(undefined, { CAMSWEEP_PASSWORD: "a" })).toThrow(/CAMSWEEP_USERNAME is not/);
  });

  it("refuses a file with a clear password that others can read, and says chmod 600", () => {
    const text = `credentials:\n  - scope: 10.0.0.0/8\n    username: u\n    password: "${SECRET}"\n`;
    for (const mode of [0o644, 0o640, 0o604]) {
      const p = file(text, mode);
      expect(() => loadCredentials(p, {})).toThrow(/chmod 600/);
    }
    // passwordEnv keeps the secret out of the file: the mode does not matter then.
    const p = file(`credentials:\n  - scope: 10.0.0.0/8\n    username: u\n    passwordEnv: PW\n`, 0o644);
    expect(loadCredentials(p, { PW: "x" }).size).toBe(1);
  });

  it("names the file and the field of a bad entry", () => {
    const cases: [string, RegExp][] = [
      [
        `credentials:\n  - scope: [10.0.0.0/33]\n    username: u\n    passwordEnv: P\n`,
        /c\d+\.yaml: credentials\.0\.scope\.0: .*prefix/,
      ],
      [
        `credentials:\n  - scope: [cam.example]\n    username: u\n    passwordEnv: P\n`,
        /credentials\.0\.scope\.0: .*not a hostname/,
      ],
      [
        `credentials:\n  - scope: [10.0.0.1]\n    username: u\n`,
        /credentials\.0\.password: give password or passwordEnv/,
      ],
      [
        `credentials:\n  - scope: [10.0.0.1]\n    username: u\n    password: a\n    passwordEnv: P\n`,
        /exactly one/,
      ],
      [
        `credentials:\n  - scope: [10.0.0.1]\n    username: u\n    passwordEnv: UNSET_VAR\n`,
        /credentials\.0\.passwordEnv: environment variable UNSET_VAR is not set/,
      ],
      [
        `credentials:\n  - scope: [10.0.0.1]\n    username: "a\\r\\nb"\n    passwordEnv: P\n`,
        /credentials\.0\.username: .*control/,
      ],
      [`credentials:\n  - scope: [10.0.0.1]\n    user: u\n    passwordEnv: P\n`, /credentials\.0/],
      [`creds: []\n`, /c\d+\.yaml: /],
    ];
    for (const [text, re] of cases) expect(() => loadCredentials(file(text), { P: "p" })).toThrow(re);
    expect(() => loadCredentials(join(dir, "missing.yaml"), {})).toThrow(
      /missing\.yaml: credentials file not found/,
    );
  });

  it("never shows the password: JSON, inspect, string form and errors", () => {
    const p = file(`credentials:\n  - scope: 10.0.0.0/8\n    username: u\n    password: "${SECRET}"\n`);
    const set = loadCredentials(p, {});
    const c = set.for("10.0.0.1");
    expect(c?.password).toBe(SECRET);
    for (const shown of [JSON.stringify(c), JSON.stringify(set), inspect(c), inspect(set), String(c), `${c}`])
      expect(shown).not.toContain(SECRET);
    expect(JSON.stringify(c)).toContain("[redacted]");
    // A broken file with the password in it: the message does not quote it.
    const broken = file(
      `credentials:\n  - scope: 10.0.0.0/8\n    username: u\n    password: "${SECRET}\n  bad: [\n`,
    );
    const bad = file(
      `credentials:\n  - scope: 10.0.0.0/8\n    username: u\n    password: "${SECRET}\\u0007"\n`,
    );
    for (const f of [broken, bad]) {
      let msg = "";
      try {
        loadCredentials(f, {});
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg).not.toBe("");
      expect(msg).not.toContain(SECRET);
    }
  });
});
