import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labPortSpec } from "../src/cli/lab-scan.js";
import { startLab, type RunningLab } from "../src/lab/index.js";
import type { Plan } from "../src/plan/index.js";
import { runCli } from "./cli.js";

/**
 * The removal issue's "done when", through the real CLI against the device lab: a federal agency's site scanned and
 * assessed, a three-phase plan saved, devices moved through removal and sanitization with evidence, a later scan
 * that finds one "removed" device again and reopens it, and the report in English and French. This file owns
 * 127.93.0.0/24: the NVR runs in a lab of its own (127.93.0.10) so it can really leave the network.
 */
const RANGE = "127.93.0.0/24";
let nvrLab: RunningLab | null;
let lab: RunningLab;
let dir: string;
let data: string;
const run = (args: string[]) => runCli([...args, "--data-dir", data], { env: { DATABASE_URL: "" } });
const addr = (persona: string) =>
  [...(nvrLab?.devices ?? []), ...lab.devices].find((d) => d.persona.id === persona)!.address;
let nvr: string;
let ports: string;

async function ok(args: string[]) {
  const r = await run(args);
  expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
  return r.stdout;
}
/** Scans the lab's addresses (the NVR's too, whether or not it still answers). */
const scan = () =>
  run([
    "scan",
    "127.93.0.10",
    ...lab.devices.map((d) => d.address),
    "--allow",
    RANGE,
    "-p",
    ports,
    "--timeout",
    "2000",
  ]);
const status = async () => {
  const r = await run(["status", "--json"]);
  return { code: r.code, ...(JSON.parse(r.stdout) as { totals: Record<string, number> }) };
};

beforeAll(async () => {
  nvrLab = await startLab({ range: "127.93.0.10", personas: ["hikvision-nvr"], portOffset: "auto" });
  lab = await startLab({
    range: "127.93.0.20",
    personas: ["hikvision-ipc-current", "hikvision-ipc-2015", "axis-camera"],
    portOffset: "auto",
  });
  nvr = addr("hikvision-nvr");
  ports = [...new Set([labPortSpec(nvrLab), labPortSpec(lab)].join(",").split(","))].join(",");
  dir = mkdtempSync(join(tmpdir(), "camsweep-remediate-"));
  data = join(dir, "inv");
  await ok([
    "org",
    "add",
    "dnd",
    "--name",
    "National Defence",
    "--type",
    "federal-department",
    "--jurisdiction",
    "CA",
  ]);
  const segments = [nvr, ...lab.devices.map((d) => d.address)].map((a) => `${a}/32`).join(",");
  await ok([
    "site",
    "add",
    "dnd-hq",
    "--org",
    "dnd",
    "--name",
    "HQ",
    "--criticality",
    "high",
    "--segment",
    segments,
  ]);
  expect((await scan()).code).toBe(0);
  await ok(["assess"]);
}, 180_000);

