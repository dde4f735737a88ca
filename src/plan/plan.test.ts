import { describe, expect, it } from "vitest";
import { UsageError } from "../shared/errors.js";
import {
  comparePriority,
  formatMoney,
  formatPlan,
  loadCostModel,
  planRemoval,
  readPlanWarnings,
  sitelessWarning,
  warningText,
  type LoadedCostModel,
  type Plan,
  type PlanDevice,
  type PlanOptions,
} from "./index.js";

const bundled = await loadCostModel();

/** Round prices: a camera 100, a recorder 500, travel 50 a visit, no labour. */
function simpleCosts(): LoadedCostModel {
  const model = structuredClone(bundled.model);
  model.hardware.camera.amount = 100;
  model.hardware.nvr.base.amount = 500;
  model.hardware.nvr.perChannel.amount = 0;
  for (const t of ["camera", "nvr", "dvr", "other", "unknown"] as const) model.labour.hours[t].value = 0;
  model.travel.perVisit.amount = 50;
  return { model, file: "simple.yaml", sha256: "0".repeat(64) };
}
const costs = simpleCosts();

/** The warnings' English sentences, as the CLI prints them. */
const texts = (plan: Plan) => plan.warnings.map(warningText);

let seq = 0;
function cam(site: string, over: Partial<PlanDevice> = {}): PlanDevice {
  seq++;
  return {
    id: `d${String(seq).padStart(3, "0")}`,
    address: `10.0.0.${seq}`,
    manufacturer: "Hikvision",
    model: "DS-2CD2143G2-I",
    deviceType: "camera",
    organizationId: "org",
    siteId: site,
    siteName: `Site ${site}`,
    criticality: "normal",
    risk: 50,
    status: "prohibited",
    ...over,
  };
}
const opts = (over: Partial<PlanOptions> = {}): PlanOptions => ({
  phases: 2,
  start: "2026-01-01",
  budget: null,
  ...over,
});

describe("phases and site visits", () => {
  it("dates phases in UTC days and groups a site's devices in one visit, travel once", () => {
    const devices = [cam("a"), cam("a"), cam("a"), cam("b"), cam("b"), cam("b")];
    const plan = planRemoval(devices, opts(), costs);
    expect(plan.phases.map((p) => [p.start, p.end])).toEqual([
      ["2026-01-01", "2026-03-31"],
      ["2026-04-01", "2026-06-29"],
    ]);
    const [p1, p2] = plan.phases;
    expect(p1?.visits.map((v) => [v.siteId, v.deviceIds.length, v.travel, v.devices, v.total])).toEqual([
      ["a", 3, 50, 300, 350],
      ["b", 3, 50, 300, 350],
    ]);
    expect(p1?.cost).toBe(700);
    expect(p2?.visits).toEqual([]);
    expect(plan.totalCost).toBe(700);
    expect(plan.burnDown).toEqual([
      { date: "2026-01-01", remaining: 6 },
      { date: "2026-03-31", remaining: 0 },
      { date: "2026-06-29", remaining: 0 },
    ]);
    expect(plan.unfunded).toEqual([]);
    expect(plan.warnings).toEqual([]);
    expect(plan.costModel).toEqual({ file: "simple.yaml", sha256: "0".repeat(64) });
  });

  it("keeps sites of different organizations apart even when their ids match", () => {
    const plan = planRemoval([cam("a"), cam("a", { organizationId: "other" })], opts(), costs);
    expect(plan.phases[0]?.visits.map((v) => v.organizationId)).toEqual(["org", "other"]);
    expect(plan.phases[0]?.cost).toBe(300);
  });

  it("splits the budget evenly and splits a site that does not fit, paying travel again", () => {
    // phase budget 500: site a whole (350), then 1 of site b's cameras (150) rather than leaving 150 idle
    const devices = [cam("a", { risk: 90 }), cam("a"), cam("a"), cam("b"), cam("b"), cam("b")];
    const plan = planRemoval(devices, opts({ budget: 1000 }), costs);
    const [p1, p2] = plan.phases;
    expect(p1?.budget).toBe(500);
    expect(p1?.visits.map((v) => [v.siteId, v.deviceIds.length, v.total])).toEqual([
      ["a", 3, 350],
      ["b", 1, 150],
    ]);
    expect(p2?.visits.map((v) => [v.siteId, v.deviceIds.length, v.travel, v.total])).toEqual([
      ["b", 2, 50, 250],
    ]);
    expect(plan.totalCost).toBe(750);
    expect(plan.burnDown.map((b) => b.remaining)).toEqual([6, 2, 0]);
  });

  it("splits a site by urgency, skipping a device too dear for what is left", () => {
    const urgent = cam("a", { risk: 90 });
    const nvr = cam("a", { risk: 80, deviceType: "nvr", model: "DS-7608NI-K2" });
    const lesser = cam("a", { risk: 70 });
    const plan = planRemoval([lesser, nvr, urgent], opts({ budget: 600, phases: 2 }), costs);
    expect(plan.phases[0]?.visits[0]?.deviceIds).toEqual([urgent.id, lesser.id]);
    // 500 + 50 travel is more than a phase's 300: never funded
    expect(plan.phases[1]?.visits).toEqual([]);
    expect(plan.unfunded).toEqual([{ deviceId: nvr.id, cost: 500, deadline: null }]);
    expect(plan.warnings).toContainEqual(
      expect.objectContaining({
        code: "too-dear",
        params: { devices: 1, phaseBudget: 300, ids: [nvr.id], moreIds: 0 },
      }),
    );
    expect(texts(plan).join("\n")).toMatch(
      `1 device costs more than a phase's budget of 300 CAD on its own (with travel), so no phase can fund it: ${nvr.id}.`,
    );
  });

  it("puts everything in the first phase when the budget is unlimited", () => {
    const plan = planRemoval([cam("a"), cam("b"), cam("c")], opts({ phases: 3 }), costs);
    expect(plan.phases.map((p) => p.deviceCount)).toEqual([3, 0, 0]);
    expect(plan.phases.every((p) => p.budget === null)).toBe(true);
  });

  it("rounds a phase's share down to the cent", () => {
    const plan = planRemoval([cam("a")], opts({ phases: 3, budget: 1000 }), costs);
    expect(plan.phases.map((p) => p.budget)).toEqual([333.33, 333.33, 333.33]);
  });
});

