import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate.js";
import { RttEstimator } from "./rtt.js";
import { Slots, socketBudget } from "./slots.js";
import { TIMINGS, timing } from "./timing.js";

describe("RttEstimator", () => {
  it("waits the initial timeout until measured, then srtt + 4 x rttvar within the bounds", () => {
    const e = new RttEstimator(1000, 100, 5000);
    expect(e.timeoutMs()).toBe(1000);
    for (let i = 0; i < 20; i++) e.sample(20);
    expect(e.timeoutMs()).toBe(100); // 20 ms steady: the floor
    for (let i = 0; i < 20; i++) e.sample(400 + (i % 2) * 200);
    const t = e.timeoutMs();
    expect(t).toBeGreaterThan(500);
    expect(t).toBeLessThanOrEqual(5000);
  });

  it("a host not yet measured borrows the scan's estimate", () => {
    const scan = new RttEstimator(1000, 100, 5000);
    const host = new RttEstimator(1000, 100, 5000);
    expect(host.timeoutMs(scan)).toBe(1000);
    for (let i = 0; i < 10; i++) scan.sample(300);
    expect(host.timeoutMs(scan)).toBe(scan.timeoutMs());
    expect(host.timeoutMs(scan)).toBeLessThan(1000);
    host.sample(2000);
    expect(host.timeoutMs(scan)).toBe(5000);
  });

  it("ignores impossible samples", () => {
    const e = new RttEstimator(700, 100, 5000);
    e.sample(NaN);
    e.sample(-1);
    e.sample(Infinity);
    expect(e.measured).toBe(false);
    expect(e.timeoutMs()).toBe(700);
  });
});

describe("Slots", () => {
  it("never grants more than its size, and passes slots on in order", async () => {
    const s = new Slots(2);
    const order: number[] = [];
    const r1 = await s.take();
    const r2 = await s.take();
    const w3 = s.take().then((r) => (order.push(3), r));
    const w4 = s.take().then((r) => (order.push(4), r));
    expect(s.inUse).toBe(2);
    r1();
    r1(); // a second release of the same slot does nothing
    const r3 = await w3;
    expect(s.inUse).toBe(2);
    r2();
    const r4 = await w4;
    expect(order).toEqual([3, 4]);
    r3();
    r4();
    expect(s.inUse).toBe(0);
  });

  it("a waiter that aborts gives up its place", async () => {
    const s = new Slots(1);
    const r = await s.take();
    const ac = new AbortController();
    const waiting = s.take(ac.signal);
    ac.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    r();
    expect(s.inUse).toBe(0);
    (await s.take())();
  });

  it("the socket budget stays within half the file limit", () => {
    expect(socketBudget(100_000, 20_000)).toBe(10_000);
    expect(socketBudget(64, 20_000)).toBe(64);
    expect(socketBudget(5000, 100)).toBe(50);
    expect(socketBudget(5000, null)).toBe(1024);
  });
});

describe("RateLimiter", () => {
  it("spreads takes at the rate after the initial burst", async () => {
    const r = new RateLimiter(200); // burst of 4, then one every 5 ms
    const start = performance.now();
    for (let i = 0; i < 24; i++) await r.take();
    const ms = performance.now() - start;
    expect(ms).toBeGreaterThanOrEqual(90); // 20 after the burst at 5 ms each = 100 ms (timer slack below)
    expect(ms).toBeLessThan(1000);
  });

  it("rejects a waiter whose signal aborts, and serves the next", async () => {
    const r = new RateLimiter(1);
    await r.take(); // the bucket is empty now; the next token is a second away
    const ac = new AbortController();
    const p = r.take(ac.signal);
    setTimeout(() => ac.abort(new Error("stopped")), 20);
    await expect(p).rejects.toThrow("stopped");
  });
});

describe("timing profiles", () => {
  it("run from polite to aggressive", () => {
    const names = ["T2", "T3", "T4", "T5"] as const;
    for (let i = 1; i < names.length; i++) {
      const [a, b] = [TIMINGS[names[i - 1]!], TIMINGS[names[i]!]];
      expect(b.hosts).toBeGreaterThan(a.hosts);
      expect(b.discoveryHosts).toBeGreaterThan(a.discoveryHosts);
      expect(b.maxRate).toBeGreaterThan(a.maxRate);
      expect(b.maxRttMs).toBeLessThanOrEqual(a.maxRttMs);
      expect(b.retries).toBeLessThanOrEqual(a.retries);
    }
  });

  it("overrides win, a fixed connect timeout disables adaptation, unknown names are refused", () => {
    const t = timing("t4", { hosts: 7, connectTimeoutMs: 900, retries: 3 });
    expect(t).toMatchObject({
      name: "T4",
      hosts: 7,
      initialRttMs: 900,
      minRttMs: 900,
      maxRttMs: 900,
      retries: 3,
    });
    expect(() => timing("T9")).toThrow(/unknown timing profile "T9"/);
  });
});