afterAll(async () => {
  await nvrLab?.stop();
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("camsweep plan, remediate, exception and report (real CLI, device lab on loopback)", () => {
  it("plans three phases within a budget and saves the plan", async () => {
    const r = JSON.parse(
      await ok(["plan", "--phases", "3", "--budget", "9000", "--start", "2026-12-01", "--save", "--json"]),
    ) as { id: string; plan: Plan };
    expect(r.plan.phases.map((p) => [p.start, p.end])).toEqual([
      ["2026-12-01", "2027-02-28"],
      ["2027-03-01", "2027-05-29"],
      ["2027-05-30", "2027-08-27"],
    ]);
    expect(r.plan.costs).toHaveLength(3); // the three Hikvision devices; the Axis camera is allowed
    expect(r.plan.phases.every((p) => p.cost <= 3000)).toBe(true);
    const text = await ok(["plan", "--phases", "3", "--budget", "9000", "--start", "2026-12-01"]);
    expect(text).toMatch(/Phase 1/);
  });

  it("refuses an illegal step, an unreadable evidence file and closing without sanitization; changes nothing", async () => {
    const illegal = await run(["remediate", "remove", nvr]);
    expect(illegal.code).not.toBe(0);
    expect(illegal.stderr).toMatch(/nothing recorded.*it is identified; removed follows scheduled/s);
    const missing = await run(["remediate", "confirm", nvr, "--evidence", join(dir, "nope.jpg")]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/nope\.jpg.*evidence file cannot be read/);
    expect(await ok(["remediate", "list", "--state", "identified"])).toContain(nvr);
  });

  it("moves the site through confirmation, scheduling, removal, sanitization and closing, with evidence", async () => {
    writeFileSync(join(dir, "work-order.pdf"), "%PDF work order 77");
    writeFileSync(join(dir, "cod.pdf"), "%PDF certificate of destruction");
    expect(
      await ok(["remediate", "confirm", "--site", "dnd-hq", "--evidence", join(dir, "work-order.pdf")]),
    ).toMatch(/^3 device\(s\) confirmed, with 1 evidence file/);
    await ok(["remediate", "schedule", "--site", "dnd-hq", "--on", "2026-12-01"]);
    await ok(["remediate", "remove", nvr, addr("hikvision-ipc-current")]);
    const close = await run(["remediate", "close", nvr]);
    expect(close.stderr).toMatch(/stores footage and no sanitization is recorded/);
    await ok([
      "remediate",
      "sanitize",
      nvr,
      "--medium",
      "HDD 4 TB, serial WD-WX1",
      "--method",
      "destroy",
      "--technique",
      "shred 2 mm",
      "--by",
      "Shred-It",
      "--certificate",
      "COD-42",
      "--evidence",
      join(dir, "cod.pdf"),
    ]);
    await ok(["remediate", "close", nvr]);
    await ok([
      "remediate",
      "close",
      addr("hikvision-ipc-current"),
      "--storage",
      "none",
      "--reason",
      "no SD card fitted",
    ]);
    const show = await ok(["remediate", "show", nvr]);
    expect(show).toMatch(/: closed, storage present/);
    expect(show).toMatch(
      /sanitization \d+: HDD 4 TB, serial WD-WX1, destroy \(shred 2 mm\) on \d{4}-\d\d-\d\d by Shred-It, certificate COD-42/,
    );
    const sha = /evidence ([0-9a-f]{64})\s+cod\.pdf/.exec(show)![1]!;
    await ok(["evidence", "get", sha, "--out", join(dir, "back.pdf")]);
    expect(readFileSync(join(dir, "back.pdf"), "utf8")).toBe("%PDF certificate of destruction");
    const s = await status();
    expect(s.totals).toMatchObject({ prohibited: 1, removed: 2, reopened: 0 });
    expect(s.code).toBe(3);
  });

  it("grants an exception approved by another person; status counts it and exits 0 once nothing else remains", async () => {
    const cam = addr("hikvision-ipc-2015");
    const req = await ok([
      "exception",
      "request",
      cam,
      "--justification",
      "sally port camera until delivery",
      "--control",
      "VLAN 99, no internet route",
      "--until",
      "2099-12-31",
      "--actor",
      "a.tremblay",
    ]);
    const id = /exception (\d+) requested/.exec(req)![1]!;
    const self = await run(["exception", "approve", id, "--note", "ok", "--actor", "a.tremblay"]);
    expect(self.stderr).toMatch(/cannot approve it too/);
    await ok([
      "exception",
      "approve",
      id,
      "--note",
      "DSO approval",
      "--actor",
      "j.smith",
      "--until",
      "2099-06-30",
    ]);
    const s = await status();
    expect(s.totals).toMatchObject({ prohibited: 0, excepted: 1 });
    expect(s.code).toBe(0);
    const late = await run(["status", "--as-of", "2099-07-01"]);
    expect(late.code).toBe(3);
    expect(late.stdout).toMatch(/1 prohibited device\(s\) had an exception that has expired/);
  });

  it("a later scan finds one removed device again and reopens it; the one really gone stays closed", async () => {
    await nvrLab!.stop();
    nvrLab = null;
    const again = await scan();
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(
      /ALERT: device \S+ \(127\.93\.0\.2\d\), recorded closed since .* was seen again and is reopened/,
    );
    const s = await status();
    expect(s.totals).toMatchObject({ reopened: 1, removed: 1 });
    expect(s.code).toBe(3);
    expect(await ok(["remediate", "list", "--state", "reopened"])).toContain(addr("hikvision-ipc-current"));
    expect((await run(["status"])).stdout).toMatch(
      /ALERT: 1 removed device\(s\) were seen on the network again/,
    );
    expect(await ok(["remediate", "show", addr("hikvision-ipc-current")])).toMatch(
      /closed -> reopened .*seen again by run/,
    );
  });

  it("writes the report in English, French and both in one document as PDF, and the exports", async () => {
    for (const lang of ["en", "fr", "bilingual"]) {
      const file = join(dir, `report-${lang}.pdf`);
      await ok(["report", "--format", "pdf", "--lang", lang, "--out", file]);
      expect(readFileSync(file).subarray(0, 5).toString()).toBe("%PDF-");
      if (existsSync("/usr/bin/pdftotext")) {
        const { stdout } = await promisify(execFile)("pdftotext", ["-layout", file, "-"]);
        expect(stdout).toContain("National Defence");
        if (lang !== "en") expect(stdout).toContain("Rapport de conformité");
        if (lang !== "fr") expect(stdout).toContain("Compliance report");
        expect(stdout).toMatch(
          lang === "fr" ? /Page 1 de \d/ : lang === "en" ? /Page 1 of \d/ : /Page 1 of \d+ \/ Page 1 de \d/,
        );
      }
    }
    await expect(run(["report", "--lang", "de"])).resolves.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--lang de: one of en, fr, bilingual/),
    });
    const html = await ok(["report", "--lang", "fr"]);
    expect(html).toMatch(/<html lang="fr-CA"/);
    const csv = await ok(["report", "--format", "csv"]);
    expect(csv.trimEnd().split("\n").length).toBe(5); // header + 4 devices
    const bom = JSON.parse(await ok(["report", "--format", "cyclonedx"])) as { components: unknown[] };
    expect(bom.components).toHaveLength(4);
    expect(await ok(["report", "--format", "netbox"])).toMatch(/^name,role/);
  });
});