describe("priority", () => {
  it("prohibited before advisory, then risk, site criticality, deadline, id", () => {
    const advisory = cam("s1", { status: "advisory", risk: 99 });
    const high = cam("s2", { risk: 80 });
    const critical = cam("s3", { risk: 60, criticality: "critical" });
    const normalSoon = cam("s4", { risk: 60, deadline: "2026-03-01" });
    const normalLater = cam("s5", { risk: 60, deadline: "2026-05-01" });
    const normalNone = cam("s6", { risk: 60 });
    const low = cam("s7", { risk: 60, criticality: "low" });
    const tieA = cam("s8", { id: "zz-a", risk: 10 });
    const tieB = cam("s9", { id: "zz-b", risk: 10 });
    const want = [high, critical, normalSoon, normalLater, normalNone, low, tieA, tieB, advisory];
    expect([...want].reverse().sort(comparePriority)).toEqual(want);
    const plan = planRemoval([...want].reverse(), opts(), costs);
    expect(plan.phases[0]?.visits.map((v) => v.deviceIds[0])).toEqual(want.map((d) => d.id));
    expect(plan.costs.map((c) => c.deviceId)).toEqual(want.map((d) => d.id));
  });

  it("orders sites by their most urgent device and funds them in that order", () => {
    const a = [cam("a", { risk: 40 }), cam("a", { risk: 40 })];
    const b = [cam("b", { risk: 30 }), cam("b", { risk: 95 })];
    // phase budget 250 = site b whole; site a waits for phase 2
    const plan = planRemoval([...a, ...b], opts({ budget: 500 }), costs);
    expect(plan.phases.map((p) => p.visits.map((v) => v.siteId))).toEqual([["b"], ["a"]]);
  });
});

