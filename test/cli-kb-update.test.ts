import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  bundledVulnerabilityPath,
  loadVulnerabilities,
  readVulnerabilityKb,
  vulnerabilityOverridePath,
  writeVulnerabilityKb,
  type VulnerabilityKb,
} from "../src/assess/vulns/index.js";
import { packagePath } from "../src/shared/paths.js";
import { runCli } from "./cli.js";

/** The real CLI (npm run build first): kb update from the real KEV file and the NVD fixture, offline. */
const dir = mkdtempSync(join(tmpdir(), "camsweep-kb-update-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (args: string[]) => runCli(["kb", "update", ...args], { timeoutMs: 60_000 });

const FIX = packagePath("src", "assess", "vulns", "__fixtures__");
const KEV = join(FIX, "cisa-kev-2025-08-25.trimmed.json");
const NVD = join(FIX, "nvd-cve-2.0.rebuilt.json");
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const BUNDLED_SHA = sha(bundledVulnerabilityPath());
const bundled = readVulnerabilityKb(bundledVulnerabilityPath());
const get = (kb: VulnerabilityKb, id: string) => kb.vulnerabilities.find((v) => v.id === id);

let n = 0;
/** A fresh data directory, with an earlier copy written by a previous update (based on `sha256`) when asked. */
function dataDir(edit?: (kb: VulnerabilityKb) => void, sha256 = BUNDLED_SHA): string {
  const d = join(dir, `d${n++}`);
  mkdirSync(d);
  if (edit) {
    const kb = structuredClone(bundled);
    edit(kb);
    kb.basedOn = { file: "knowledge/vulnerabilities.yaml", sha256 };
    writeVulnerabilityKb(vulnerabilityOverridePath(d), kb);
  }
  return d;
}

/** An older state than the feeds: one CVE missing, one KEV status and one CVSS score out of date. */
const older = (kb: VulnerabilityKb) => {
  kb.vulnerabilities = kb.vulnerabilities.filter((v) => v.id !== "CVE-2021-36260");
  get(kb, "CVE-2021-33045")!.kev = null;
  get(kb, "CVE-2017-7921")!.cvss = { version: "3.1", score: 9.8, source: "an older NVD record" };
};

/** A feed fixture changed by `edit`, written under `name`. */
function feedWith(from: string, name: string, edit: (raw: Record<string, unknown>) => void): string {
  const raw = JSON.parse(readFileSync(from, "utf8")) as Record<string, unknown>;
  edit(raw);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(raw));
  return path;
}

describe("camsweep kb update", () => {
  it("applies the feeds to an older copy, reports each change, and writes the copy assessment reads", async () => {
    const d = dataDir(older);
    const r = await run(["--kev", KEV, "--nvd", NVD, "--data-dir", d, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      changes: { id: string; kind: string }[];
      counts: Record<string, number>;
      written: boolean;
      fromOverride: boolean;
    };
    expect(doc.fromOverride).toBe(true);
    expect(doc.changes.map((c) => [c.id, c.kind]).sort()).toEqual([
      ["CVE-2017-7921", "cvss-changed"],
      ["CVE-2021-33045", "kev-added"],
      ["CVE-2021-36260", "new-cve"],
    ]);
    expect(doc.counts).toEqual({ total: 3, "cvss-changed": 1, "kev-added": 1, "new-cve": 1 });
    expect(doc.written).toBe(true);

    const loaded = loadVulnerabilities(vulnerabilityOverridePath(d));
    expect(loaded.file).toBe(join(d, "knowledge", "vulnerabilities.yaml"));
    expect(loaded.warning).toBeUndefined();
    expect(loaded.kb.basedOn).toEqual({ file: "knowledge/vulnerabilities.yaml", sha256: BUNDLED_SHA });
    expect(loaded.kb.updated?.kev).toMatchObject({
      file: "cisa-kev-2025-08-25.trimmed.json",
      sha256: sha(KEV),
      catalogVersion: "2025.08.25",
    });
    expect(loaded.kb.updated?.nvd).toMatchObject({
      file: "nvd-cve-2.0.rebuilt.json",
      sha256: sha(NVD),
      timestamp: "2026-11-01T00:00:00.000",
    });
    expect(get(loaded.kb, "CVE-2021-33045")!.kev).toMatchObject({ dueDate: "2024-09-11" });
    expect(get(loaded.kb, "CVE-2017-7921")!.cvss).toMatchObject({ version: "3.0", score: 10 });
    expect(get(loaded.kb, "CVE-2021-36260")).toMatchObject({ origin: "kev", manufacturer: "hikvision" });

    // The same files again: nothing to report, and the copy is not rewritten.
    const file = vulnerabilityOverridePath(d);
    const bytes = readFileSync(file);
    const mtime = statSync(file).mtimeMs;
    const again = await run(["--kev", KEV, "--nvd", NVD, "--data-dir", d]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^no CVE changed$/m);
    expect(again.stdout).toMatch(/nothing changed .*left as it was/);
    expect(readFileSync(file)).toEqual(bytes);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });

  it("lists the changes for a person, and --dry-run writes nothing", async () => {
    const d = dataDir(older);
    const file = vulnerabilityOverridePath(d);
    const before = readFileSync(file);
    const r = await run(["--kev", KEV, "--nvd", NVD, "--data-dir", d, "--dry-run"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^3 changes: .*1 new CVE/m);
    expect(r.stdout).toMatch(/^ {2}CVE-2021-33045: added to CISA KEV on 2024-08-21, due 2024-09-11$/m);
    expect(r.stdout).toMatch(/^ {2}CVE-2017-7921: CVSS 3\.1 9\.8 -> 3\.0 10 /m);
    expect(r.stdout).toMatch(
      /^ {2}CVE-2021-36260: new family-only entry for hikvision; in KEV since 2022-01-10/m,
    );
    expect(r.stdout).toMatch(/CISA KEV cisa-kev-2025-08-25\.trimmed\.json: catalogVersion 2025\.08\.25/);
    expect(r.stdout).toMatch(/^dry run: nothing written/m);
    expect(readFileSync(file)).toEqual(before);

    const fresh = dataDir();
    const f = await run(["--kev", KEV, "--data-dir", fresh, "--dry-run"]);
    expect(f.code, f.stderr).toBe(0);
    expect(existsSync(join(fresh, "knowledge"))).toBe(false);
  });

  it("creates the copy on a first run, recording the feeds even when no CVE changed", async () => {
    const d = dataDir();
    const r = await run(["--kev", KEV, "--data-dir", d]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^vulnerability data: .*knowledge\/vulnerabilities\.yaml \(bundled\)$/m);
    expect(r.stdout).toMatch(/^no CVE changed$/m);
    expect(r.stdout).toMatch(/^wrote .*vulnerabilities\.yaml$/m);
    const kb = readVulnerabilityKb(vulnerabilityOverridePath(d));
    expect(kb.basedOn?.sha256).toBe(BUNDLED_SHA);
    expect(kb.updated?.kev?.sha256).toBe(sha(KEV));
    expect(kb.vulnerabilities).toEqual(bundled.vulnerabilities);
  });

  it("starts from the bundled data again when the copy was based on other bundled data, and says so", async () => {
    const d = dataDir((kb) => {
      get(kb, "CVE-2021-33045")!.kev = null;
      const at = "2025-07-02T00:00:00.000Z";
      kb.updated = {
        at,
        kev: {
          file: "old-kev.json",
          sha256: "1".repeat(64),
          at,
          catalogVersion: "2025.07.01",
          dateReleased: at,
        },
      };
    }, "0".repeat(64));
    const r = await run(["--kev", KEV, "--data-dir", d, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/based on other bundled data .*starting from the bundled data again/);
    expect(r.stderr).toMatch(/it had applied CISA KEV old-kev\.json \(catalogVersion 2025\.07\.01\)/);
    const doc = JSON.parse(r.stdout) as { changes: unknown[]; fromOverride: boolean; written: boolean };
    expect(doc).toMatchObject({ fromOverride: false, written: true, changes: [] });
    const kb = readVulnerabilityKb(vulnerabilityOverridePath(d));
    expect(kb.basedOn?.sha256).toBe(BUNDLED_SHA);
    expect(get(kb, "CVE-2021-33045")!.kev).toEqual(get(bundled, "CVE-2021-33045")!.kev);
  });

  const kevIndex = (raw: Record<string, unknown>) =>
    (raw["vulnerabilities"] as { cveID: string }[]).findIndex((v) => v.cveID === "CVE-2021-36260");
  const idx = kevIndex(JSON.parse(readFileSync(KEV, "utf8")) as Record<string, unknown>);
  const bad: [string, () => string[], RegExp][] = [
    [
      "a KEV file with a missing field",
      () => [
        "--kev",
        feedWith(KEV, "kev-no-due.json", (raw) => {
          delete (raw["vulnerabilities"] as Record<string, unknown>[])[idx]!["dueDate"];
        }),
      ],
      new RegExp(`kev-no-due\\.json: vulnerabilities\\[${idx}\\]\\.dueDate: missing`),
    ],
    [
      "an NVD file with a missing field, beside a good KEV file",
      () => [
        "--kev",
        KEV,
        "--nvd",
        feedWith(NVD, "nvd-no-published.json", (raw) => {
          delete (raw["vulnerabilities"] as { cve: Record<string, unknown> }[])[1]!.cve["published"];
        }),
      ],
      /nvd-no-published\.json: vulnerabilities\[1\]\.cve\.published: missing/,
    ],
    [
      "a truncated NVD file",
      () => {
        const path = join(dir, "nvd-cut.json");
        const text = readFileSync(NVD, "utf8");
        writeFileSync(path, text.slice(0, text.length >> 1));
        return ["--nvd", path];
      },
      /nvd-cut\.json: not JSON/,
    ],
    [
      "a KEV catalogue given as --nvd",
      () => ["--nvd", KEV],
      /cisa-kev-2025-08-25\.trimmed\.json: resultsPerPage: missing; this is a CISA KEV catalogue .*give it with --kev/,
    ],
    [
      "an NVD response given as --kev",
      () => ["--kev", NVD],
      /nvd-cve-2\.0\.rebuilt\.json: \w+: missing; this is an NVD CVE API response .*give it with --nvd/,
    ],
    ["a missing file", () => ["--kev", join(dir, "nowhere.json")], /nowhere\.json: cannot read \(ENOENT\)/],
    ["no feed at all", () => [], /needs --kev FILE, --nvd FILE or both/],
  ];
  for (const [what, args, message] of bad)
    it(`refuses ${what} (exit 2, naming file and field) and leaves the copy byte for byte`, async () => {
      const d = dataDir(older);
      const file = vulnerabilityOverridePath(d);
      const before = readFileSync(file);
      const r = await run([...args(), "--data-dir", d]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
      expect(readFileSync(file)).toEqual(before);
    });

  const foreign: [string, (path: string) => void, RegExp][] = [
    [
      "a copy not written by kb update (no basedOn)",
      (path) => writeVulnerabilityKb(path, bundled),
      /vulnerabilities\.yaml: basedOn: missing: not written by kb update/,
    ],
    [
      "an invalid copy based on the bundled data shipped now",
      (path) =>
        writeFileSync(
          path,
          readFileSync(path, "utf8").replace(/dueDate: "?2024-09-11"?/, "dueDate: 2024-09-99"),
        ),
      /vulnerabilities\.yaml: vulnerabilities\[\d+\]\.kev\.dueDate: not a date .*kb update does not replace it/,
    ],
  ];
  for (const [what, spoil, message] of foreign)
    it(`refuses to replace ${what}`, async () => {
      const d = dataDir((kb) => kb);
      const file = vulnerabilityOverridePath(d);
      spoil(file);
      const before = readFileSync(file);
      const r = await run(["--kev", KEV, "--data-dir", d]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(readFileSync(file)).toEqual(before);
    });
});
