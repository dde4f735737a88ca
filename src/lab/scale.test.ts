import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { createServer } from "node:net";
import { CamsweepError } from "../shared/errors.js";
import { planLab, startLab } from "./index.js";
import { assertFileLimit, fileLimit, FD_HEADROOM } from "./fdlimit.js";
import { DEFAULT_MIX, loadMix, pickIndices, planMix } from "./mix.js";
import { loadPersonaCatalog } from "./load.js";
import { hostSpan, labAddresses } from "./range.js";

// This file owns 127.81.2.0/24 .. 127.81.9.255 and 127.82.0.0/16.
const catalog = (() => {
  const c = loadPersonaCatalog();
  return [...c.standard, ...c.misbehaving];
})();

describe("persona mix", () => {
  it("draws exactly the weights' proportions, deterministic for a seed", () => {
    const mix = loadMix();
    const a = planMix(mix, catalog, 2000, 7).map((p) => p.id);
    const b = planMix(mix, catalog, 2000, 7).map((p) => p.id);
    const c = planMix(mix, catalog, 2000, 8).map((p) => p.id);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect([...a].sort()).toEqual([...c].sort()); // same site, other order
    const total = Object.values(mix.weights).reduce((s, w) => s + w, 0);
    for (const [id, w] of Object.entries(mix.weights)) {
      const n = a.filter((x) => x === id).length;
      expect(Math.abs(n - (2000 * w) / total), id).toBeLessThan(1);
    }
    const restricted = planMix(mix, catalog, 2000, 7).filter((p) => p.expect.restricted).length;
    expect(restricted / 2000).toBeGreaterThan(0.25);
    expect(restricted / 2000).toBeLessThan(0.5);
    expect(a.filter((x) => x.startsWith("misbehave-")).length).toBeGreaterThan(20);
  });

  it("every bundled mix names known personas; the calm one is the site without its misbehaving hosts", () => {
    const site = loadMix();
    const calm = loadMix(join(dirname(DEFAULT_MIX), "site-calm.yaml"));
    const drawn = planMix(calm, catalog, 500, 1).map((p) => p.id);
    expect(drawn.filter((x) => x.startsWith("misbehave-"))).toEqual([]);
    expect(calm.weights).toEqual(
      Object.fromEntries(Object.entries(site.weights).filter(([id]) => !id.startsWith("misbehave-"))),
    );
  });

  it("refuses a mix naming an unknown persona", () => {
    expect(() => planMix({ description: "x", weights: { "no-such": 1 } }, catalog, 3, 1)).toThrow(
      /unknown persona "no-such"/,
    );
  });

  it("picks the same filtered devices for a seed", () => {
    expect(pickIndices(100, 5, 3)).toEqual(pickIndices(100, 5, 3));
    expect(new Set(pickIndices(100, 5, 3)).size).toBe(5);
    expect(pickIndices(3, 10, 3)).toEqual([0, 1, 2]);
  });
});

describe("addresses", () => {
  it("spreads distinct, sorted addresses across the range for a seed", () => {
    const a = labAddresses("127.82.0.0/16", 1000, { spread: true, seed: 5 });
    expect(new Set(a).size).toBe(1000);
    expect(a).toEqual(labAddresses("127.82.0.0/16", 1000, { spread: true, seed: 5 }));
    const ints = a.map((x) => x.split(".").reduce((n, o) => n * 256 + Number(o), 0));
    expect(ints).toEqual([...ints].sort((x, y) => x - y));
    // Spread, not packed: the third octets cover most of the /16.
    expect(new Set(a.map((x) => x.split(".")[2])).size).toBeGreaterThan(200);
    expect(a.every((x) => x !== "127.82.0.0" && x !== "127.82.255.255")).toBe(true);
  });

  it("allows private ranges only in the namespace scope", () => {
    expect(() => hostSpan("10.80.0.0/16")).toThrow(/outside 127\.0\.0\.0\/8/);
    expect(hostSpan("10.80.0.0/16", "private")).toMatchObject({ cidr: "10.80.0.0/16" });
    expect(() => hostSpan("8.8.8.0/24", "private")).toThrow(/outside the private ranges/);
    expect(() => hostSpan("10.0.0.0/7", "private")).toThrow(/outside/);
    expect(() => hostSpan("127.0.0.0/8", "private")).toThrow(/outside/);
  });
});