describe("deadlines, unfunded devices and warnings", () => {
  it("flags devices due before their phase ends", () => {
    const early = cam("a", { risk: 90, deadline: "2026-02-15" });
    const onEnd = cam("a", { risk: 90, deadline: "2026-03-31" });
    const far = cam("a", { risk: 90, deadline: "2027-01-01" });
    const second = cam("b", { risk: 10, deadline: "2026-04-15" });
    const plan = planRemoval([early, onEnd, far, second], opts({ budget: 800 }), costs);
    expect(plan.phases[0]?.deviceCount).toBe(3);
    expect(plan.phases[0]?.late).toEqual([{ deviceId: early.id, deadline: "2026-02-15" }]);
    expect(plan.phases[1]?.late).toEqual([{ deviceId: second.id, deadline: "2026-04-15" }]);
    expect(plan.warnings[0]).toEqual(
      expect.objectContaining({
        code: "late-in-phase",
        params: { phase: 1, start: "2026-01-01", end: "2026-03-31", devices: 1, earliest: "2026-02-15" },
      }),
    );
    expect(texts(plan)).toEqual([
      "Phase 1 (2026-01-01 to 2026-03-31): 1 device due before it ends, the earliest on 2026-02-15.",
      "Phase 2 (2026-04-01 to 2026-06-29): 1 device due before it ends, the earliest on 2026-04-15.",
    ]);
  });

  it("lists what the budget cannot fund, in priority order, with the amount that would fund it all", () => {
    const devices = [
      cam("a", { risk: 90 }),
      cam("a", { risk: 80, deadline: "2026-05-01" }),
      cam("b", { risk: 20, deadline: "2026-03-01" }),
      cam("c", { risk: 10, deadline: "2027-06-01" }),
    ];
    const plan = planRemoval(devices, opts({ budget: 300 }), costs); // 150 a phase: one camera each
    expect(plan.phases.map((p) => p.visits.flatMap((v) => v.deviceIds))).toEqual([
      [devices[0]?.id],
      [devices[1]?.id],
    ]);
    expect(plan.unfunded).toEqual([
      { deviceId: devices[2]?.id, cost: 100, deadline: "2026-03-01" },
      { deviceId: devices[3]?.id, cost: 100, deadline: "2027-06-01" },
    ]);
    expect(plan.burnDown.map((b) => b.remaining)).toEqual([4, 3, 2]);
    expect(plan.warnings.map((w) => typeof w !== "string" && w.code)).toEqual([
      "budget-short",
      "late-in-phase",
      "unfunded-deadlines",
    ]);
    expect(plan.warnings[0]).toMatchObject({
      params: { budget: 300, funded: 2, devices: 4, needed: 550, more: 250 },
    });
    expect(plan.warnings[2]).toMatchObject({
      params: { devices: 2, earliest: "2026-03-01", dueBeforeEnd: 1, planEnd: "2026-06-29" },
    });
    expect(texts(plan)).toEqual([
      // all: 4 x 100 + 3 sites x 50
      "The budget of 300 CAD funds 2 of 4 devices; replacing all of them needs at least 550 CAD (one visit per site), 250 CAD more.",
      "Phase 2 (2026-04-01 to 2026-06-29): 1 device due before it ends, the earliest on 2026-05-01.",
      "2 unfunded devices have policy deadlines, the earliest 2026-03-01; 1 of them falls due before the plan ends on 2026-06-29: fund them or the deadlines will be missed.",
    ]);
  });

  it("says when the total would do but the phase shares do not", () => {
    // 5 cameras at one site need 550 in one visit; 200 a phase buys one camera and its travel each time
    const split = planRemoval(
      [cam("a"), cam("a"), cam("a"), cam("a"), cam("a")],
      opts({ budget: 600, phases: 3 }),
      costs,
    );
    expect(split.phases.map((p) => p.cost)).toEqual([150, 150, 150]);
    expect(split.warnings[0]).toMatchObject({
      code: "phase-budget",
      params: { budget: 600, devices: 5, needed: 550, phaseBudget: 200, unfunded: 2 },
    });
    expect(texts(split)).toEqual([
      "The budget of 600 CAD would cover 5 devices (550 CAD with one visit per site), but not within each phase's 200 CAD: 2 devices stay unfunded.",
    ]);
    const short = planRemoval([cam("x", { deviceType: "nvr" })], opts({ budget: 1000, phases: 2 }), costs);
    expect(texts(short)[0]).toBe(
      "The budget of 1,000 CAD would cover 1 device (550 CAD with one visit per site), but not within each phase's 500 CAD: 1 device stays unfunded.",
    );
  });

  it("funds nothing from a budget of 0", () => {
    const plan = planRemoval([cam("a"), cam("b", { deadline: "2027-01-01" })], opts({ budget: 0 }), costs);
    expect(plan.totalCost).toBe(0);
    expect(plan.unfunded.length).toBe(2);
    expect(texts(plan)[0]).toMatch(/funds 0 of 2 devices; .* needs at least 300 CAD .*, 300 CAD more\./);
    expect(texts(plan)).toContain(
      "1 unfunded device has a policy deadline, 2027-01-01: fund it or the deadline will be missed.",
    );
  });
});

