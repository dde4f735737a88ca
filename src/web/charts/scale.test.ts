import { describe, expect, it } from "vitest";
import { bands, linearScale, linePath, maxOf, niceMax, niceStep, niceTicks } from "./scale";

describe("linearScale", () => {
  it("maps the domain onto the range, inverted for SVG's downward y", () => {
    const y = linearScale([0, 100], [200, 0]);
    expect(y(0)).toBe(200);
    expect(y(100)).toBe(0);
    expect(y(25)).toBe(150);
  });

  it("maps a zero-width domain to the range's start instead of dividing by zero", () => {
    expect(linearScale([5, 5], [10, 90])(5)).toBe(10);
  });
});

describe("ticks", () => {
  it("chooses 1, 2 or 5 times a power of ten", () => {
    expect(niceStep(100, 5)).toBe(20);
    expect(niceStep(1000, 4)).toBe(500);
    expect(niceStep(7, 5)).toBe(2);
    expect(niceStep(3, 10)).toBe(1); // whole devices, never 0.5
  });

  it("ends at or above the maximum", () => {
    expect(niceTicks(93)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceMax(13)).toBe(15);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(Number.NaN)).toEqual([0, 1]);
  });
});

describe("bands", () => {
  it("splits the range into equal, padded, centred bands", () => {
    const b = bands(4, 0, 400, 0.2);
    expect(b).toHaveLength(4);
    expect(b[0]).toEqual({ start: 10, width: 80 });
    expect(b[3]!.start + b[3]!.width).toBeCloseTo(390);
    expect(bands(0, 0, 100)).toEqual([]);
  });
});

describe("linePath", () => {
  it("draws through the points and breaks at nulls", () => {
    expect(
      linePath([
        { x: 0, y: 10 },
        { x: 1, y: 20 },
        { x: 2, y: null },
        { x: 3, y: 5 },
        { x: 4, y: 6.123 },
      ]),
    ).toBe("M0 10L1 20M3 5L4 6.12");
    expect(linePath([])).toBe("");
  });
});

describe("maxOf", () => {
  it("ignores nulls and non-finite values", () => {
    expect(maxOf([3, null, 7, undefined, Number.POSITIVE_INFINITY, 2])).toBe(7);
    expect(maxOf([])).toBe(0);
  });
});
