/** Pure helpers the SVG charts share: linear scales, round tick values, bands for bars and line paths. */

export type Scale = (v: number) => number;

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps everything to the range's start. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  if (span === 0 || !Number.isFinite(span)) return () => r0;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** A step of 1, 2 or 5 times a power of ten that splits [0, max] into about `count` intervals. */
export function niceStep(max: number, count: number): number {
  if (!(max > 0) || count < 1) return 1;
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return Math.max(1, nice * power); // device counts are whole numbers
}

/** Ticks 0, step, 2 step... up to the first one at or above max; [0, 1] when there is nothing to show. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const step = niceStep(max, count);
  const ticks: number[] = [];
  for (let t = 0; t < max + step; t += step) {
    ticks.push(t);
    if (t >= max) break;
  }
  return ticks;
}

/** The top of a count axis: the last nice tick. */
export const niceMax = (max: number, count = 5): number => {
  const ticks = niceTicks(max, count);
  return ticks[ticks.length - 1] ?? 1;
};

export interface Band {
  start: number;
  width: number;
}

/** Splits [start, end] into n equal bands, leaving `padding` (0..1) of each band empty, half on each side. */
export function bands(n: number, start: number, end: number, padding = 0.2): Band[] {
  if (n <= 0) return [];
  const step = (end - start) / n;
  const width = step * (1 - padding);
  return Array.from({ length: n }, (_, i) => ({ start: start + i * step + (step - width) / 2, width }));
}

/**
 * An SVG path through the points; a null value breaks the line (the burn-down has no actual value in the future
 * and no planned value before the plan starts).
 */
export function linePath(points: readonly { x: number; y: number | null }[]): string {
  let d = "";
  let pen = false;
  for (const p of points) {
    if (p.y === null || !Number.isFinite(p.y)) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${round(p.x)} ${round(p.y)}`;
    pen = true;
  }
  return d;
}

const round = (v: number): number => Math.round(v * 100) / 100;

/** The largest finite number among the values, or 0. */
export function maxOf(values: Iterable<number | null | undefined>): number {
  let m = 0;
  for (const v of values) if (typeof v === "number" && Number.isFinite(v) && v > m) m = v;
  return m;
}
