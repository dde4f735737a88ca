import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labPortSpec } from "../src/cli/lab-scan.js";
import { compareWithPersona } from "../src/lab/expect.js";
import { startLab, type RunningLab } from "../src/lab/index.js";
import type { DeviceView } from "../src/report/index.js";
import { jsonLines, runCli } from "./cli.js";

// This file owns 127.77.200.0/24.
const RANGE = "127.77.200.0/24";

describe("camsweep scan against the device lab (real CLI, loopback only)", () => {
  let lab: RunningLab;
  let dir: string;
  let scanArgs: string[];
  let first: DeviceView[];

  beforeAll(async () => {
    lab = await startLab({ range: RANGE, portOffset: "auto" });
    dir = mkdtempSync(join(tmpdir(), "camsweep-e2e-"));
    scanArgs = [
      "scan",
      ...lab.devices.map((d) => d.address),
      "--allow",
      RANGE,
      "-p",
      labPortSpec(lab),
      "--data-dir",
      join(dir, "inv"),
      "--json",
      "--timeout",
      "2000",
    ];
    const r = await runCli([...scanArgs, "--save-observations", join(dir, "obs.jsonl")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    first = jsonLines<DeviceView>(r.stdout);
  });

  afterAll(async () => {
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("identifies every persona as it expects", () => {
    const byAddress = new Map(first.map((d) => [d.address, d]));
    const misses = lab.devices.flatMap((d) => compareWithPersona(d, byAddress.get(d.address)));
    expect(misses).toEqual([]);
    expect(first).toHaveLength(lab.devices.length);
  });

  it("flags every Hikvision, HiWatch, relabel and Dahua device, and nothing else", () => {
    for (const d of lab.devices) {
      const found = first.find((f) => f.address === d.address);
      const maker = d.persona.expect.manufacturer;
      const shouldBe = maker === "hikvision" || maker === "dahua";
      expect({ persona: d.persona.id, restricted: found?.restricted }).toEqual({
        persona: d.persona.id,
        restricted: shouldBe,
      });
      if (shouldBe) expect(found?.evidence.length).toBeGreaterThan(0);
    }
    const negatives = ["printer", "router", "xiongmai-dvr"];
    for (const id of negatives) {
      const d = lab.devices.find((x) => x.persona.id === id);
      expect(d, `persona ${id} exists`).toBeDefined();
      expect(first.find((f) => f.address === d?.address)?.restricted).toBe(false);
    }
  });

  it("gives the same verdicts from the saved observations", async () => {
    const saved = readFileSync(join(dir, "obs.jsonl"), "utf8");
    expect(saved.length).toBeGreaterThan(0);
    const r = await runCli(["identify", join(dir, "obs.jsonl"), "--json"]);
    expect(r.code).toBe(0);
    const again = jsonLines<DeviceView>(r.stdout);
    const pick = (d: DeviceView) => [
      d.address,
      d.manufacturer,
      d.brand,
      d.model,
      d.firmware,
      d.deviceType,
      d.restricted,
      d.policies,
      d.confidence,
    ];
    expect(again.map(pick).sort()).toEqual(first.map(pick).sort());
  });

  it("scanning twice leaves the device count unchanged", async () => {
    const count = async () =>
      jsonLines((await runCli(["devices", "--json", "--data-dir", join(dir, "inv")])).stdout).length;
    expect(await count()).toBe(lab.devices.length);
    const r = await runCli(scanArgs);
    expect(r.code).toBe(0);
    expect(await count()).toBe(lab.devices.length);
    const restricted = await runCli(["devices", "--restricted", "--csv", "--data-dir", join(dir, "inv")]);
    const rows = restricted.stdout.trim().split("\n").slice(1);
    expect(rows.length).toBe(first.filter((d) => d.restricted).length);
  });

  it("explains what the inventory holds, device by device", async () => {
    const r = await runCli(["devices", "--restricted", "--explain", "--data-dir", join(dir, "inv")]);
    expect(r.code).toBe(0);
    const blocks = r.stdout.trim().split("\n\n");
    expect(blocks.length).toBe(first.filter((d) => d.restricted).length);
    for (const b of blocks)
      expect(b).toMatch(/RESTRICTED[\s\S]*restricted by:\n[\s\S]* {6}US-NDAA-FY2019-S889: NDAA FY2019/);
  });
});
