import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labPortSpec } from "../src/cli/lab-scan.js";
import { startLab, type RunningLab } from "../src/lab/index.js";
import type { AssessedDeviceRow, SiteCompliance } from "../src/inventory/index.js";
import type { DeviceAssessment } from "../src/assess/index.js";
import { runCli } from "./cli.js";

/**
 * The "done when", through the real CLI against the device lab: a federal agency, a Crown corporation and a
 * private company, each with Hikvision, Dahua and Axis devices; scan, assess, status; a user's own pack; the
 * read-only verification; bad input. This file owns 127.92.0.0/24.
 */
const RANGE = "127.92.0.0/24";
const ORGS = [
  { id: "cbsa", type: "agency", personas: ["hikvision-ipc-2015", "dahua-ipc", "axis-camera"] },
  {
    id: "canada-post",
    type: "crown-corporation",
    personas: ["hikvision-ipc-current", "dahua-nvr", "axis-camera"],
  },
  { id: "acme", type: "private", personas: ["hikvision-nvr", "dahua-ipc", "axis-camera"] },
] as const;

type Stored = Omit<AssessedDeviceRow, "findings"> & { findings: Omit<DeviceAssessment, "status"> };
interface StatusJson {
  totals: { prohibited: number; advisory: number; allowed: number; devices: number; unassessed: number };
  sites: SiteCompliance[];
  devices?: Stored[];
  assessment: { id: string; packs: { id: string }[] } | null;
}

let lab: RunningLab;
let dir: string;
let data: string;
const run = (args: string[]) => runCli([...args, "--data-dir", data], { env: { DATABASE_URL: "" } });
/** org id and persona of each lab address */
const who = new Map<string, { org: string; persona: string }>();

async function status(...more: string[]): Promise<StatusJson & { code: number | null }> {
  const r = await run(["status", "--json", "--devices", "--limit", "100", ...more]);
  expect(r.stderr).toBe("");
  return { ...(JSON.parse(r.stdout) as StatusJson), code: r.code };
}
const byPersona = (s: StatusJson, org: string, persona: string) =>
  s.devices?.find((d) => who.get(d.address!)?.org === org && who.get(d.address!)?.persona === persona);