describe("saved warnings", () => {
  it("checks every warning the planner writes against the schema readers use", () => {
    const plan = planRemoval(
      [
        cam("a", { risk: 90, deadline: "2026-02-15" }),
        cam("b", { deviceType: "nvr", deadline: "2026-05-01" }),
      ],
      opts({ budget: 400, phases: 2 }),
      costs,
    );
    expect(plan.warnings.length).toBeGreaterThanOrEqual(3);
    // a plan goes into the inventory as JSON and comes back as JSON
    const saved: unknown = JSON.parse(JSON.stringify(plan.warnings));
    expect(readPlanWarnings(saved)).toEqual(plan.warnings);
  });

  it("reads plans saved before warnings had codes, and whatever else a stored row holds, without throwing", () => {
    const read = readPlanWarnings([
      "budget short by 1,450 CAD for 1 device",
      { code: "siteless", params: { devices: 3 }, text: "3 on no site" },
      { code: "siteless", params: { devices: -1 }, text: "bad figures" },
      { code: "from-a-later-version", params: {}, text: "kept as text" },
      { code: "siteless", params: { devices: 1 } },
      42,
      null,
      "x".repeat(5000),
    ]);
    expect(read.map((w) => w.code)).toEqual([null, "siteless", null, null, null]);
    expect(read.map((w) => w.text.slice(0, 20))).toEqual([
      "budget short by 1,45",
      "3 on no site",
      "bad figures",
      "kept as text",
      "x".repeat(20),
    ]);
    expect(read[4]?.text).toHaveLength(1000);
    expect(readPlanWarnings(undefined)).toEqual([]);
    expect(readPlanWarnings({ 0: "not an array" })).toEqual([]);
    expect(readPlanWarnings(Array.from({ length: 500 }, () => "w"))).toHaveLength(200);
  });

  it("words the warning for devices on no site in the singular and plural", () => {
    expect(sitelessWarning(1).text).toBe(
      "1 restricted device on no site is not in the plan: assign its segment to a site and assess again.",
    );
    expect(sitelessWarning(4)).toMatchObject({ code: "siteless", params: { devices: 4 } });
    expect(sitelessWarning(4).text).toMatch(/^4 restricted devices on no site are not in the plan/);
  });

  it("prints old and new warnings alike", () => {
    const plan = planRemoval([cam("a"), cam("b")], opts({ budget: 100 }), costs);
    const old: Plan = { ...plan, warnings: ["an old\u001b[2J warning"] };
    expect(formatPlan(plan, [])).toContain(`  - ${warningText(plan.warnings[0]!)}`);
    expect(formatPlan(old, [])).toContain("  - an old\\x1b[2J warning");
  });
});