describe("file descriptor limit", () => {
  it("refuses before binding, naming ulimit -n", () => {
    const limit = { soft: 1024, hard: 4096, open: 20 };
    expect(() => assertFileLimit(1000, limit)).toThrow(CamsweepError);
    expect(() => assertFileLimit(1000, limit)).toThrow(/ulimit -n 1532/);
    expect(() => assertFileLimit(5000, limit)).toThrow(/hard limit is 4096/);
    expect(() => assertFileLimit(1024 - 20 - FD_HEADROOM, limit)).not.toThrow();
  });

  it("a lab too large for this process's limit fails up front with nothing bound", async () => {
    const limit = fileLimit();
    if (!limit) return void console.log("skipped: no /proc/self/limits (not Linux)");
    const services = planLab({ range: "127.81.2.0/24", count: 10, personas: ["printer"] })[0]?.persona
      .services.length as number;
    const devices = Math.ceil(limit.soft / services) + 1;
    const range = "127.82.0.0/16";
    if (devices > 65000)
      return void console.log(`skipped: the soft limit ${limit.soft} is too large to exceed`);
    await expect(startLab({ range, count: devices, personas: ["printer"] })).rejects.toThrow(/ulimit -n/);
    // Nothing was bound: the first address is free.
    await freeToBind("127.82.0.1", 80);
  });
});

async function freeToBind(host: string, port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port, exclusive: true }, resolve);
  });
  await new Promise((r) => server.close(r));
}

describe("lab at scale (loopback)", () => {
  it("starts 2,000 mixed devices across a /16 quickly and stops them all", async () => {
    const limit = fileLimit();
    if (limit && limit.soft < 6000)
      return void console.log(`skipped: needs ulimit -n >= 6000 for 2,000 devices, have ${limit.soft}`);
    const t0 = Date.now();
    const lab = await startLab({
      range: "127.82.0.0/16",
      count: 2000,
      mix: DEFAULT_MIX,
      seed: 3,
      spread: true,
    });
    const ms = Date.now() - t0;
    try {
      expect(lab.devices).toHaveLength(2000);
      expect(new Set(lab.devices.map((d) => d.address)).size).toBe(2000);
      expect(lab.devices.some((d) => d.persona.id.startsWith("misbehave-"))).toBe(true);
      // Batched binds: well under a minute even on a slow CI machine (about 0.5 s here).
      expect(ms).toBeLessThan(30_000);
      const printer = lab.devices.find((d) => d.persona.id === "printer");
      expect(printer).toBeDefined();
    } finally {
      await lab.stop();
    }
    await freeToBind(lab.devices[0]?.address as string, lab.devices[0]?.services[0]?.port as number);
  }, 60_000);

  it("a bind failure midway releases everything already bound", async () => {
    // Occupy the port of the 240th device so that the failure lands in a late batch.
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen({ host: "127.81.3.240", port: 80, exclusive: true }, r));
    try {
      await expect(
        startLab({ range: "127.81.3.0/24", count: 250, personas: ["printer"], bindBatch: 16 }),
      ).rejects.toThrow(/127\.81\.3\.240:80 is already in use/);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
    await freeToBind("127.81.3.1", 80);
    await freeToBind("127.81.3.200", 80);
  });
});

describe("copies of a persona", () => {
  it("get serials of their own, in the original's shape", async () => {
    const { bumpSerial } = await import("./index.js");
    expect(bumpSerial("DS-2CD2385G1-I20190805AAWRD71839274", 1)).toBe("DS-2CD2385G1-I20190805AAWRD71839275");
    expect(bumpSerial("DS-PWA64-L-WE20201204AAWRQ04498906WU", 2)).toBe(
      "DS-PWA64-L-WE20201204AAWRQ04498908WU",
    );
    expect(bumpSerial("5G03B47PAK21E9C", 1)).toBe("5G03B47PAK21E9D");
    expect(bumpSerial("999", 1)).toBe("000");
    expect(bumpSerial("x/y", 3)).toBe("x/y-3");
  });
});