beforeAll(async () => {
  lab = await startLab({ range: RANGE, personas: ORGS.flatMap((o) => [...o.personas]), portOffset: "auto" });
  dir = mkdtempSync(join(tmpdir(), "camsweep-assess-"));
  data = join(dir, "inv");
  for (const [n, o] of ORGS.entries()) {
    const devices = lab.devices.slice(n * 3, n * 3 + 3);
    devices.forEach((d) => who.set(d.address, { org: o.id, persona: d.persona.id }));
    const org = await run([
      "org",
      "add",
      o.id,
      "--name",
      `Org ${o.id}`,
      "--type",
      o.type,
      "--jurisdiction",
      "CA",
    ]);
    expect(org.stderr).toBe("");
    const site = await run([
      "site",
      "add",
      `${o.id}-hq`,
      "--org",
      o.id,
      "--name",
      "Head office",
      "--criticality",
      n === 0 ? "critical" : "normal",
      "--segment",
      devices.map((d) => `${d.address}/32`).join(","),
    ]);
    expect(site.code, site.stderr).toBe(0);
  }
  const scan = await run([
    "scan",
    ...lab.devices.map((d) => d.address),
    "--allow",
    RANGE,
    "-p",
    labPortSpec(lab),
    "--timeout",
    "2000",
  ]);
  expect(scan.code, scan.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("camsweep assess and status (real CLI, device lab on loopback)", () => {
  it("status before any assessment: nothing judged, exit 4", async () => {
    const s = await status();
    expect(s.code).toBe(4);
    expect(s.totals).toMatchObject({ devices: 9, unassessed: 9, prohibited: 0 });
    expect(s.assessment).toBeNull();
  });

  it("Hikvision prohibited for the agency and the Crown corporation, advisory for the company; Axis allowed", async () => {
    const a = await run(["assess", "--as-of", "2026-11-22", "--reason", "ICA order audit"]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/^assessed 9 devices .* against 10 policy packs/m);
    expect(a.stdout).toMatch(/prohibited 2, advisory 1, allowed 6, on no site 0/);
    const s = await status();
    expect(s.code).toBe(3); // prohibited devices remain
    const hik = (org: string) => byPersona(s, org, ORGS.find((o) => o.id === org)!.personas[0])!;
    expect(hik("cbsa").status).toBe("prohibited");
    expect(hik("canada-post").status).toBe("prohibited");
    expect(hik("acme").status).toBe("advisory");
    // Canada's packs cover Hikvision only (Quebec's binds Quebec bodies; the U.S. ones bind U.S. organizations).
    for (const o of ORGS) {
      const site = s.sites.find((x) => x.organizationId === o.id)!;
      expect(site.counts.allowed, o.id).toBe(2);
    }
    // Axis devices never appear among those needing attention: allowed, with no known vulnerability.
    expect(s.devices!.some((d) => who.get(d.address!)?.persona === "axis-camera")).toBe(false);
    const text = await run(["status"]);
    expect(text.code).toBe(3);
    // devices, prohibited, excepted, advisory, allowed, unowned, removed
    expect(text.stdout).toMatch(/^cbsa Org cbsa\s+agency\s+3\s+1\s+0\s+0\s+2\s+0\s+0/m);
    expect(text.stdout).toMatch(/^acme Org acme\s+private\s+3\s+0\s+0\s+1\s+2\s+0\s+0/m);
    expect(text.stdout).toMatch(/2 prohibited device\(s\) remain/);
  });

  it("every verdict is traceable: device, maker, covered entity, policy with its sources, organization in scope", async () => {
    const s = await status();
    const d = byPersona(s, "canada-post", "hikvision-ipc-current")!;
    const f = d.findings.verdict!.findings.find((x) => x.policyId === "CA-ICA-2025-HIKVISION")!;
    expect(f.binding).toBe(true);
    expect(f.clause.id).toBe("scope-federal");
    expect(f.chain.map((c) => c.step)).toEqual([
      "device",
      "manufacturer",
      "covered",
      "policy",
      "organization",
    ]);
    const policy = f.chain[3] as Extract<(typeof f.chain)[number], { step: "policy" }>;
    expect(policy.reference).toBe(
      "shared/reference/restricted-entities.json policies[CA-ICA-2025-HIKVISION]",
    );
    expect(policy.sources.length).toBeGreaterThan(0);
    expect(f.chain[4]).toMatchObject({
      organizationId: "canada-post",
      scope: "binds",
      rule: "federal-bodies",
    });
    // The company is only advised, under the same pack's other rule.
    const acme = byPersona(s, "acme", "hikvision-nvr")!.findings.verdict!.findings[0]!;
    expect(acme).toMatchObject({ policyId: "CA-ICA-2025-HIKVISION", binding: false });
    // The run names each pack file it applied with the file's digest.
    const run1 = await run(["assess", "--as-of", "2026-11-22", "--json"]);
    const packs = (JSON.parse(run1.stdout) as { packs: { id: string; file: string; sha256: string }[] })
      .packs;
    const ica = packs.find((p) => p.id === "CA-ICA-2025-HIKVISION")!;
    expect(ica.sha256).toBe(createHash("sha256").update(readFileSync(ica.file)).digest("hex"));
    // Text output shows the chain, escaped.
    const text = await run(["status", "--devices"]);
    expect(text.stdout).toMatch(/CA-ICA-2025-HIKVISION \(binding, clause scope-federal/);
    expect(text.stdout).toMatch(/- CA-ICA-2025-HIKVISION binds canada-post \(rule federal-bodies/);
  });

  it("KEV vulnerabilities on the affected firmware only", async () => {
    const s = await status();
    const vulns = (org: string, persona: string) =>
      byPersona(s, org, persona)?.findings.vulnerabilities ?? [];
    // V5.3.0 on a DS-2CD2x32F-I lies inside CVE-2017-7921's range (fixed in 5.4.41): exact, in KEV.
    const old = vulns("cbsa", "hikvision-ipc-2015").find((v) => v.id === "CVE-2017-7921");
    expect(old).toMatchObject({ certainty: "exact", kev: { dueDate: "2026-03-26" } });
    // V5.6.2 is past that fix: no exact CVE-2017-7921 match on the current camera.
    expect(
      vulns("canada-post", "hikvision-ipc-current").find((v) => v.id === "CVE-2017-7921")?.certainty,
    ).not.toBe("exact");
    // Risk shows its factors: the KEV at exact firmware, its passed due date, the critical site.
    const risk = byPersona(s, "cbsa", "hikvision-ipc-2015")!.findings.risk;
    expect(risk.factors.map((f) => f.factor)).toEqual(
      expect.arrayContaining(["policy", "kev", "site-criticality"]),
    );
    expect(risk.factors.find((f) => f.factor === "kev")!.says).toMatch(/CVE-2017-7921/);
    // The riskiest device comes first.
    expect(s.devices![0]!.risk).toBe(Math.max(...s.devices!.map((d) => d.risk)));
  });

  it("the Dahua devices are judged per the packs chosen: a user's own pack binds the company", async () => {
    mkdirSync(join(data, "policy-packs"), { recursive: true });
    writeFileSync(
      join(data, "policy-packs", "acme.yaml"),
      [
        "id: ACME-CORPORATE-2026",
        "title: ACME corporate security standard, no Dahua equipment",
        "issuer: ACME Chief Security Officer",
        "instrument: ACME Security Standard SS-12, section 4",
        "jurisdiction: CA",
        'dates: [{ what: adopted, date: "2026-01-15" }]',
        "confidence: high",
        "reference: ACME intranet, SS-12",
        "binds:",
        "  - { id: acme, who: ACME Ltd., organizations: [acme], clause: s4 }",
        "advises: []",
        "prohibits: { buy: true, use: true, keep: false }",
        "covers:",
        "  - { group: Dahua, entities: [dahua-parent] }",
        "clauses:",
        "  - { id: s4, text: 'No Dahua equipment on ACME networks.', ref: SS-12 s.4 }",
        "sources:",
        "  - { key: ss12, title: ACME SS-12, urls: ['https://intranet.example/ss-12'] }",
        "",
      ].join("\n"),
    );
    const a = await run(["assess", "--as-of", "2026-11-22"]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/1 allowed -> prohibited/);
    const s = await status();
    expect(byPersona(s, "acme", "dahua-ipc")!.status).toBe("prohibited");
    expect(byPersona(s, "cbsa", "dahua-ipc")?.status ?? "allowed").toBe("allowed");
    // Only the chosen packs: with Canada's order alone the company's Dahua camera is allowed again.
    const only = await run(["assess", "--as-of", "2026-11-22", "--policy", "CA-ICA-2025-HIKVISION"]);
    expect(only.stdout).toMatch(/against 1 policy packs: CA-ICA-2025-HIKVISION/);
    expect(only.stdout).toMatch(/1 prohibited -> allowed/);
  });

  it("bad input: a clear error naming the field, and nothing replaced", async () => {
    const before = (await run(["status", "--json"])).stdout;
    const badType = await run([
      "org",
      "add",
      "x",
      "--name",
      "X",
      "--type",
      "federal",
      "--jurisdiction",
      "CA",
    ]);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toMatch(/type: .*federal-department/);
    const packDir = join(dir, "bad-packs");
    mkdirSync(packDir, { recursive: true });
    writeFileSync(
      join(packDir, "bad.yaml"),
      readFileSync(join(data, "policy-packs", "acme.yaml"), "utf8").replace(
        "id: ACME-CORPORATE-2026",
        "id: ACME-2\nbinds_all: true",
      ),
    );
    const badPack = await run(["assess", "--policy-dir", packDir]);
    expect(badPack.code).toBe(2);
    expect(badPack.stderr).toMatch(/bad\.yaml: .*binds_all: unknown key/);
    const unknownPack = await run(["assess", "--policy", "NOPE"]);
    expect(unknownPack.code).toBe(2);
    expect(unknownPack.stderr).toMatch(/unknown policy pack "NOPE"/);
    const badDate = await run(["assess", "--as-of", "2026-02-30"]);
    expect(badDate.code).toBe(2);
    expect((await run(["status", "--json"])).stdout).toBe(before);
  });

  it("--verify: refused without an authorization; with one, one read-only request confirms CVE-2017-7921", async () => {
    const noScope = await run(["assess", "--verify"]);
    expect(noScope.code).toBe(2);
    expect(noScope.stderr).toMatch(/--verify needs --scope/);
    const scope = join(dir, "scope.yaml");
    writeFileSync(scope, `allow: ["${RANGE}"]\n`);
    const unauthorized = await run(["assess", "--verify", "--scope", scope]);
    expect(unauthorized.code).toBe(2);
    expect(unauthorized.stderr).toMatch(/--verify refused/);
    writeFileSync(
      scope,
      `allow: ["${RANGE}"]\nverify:\n  authorizedBy: J. Tremblay, IT Security\n  reference: SEC-2026-114\n  checks: [CVE-2017-7921]\n`,
    );
    const v = await run(["assess", "--verify", "--scope", scope, "--as-of", "2026-11-22"]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/verified \d+ devices: 1 confirmed/);
    expect(v.stdout).toMatch(
      /nothing was written, executed or changed on the device\. Authorized by J\. Tremblay/,
    );
    const s = await status();
    const cve = byPersona(s, "cbsa", "hikvision-ipc-2015")!.findings.vulnerabilities.find(
      (x) => x.id === "CVE-2017-7921",
    )!;
    expect(cve.verification).toMatchObject({ status: "confirmed" });
    expect(cve.verification!.request).toMatch(/^GET \/System\/deviceInfo\?auth=/);
  });

  it("a stated internet exposure raises the risk, and says where it was stated", async () => {
    const cam = [...who].find(([, w]) => w.org === "acme" && w.persona === "hikvision-nvr")![0];
    const before = byPersona(await status(), "acme", "hikvision-nvr")!.risk;
    const list = join(dir, "exposed.txt");
    writeFileSync(list, `# from the perimeter scan\n${cam}\n127.92.0.250  # not in the inventory\n`);
    const bad = await run(["device", "exposure", "--from", list, "--internet", "--source", "perimeter scan"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${list}:3: "127.92.0.250": no device has this id or address`);
    writeFileSync(list, `# from the perimeter scan\n${cam}\n`);
    const e = await run([
      "device",
      "exposure",
      "--from",
      list,
      "--internet",
      "--source",
      "perimeter scan 2026-11-20",
    ]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/^1 device\(s\) marked exposed to the internet/);
    await run(["assess", "--as-of", "2026-11-22"]);
    const after = byPersona(await status(), "acme", "hikvision-nvr")!;
    expect(after.risk).toBeGreaterThan(before);
    expect(after.findings.risk.factors.find((f) => f.factor === "exposure")!.says).toMatch(/perimeter scan/);
  });
});