describe("options", () => {
  const bad: [Partial<PlanOptions>, RegExp][] = [
    [{ phases: 0 }, /^--phases: a whole number from 1 to 100 \(got 0\)/],
    [{ phases: 1.5 }, /^--phases: /],
    [{ phases: 101 }, /^--phases: /],
    [{ phases: Number.NaN }, /^--phases: /],
    [{ budget: -1 }, /^--budget: an amount of 0 or more \(got -1\)/],
    [{ budget: Number.POSITIVE_INFINITY }, /^--budget: /],
    [{ start: "2026-02-30" }, /^--start: a real date written YYYY-MM-DD \(got "2026-02-30"\)/],
    [{ start: "tomorrow\u001b[2J" }, /^--start: .*\\u001b/],
    [{ phaseDays: 0 }, /^--phase-days: /],
    [{ start: "9999-06-01", phases: 3 }, /^--start: a plan starting 9999-06-01 would end after 9999-12-31/],
  ];
  for (const [over, message] of bad)
    it(`refuses ${JSON.stringify(over)}`, () => {
      let err: unknown;
      try {
        planRemoval([cam("a")], opts(over), costs);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toMatch(message);
    });

  it("defaults to 90-day phases, and takes others", () => {
    expect(planRemoval([], opts(), costs).options).toEqual({
      phases: 2,
      start: "2026-01-01",
      phaseDays: 90,
      budget: null,
    });
    const plan = planRemoval([], opts({ phaseDays: 31, phases: 2, start: "2024-02-01" }), costs);
    expect(plan.phases.map((p) => [p.start, p.end])).toEqual([
      ["2024-02-01", "2024-03-02"],
      ["2024-03-03", "2024-04-02"],
    ]);
  });

  it("refuses a device listed twice", () => {
    const d = cam("a");
    expect(() => planRemoval([d, d], opts(), costs)).toThrow(/listed twice/);
  });
});

describe("determinism", () => {
  it("gives the same plan whatever the input order", () => {
    const devices = Array.from({ length: 40 }, (_, i) =>
      cam(`s${i % 7}`, {
        risk: (i * 37) % 100,
        criticality: (["low", "normal", "high", "critical"] as const)[i % 4],
        deadline: i % 3 ? `2026-0${(i % 9) + 1}-15` : null,
        deviceType: i % 5 ? "camera" : "nvr",
        status: i % 6 ? "prohibited" : "advisory",
      }),
    );
    const o = opts({ phases: 4, budget: 3000 });
    const plan = planRemoval(devices, o, costs);
    // a fixed shuffle
    const shuffled = [...devices].sort((a, b) => (a.address ?? "").localeCompare(b.address ?? "") * -1);
    expect(planRemoval(shuffled, o, costs)).toEqual(plan);
    expect(JSON.stringify(planRemoval(devices, o, costs))).toBe(JSON.stringify(plan));
    // nothing is planned twice, and every device is either planned or unfunded
    const planned = plan.phases.flatMap((p) => p.visits.flatMap((v) => v.deviceIds));
    expect(new Set(planned).size).toBe(planned.length);
    expect(planned.length + plan.unfunded.length).toBe(devices.length);
    for (const p of plan.phases) expect(p.cost).toBeLessThanOrEqual(p.budget ?? 0);
  });
});

describe("formatPlan", () => {
  it("formats money with thousands separators and the currency", () => {
    expect(formatMoney(12400, "CAD")).toBe("12,400 CAD");
    expect(formatMoney(1234567.5, "CAD")).toBe("1,234,567.50 CAD");
    expect(formatMoney(0, "USD")).toBe("0 USD");
    expect(formatMoney(999.999, "CAD")).toBe("1,000 CAD");
  });

  it("shows phases, visits, late and unfunded devices and warnings, with device text escaped", () => {
    const hostile = cam("h", {
      siteName: "Lobby\u001b[2J\nfake line",
      model: "DS-7608NI-K2\u001b]0;owned\u0007",
      deviceType: "nvr",
      deadline: "2026-02-01",
      risk: 90,
    });
    const left = cam("z", { risk: 1, model: "XVR\r5108" });
    const devices = [hostile, cam("h"), left];
    const plan = planRemoval(devices, opts({ phases: 1, budget: 650 }), costs);
    const text = formatPlan(plan, devices);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(text).toContain("Lobby\\x1b[2J\\x0afake line");
    expect(text).toContain("DS-7608NI-K2\\x1b]0;owned\\x07");
    expect(text).toMatch(
      /^Replacement plan: 1 phase of 90 days from 2026-01-01, budget 650 CAD in all \(650 CAD a phase\)$/m,
    );
    expect(text).toMatch(
      /^Phase 1: 2026-01-01 to 2026-03-31 {2}budget 650 CAD {2}cost 650 CAD {2}2 devices$/m,
    );
    expect(text).toMatch(/2 \(1 camera, 1 nvr\)\s+50 CAD\s+650 CAD/);
    expect(text).toMatch(new RegExp(`late: ${hostile.id} DS-7608NI-K2.* due 2026-02-01`));
    expect(text).toMatch(/^Unfunded: 1 device, 100 CAD$/m);
    expect(text).toContain("XVR\\x0d5108");
    expect(text).toMatch(
      /^Warnings:\n {2}- The budget of 650 CAD funds 2 of 3 devices;.*\n {2}- Phase 1 \(2026-01-01 to 2026-03-31\): 1 device due/m,
    );
  });

  it("says when a phase has nothing and when there is no budget", () => {
    const plan = planRemoval([cam("a")], opts(), costs);
    const text = formatPlan(plan, [cam("a")]);
    expect(text).toContain("no budget limit");
    expect(text).toMatch(/^Phase 2: .*\n {2}nothing planned$/m);
    expect(text).not.toContain("Unfunded");
  });
});
