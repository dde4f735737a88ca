import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { InputError } from "../shared/errors.js";
import { fileSha256 } from "../shared/files.js";
import {
  bundledCostModelPath,
  channelsOf,
  deviceCost,
  loadCostModel,
  MAX_COST_MODEL_BYTES,
  type CostModel,
  type PlanDevice,
} from "./index.js";

const tmp = mkdtempSync(join(tmpdir(), "csw-cost-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bundledText = readFileSync(bundledCostModelPath(), "utf8");
const bundledRaw = parse(bundledText) as {
  channelPatterns: { id: string; examples: { model: string; channels: number | null }[] }[];
};
const { model: bundled } = await loadCostModel();

/** The bundled file as data with the value at `path` set (deleted when undefined), written to a file of its own. */
function variant(name: string, path: (string | number)[], value: unknown): string {
  const data: unknown = parse(bundledText);
  let at = data as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete at[last];
  else at[last] = value;
  const file = join(tmp, name);
  writeFileSync(file, stringify(data));
  return file;
}
async function failure(file: string): Promise<InputError> {
  const e: unknown = await loadCostModel(file).then(
    () => new Error(`${file} loaded`),
    (err: unknown) => err,
  );
  if (e instanceof InputError) return e;
  throw e;
}

function device(over: Partial<PlanDevice>): PlanDevice {
  return {
    id: "d1",
    address: "10.0.0.1",
    manufacturer: "Hikvision",
    model: null,
    deviceType: "camera",
    organizationId: "org",
    siteId: "s1",
    siteName: "Site 1",
    criticality: "normal",
    risk: 50,
    status: "prohibited",
    ...over,
  };
}

describe("the bundled cost model", () => {
  it("loads, with its file and the SHA-256 of its bytes", async () => {
    const c = await loadCostModel();
    expect(c.file).toBe(bundledCostModelPath());
    expect(c.sha256).toBe(fileSha256(bundledCostModelPath()));
    expect(c.model.currency).toBe("CAD");
    expect(c.model.version).toMatch(/\S/);
  });

  it("says for every figure that it is an assumption, and why", () => {
    const figures: Record<string, unknown>[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if ("amount" in o || "value" in o) figures.push(o);
        else Object.values(o).forEach(walk);
      }
    };
    walk(parse(bundledText));
    // camera, nvr x2, dvr x2, other, unknown, 2 default channels, rate, 5 hours, travel
    expect(figures.length).toBe(16);
    for (const f of figures) expect(f["assumption"], JSON.stringify(f)).toMatch(/\S{3,}/);
    expect(bundledText).toMatch(/copy this file/);
    expect(bundledText).toMatch(/--cost-model/);
  });

  it("gives the worked figure its header states", () => {
    const stated = /Worked figure: a Hikvision (\S+) \((\d+) channels\) = .* = ([\d,]+) CAD/.exec(
      bundledText,
    );
    expect(stated).not.toBeNull();
    const c = deviceCost(device({ deviceType: "nvr", model: stated?.[1] ?? "" }), bundled);
    expect(c.total).toBe(Number(stated?.[3]?.replace(/,/g, "")));
    expect(c.basis).toBe(`nvr ${stated?.[2]} channels (model ${stated?.[1]})`);
  });
});

describe("channelPatterns", () => {
  /** The bundled model with only `id`'s pattern, so each example tests its own rule. */
  const only = (id: string): CostModel => ({
    ...bundled,
    channelPatterns: bundled.channelPatterns.filter((p) => p.id === id),
  });

  for (const rule of bundledRaw.channelPatterns)
    it(`${rule.id}: reads its examples' channel counts`, () => {
      expect(rule.examples.length).toBeGreaterThan(0);
      for (const ex of rule.examples) {
        for (const type of ["nvr", "dvr"] as const) {
          const got = channelsOf(ex.model, type, only(rule.id));
          if (ex.channels === null) expect(got?.from, `${ex.model} must not match`).toBe("default");
          else expect(got, ex.model).toEqual({ channels: ex.channels, from: "model" });
        }
        // with every rule in file order, the first match still gives the stated count
        if (ex.channels !== null)
          expect(channelsOf(ex.model, "nvr", bundled)?.channels, ex.model).toBe(ex.channels);
      }
    });

  it("cover the vendors' naming, case-insensitively", () => {
    const cases: [string, number][] = [
      ["DS-7608NI-K2", 8],
      ["DS-7616NI-I2", 16],
      ["DS-7732NI-I4", 32],
      ["DS-9664NI-I8", 64],
      ["DS-7204HGHI-F1", 4],
      ["DS-7216HQHI-K1", 16],
      ["NVR4104-P-4KS2", 4],
      ["NVR4108HS", 8],
      ["NVR5216-16P-I", 16],
      ["NVR608-64-4KS2", 64],
      ["XVR5108HS", 8],
      ["XVR5116H", 16],
    ];
    for (const [model, n] of cases) {
      expect(channelsOf(model, "nvr", bundled)?.channels, model).toBe(n);
      expect(channelsOf(model.toLowerCase(), "dvr", bundled)?.channels, model).toBe(n);
    }
    for (const p of bundledRaw.channelPatterns) expect(bundledText).toContain(`id: ${p.id}`);
    expect(
      bundled.channelPatterns.every(
        (p) => p.source === "vendor model naming as seen in the vendors' datasheets",
      ),
    ).toBe(true);
  });

  it("fall back to the default count, and say nothing of devices that are not recorders", () => {
    expect(channelsOf("DS-2CD2143G2-I", "nvr", bundled)).toEqual({ channels: 16, from: "default" });
    expect(channelsOf(null, "dvr", bundled)).toEqual({ channels: 8, from: "default" });
    expect(channelsOf("DS-7616NI-I2", "camera", bundled)).toBeNull();
    expect(channelsOf("DS-7616NI-I2", "unknown", bundled)).toBeNull();
  });
});

describe("deviceCost", () => {
  it("prices cameras flat, recorders by channels, labour by hours, and shows the basis", () => {
    expect(deviceCost(device({ deviceType: "camera" }), bundled)).toEqual({
      deviceId: "d1",
      hardware: 450,
      labour: 220,
      total: 670,
      basis: "camera",
    });
    const known = deviceCost(device({ deviceType: "nvr", model: "DS-7608NI-K2", channels: 32 }), bundled);
    expect(known).toMatchObject({
      hardware: 1200 + 32 * 90,
      labour: 660,
      basis: "nvr 32 channels (inventory)",
    });
    const dflt = deviceCost(device({ deviceType: "dvr", model: "mystery" }), bundled);
    expect(dflt).toMatchObject({ hardware: 900 + 8 * 70, basis: "dvr 8 channels (default)" });
    const odd = deviceCost(device({ deviceType: "printer" }), bundled);
    expect(odd).toMatchObject({ hardware: 450, labour: 220, basis: "unknown" });
  });

  it("adds up in cents", () => {
    const m: CostModel = structuredClone(bundled);
    m.hardware.camera.amount = 0.1;
    m.labour.hourlyRate.amount = 0.1;
    m.labour.hours.camera.value = 2;
    expect(deviceCost(device({}), m).total).toBe(0.3);
  });
});

describe("a bad cost model file is an InputError naming the file and the field", () => {
  it("an unknown key", async () => {
    const f = variant("unknown.yaml", ["travel", "perVist"], { amount: 1, assumption: "typo" });
    const e = await failure(f);
    expect(e.message).toContain(f);
    expect(e.message).toMatch(/travel\.perVist: unknown key/);
  });

  it("a missing, negative or unexplained figure", async () => {
    expect((await failure(variant("missing.yaml", ["labour", "hourlyRate"], undefined))).message).toMatch(
      /missing\.yaml: labour\.hourlyRate: missing/,
    );
    expect(
      (await failure(variant("neg.yaml", ["hardware", "nvr", "perChannel", "amount"], -5))).message,
    ).toMatch(/neg\.yaml: hardware\.nvr\.perChannel\.amount: /);
    expect((await failure(variant("why.yaml", ["hardware", "camera"], { amount: 400 }))).message).toMatch(
      /why\.yaml: hardware\.camera: say why/,
    );
    expect((await failure(variant("cur.yaml", ["currency"], "dollars"))).message).toMatch(
      /cur\.yaml: currency: /,
    );
  });

  it("a quote in place of an assumption is fine", async () => {
    const f = variant("quote.yaml", ["hardware", "camera"], {
      amount: 380,
      source: "ACME quote Q-1, line 3",
    });
    expect((await loadCostModel(f)).model.hardware.camera.amount).toBe(380);
  });

  it("a pattern that does not compile, has no capture group, or contradicts its example", async () => {
    expect((await failure(variant("re.yaml", ["channelPatterns", 0, "pattern"], "^DS-(76"))).message).toMatch(
      /channelPatterns\[0\]\.pattern: not a valid regular expression/,
    );
    expect(
      (await failure(variant("group.yaml", ["channelPatterns", 0, "pattern"], "^DS-76"))).message,
    ).toMatch(/channelPatterns\[0\]\.pattern: needs a capture group/);
    const wrong = variant("example.yaml", ["channelPatterns", 0, "examples", 0, "channels"], 9);
    expect((await failure(wrong)).message).toMatch(
      /channelPatterns\[0\]\.examples\[0\]\.channels: the pattern reads 8 from DS-7608NI-K2/,
    );
    const dup = variant("dup-id.yaml", ["channelPatterns", 1, "id"], bundledRaw.channelPatterns[0]?.id);
    expect((await failure(dup)).message).toMatch(/channelPatterns\[1\]\.id: repeated/);
  });

  it("not YAML, not a mapping, too big, absent", async () => {
    const bad = join(tmp, "bad.yaml");
    writeFileSync(bad, "travel: [1, 2\n");
    expect((await failure(bad)).message).toMatch(/bad\.yaml(:\d+)?: not valid YAML/);
    const list = join(tmp, "list.yaml");
    writeFileSync(list, "- 1\n");
    expect((await failure(list)).message).toMatch(/list\.yaml: \(root\): a cost model is a mapping/);
    const big = join(tmp, "big.yaml");
    writeFileSync(big, `# ${"x".repeat(MAX_COST_MODEL_BYTES)}\n`);
    expect((await failure(big)).message).toMatch(/big\.yaml: larger than \d+ bytes/);
    expect((await failure(join(tmp, "absent.yaml"))).message).toMatch(
      /absent\.yaml: cannot read cost model \(ENOENT\)/,
    );
  });
});
