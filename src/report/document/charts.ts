/**
 * The report's charts as a neutral list of shapes, laid out once here so that the HTML (svg.ts) and the PDF (pdf.ts)
 * draw the same picture. Units are PDF points; y grows downwards; a text's y is its baseline. Labels are raw text
 * (organization and manufacturer names may come from devices): each renderer escapes them.
 */
export type Shape =
  | { kind: "rect"; x: number; y: number; w: number; h: number; fill: string }
  | {
      kind: "line";
      x1: number;
      y1: number;
      x2: number;
      y2: number;
      stroke: string;
      width: number;
      dash?: number;
    }
  | { kind: "polyline"; points: [number, number][]; stroke: string; width: number; dash?: number }
  | {
      kind: "text";
      x: number;
      y: number;
      text: string;
      size: number;
      anchor: "start" | "middle" | "end";
      fill: string;
      bold?: boolean;
    };

export interface Chart {
  width: number;
  height: number;
  shapes: Shape[];
}

/** Okabe-Ito: told apart by the common colour-vision deficiencies, and each series also has a legend label. */
export const PALETTE = {
  prohibited: "#D55E00",
  excepted: "#CC79A7",
  advisory: "#E69F00",
  allowed: "#009E73",
  removed: "#0072B2",
  unowned: "#999999",
  planned: "#56B4E9",
  other: "#56B4E9",
  ink: "#222222",
  axis: "#666666",
  grid: "#DDDDDD",
} as const;

export interface Series {
  label: string;
  colour: string;
  dashed?: boolean;
}

/** How the chart formats a tick or value label (the report's locale). */
export type NumberFormat = (n: number) => string;

const FONT = 8;
const LEGEND_ROW = 16;

/** Approximate Helvetica advance widths (em): enough to keep labels out of each other's way. */
export function textWidth(s: string, size: number): number {
  let em = 0;
  for (const ch of s) {
    if ("ijlI.,:;'|!()[] ".includes(ch)) em += 0.28;
    else if ("mwMW@".includes(ch)) em += 0.85;
    else if (/[A-Z]/.test(ch)) em += 0.68;
    else em += 0.56;
  }
  return em * size;
}

/** `s` cut with an ellipsis to fit `width` points. */
export function fitText(s: string, size: number, width: number): string {
  if (textWidth(s, size) <= width) return s;
  const chars = [...s];
  while (chars.length > 1 && textWidth(`${chars.join("")}…`, size) > width) chars.pop();
  return `${chars.join("")}…`;
}

/** A round axis maximum and a whole tick step (device counts) for values up to `max`. */
export function niceScale(max: number, ticks = 5): { max: number; step: number } {
  const raw = Math.max(1, max) / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, ([1, 2, 5, 10].find((f) => f * mag >= raw) ?? 10) * mag);
  return { max: Math.ceil(Math.max(1, max) / step) * step, step };
}

function text(
  x: number,
  y: number,
  s: string,
  anchor: "start" | "middle" | "end" = "start",
  size = FONT,
  fill: string = PALETTE.ink,
): Shape {
  return { kind: "text", x, y, text: s, size, anchor, fill };
}

/** Swatches and labels in rows from the left, wrapping at the chart's width. Returns the height used. */
function legend(shapes: Shape[], series: Series[], width: number, y0: number): number {
  let x = 0;
  let y = y0;
  for (const s of series) {
    const w = 18 + textWidth(s.label, FONT) + 14;
    if (x > 0 && x + w > width) {
      x = 0;
      y += LEGEND_ROW;
    }
    if (s.dashed !== undefined)
      shapes.push({
        kind: "line",
        x1: x,
        y1: y + 5,
        x2: x + 14,
        y2: y + 5,
        stroke: s.colour,
        width: 2,
        ...(s.dashed ? { dash: 3 } : {}),
      });
    else shapes.push({ kind: "rect", x, y: y + 1, w: 10, h: 9, fill: s.colour });
    shapes.push(text(x + 18, y + 9, s.label));
    x += w;
  }
  return y + LEGEND_ROW - y0;
}

/** The chart that stands in for an empty one: a short note, no axis. */
export function noDataChart(width: number, note: string): Chart {
  return { width, height: 28, shapes: [text(0, 17, note, "start", 9, PALETTE.axis)] };
}

/** Vertical grid lines and their labels under a horizontal value axis. */
function valueAxisX(
  shapes: Shape[],
  x0: number,
  x1: number,
  top: number,
  bottom: number,
  max: number,
  step: number,
  fmt: NumberFormat,
) {
  for (let v = 0; v <= max; v += step) {
    const x = x0 + ((x1 - x0) * v) / max;
    shapes.push({ kind: "line", x1: x, y1: top, x2: x, y2: bottom, stroke: PALETTE.grid, width: 0.5 });
    shapes.push(text(x, bottom + 11, fmt(v), "middle", 7, PALETTE.axis));
  }
}

/** Horizontal grid lines and their labels beside a vertical value axis. */
function valueAxisY(
  shapes: Shape[],
  x0: number,
  x1: number,
  top: number,
  bottom: number,
  max: number,
  step: number,
  fmt: NumberFormat,
) {
  for (let v = 0; v <= max; v += step) {
    const y = bottom - ((bottom - top) * v) / max;
    shapes.push({ kind: "line", x1: x0, y1: y, x2: x1, y2: y, stroke: PALETTE.grid, width: 0.5 });
    shapes.push(text(x0 - 4, y + 2.5, fmt(v), "end", 7, PALETTE.axis));
  }
}

export interface StackedRow {
  label: string;
  values: number[];
}

/** Horizontal stacked bars, one per row, one segment per series, with each row's total at its end. */
export function stackedBars(
  width: number,
  series: Series[],
  rows: StackedRow[],
  fmt: NumberFormat,
  noData: string,
): Chart {
  const totals = rows.map((r) => r.values.reduce((a, b) => a + b, 0));
  if (rows.length === 0 || totals.every((v) => v === 0)) return noDataChart(width, noData);
  const shapes: Shape[] = [];
  const top = legend(shapes, series, width, 0) + 6;
  const labelW = Math.min(170, width * 0.3);
  const x0 = labelW + 6;
  const x1 = width - 36;
  const bar = 14;
  const gap = 8;
  const bottom = top + rows.length * (bar + gap);
  const scale = niceScale(Math.max(...totals));
  valueAxisX(shapes, x0, x1, top, bottom, scale.max, scale.step, fmt);
  rows.forEach((r, i) => {
    const y = top + gap / 2 + i * (bar + gap);
    shapes.push(text(labelW, y + bar / 2 + 3, fitText(r.label, FONT, labelW), "end"));
    let x = x0;
    r.values.forEach((v, j) => {
      if (v <= 0) return;
      const w = ((x1 - x0) * v) / scale.max;
      shapes.push({ kind: "rect", x, y, w, h: bar, fill: series[j]?.colour ?? PALETTE.axis });
      x += w;
    });
    shapes.push(text(x + 4, y + bar / 2 + 3, fmt(totals[i] ?? 0)));
  });
  shapes.push({ kind: "line", x1: x0, y1: top, x2: x0, y2: bottom, stroke: PALETTE.axis, width: 0.75 });
  return { width, height: bottom + 16, shapes };
}

export interface DatedPoint {
  date: string;
  values: (number | null)[];
}

/** The date labels' font size, the gap kept between two of them, and the most a time axis shows. */
const DATE_FONT = 7;
const LABEL_GAP = 6;
const MAX_DATE_LABELS = 5;
/** A series run narrower than this (points) is drawn with markers at its ends. */
const SHORT_RUN = 6;
const MARKER = 6;

/**
 * Which dates label a time axis, and where: the first and the last, then the dates nearest to evenly spaced
 * positions between them, each kept only if its measured box (textWidth plus a gap) overlaps no label already kept
 * and stays within the chart. Dates close together on a long axis (or two adjacent days) so give one label, not
 * a smudge of several.
 */
export function dateLabels(
  dates: readonly string[],
  xOf: (date: string) => number,
  x0: number,
  x1: number,
  width: number,
): { x: number; label: string }[] {
  const unique = [...new Set(dates)];
  if (unique.length === 0) return [];
  const at = unique.map((label) => ({ x: xOf(label), label }));
  const nearest = (x: number) =>
    at.reduce((best, p) => (Math.abs(p.x - x) < Math.abs(best.x - x) ? p : best), at[0]!);
  const candidates = [at[0]!, at[at.length - 1]!];
  for (let k = 1; k < MAX_DATE_LABELS - 1; k++)
    candidates.push(nearest(x0 + ((x1 - x0) * k) / (MAX_DATE_LABELS - 1)));
  const kept: { x: number; label: string; left: number; right: number }[] = [];
  for (const c of candidates) {
    if (kept.length >= MAX_DATE_LABELS) break;
    const half = textWidth(c.label, DATE_FONT) / 2;
    const box = { ...c, left: c.x - half, right: c.x + half };
    if (box.left < 0 || box.right > width) continue;
    if (kept.some((k) => box.left < k.right + LABEL_GAP && k.left < box.right + LABEL_GAP)) continue;
    kept.push(box);
  }
  return kept.sort((a, b) => a.x - b.x).map(({ x, label }) => ({ x, label }));
}

function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / 86_400_000);
}

/**
 * Lines over a time axis, one per series; a null value breaks its line. The dates are spread by their distance in
 * days, and up to five of them label the axis, never overlapping (dateLabels).
 */
export function timeLines(
  width: number,
  series: Series[],
  points: DatedPoint[],
  fmt: NumberFormat,
  noData: string,
): Chart {
  const valid = points.filter((p) => !Number.isNaN(dayNumber(p.date)));
  if (!valid.some((p) => p.values.some((v) => v !== null))) return noDataChart(width, noData);
  const sorted = [...valid].sort((a, b) => dayNumber(a.date) - dayNumber(b.date));
  const shapes: Shape[] = [];
  const top = legend(shapes, series, width, 0) + 8;
  const x0 = 34;
  const x1 = width - 24;
  const bottom = top + 150;
  const maxValue = Math.max(...sorted.flatMap((p) => p.values.map((v) => v ?? 0)));
  const scale = niceScale(maxValue);
  valueAxisY(shapes, x0, x1, top, bottom, scale.max, scale.step, fmt);
  const first = dayNumber(sorted[0]!.date);
  const span = dayNumber(sorted[sorted.length - 1]!.date) - first;
  const xOf = (date: string) =>
    span === 0 ? (x0 + x1) / 2 : x0 + ((x1 - x0) * (dayNumber(date) - first)) / span;
  const yOf = (v: number) => bottom - ((bottom - top) * v) / scale.max;
  shapes.push({ kind: "line", x1: x0, y1: bottom, x2: x1, y2: bottom, stroke: PALETTE.axis, width: 0.75 });
  for (const { x, label } of dateLabels(
    sorted.map((p) => p.date.slice(0, 10)),
    xOf,
    x0,
    x1,
    width,
  )) {
    shapes.push({
      kind: "line",
      x1: x,
      y1: bottom,
      x2: x,
      y2: bottom + 3,
      stroke: PALETTE.axis,
      width: 0.75,
    });
    shapes.push(text(x, bottom + 13, label, "middle", DATE_FONT, PALETTE.axis));
  }
  series.forEach((s, j) => {
    let run: [number, number][] = [];
    const flush = () => {
      if (run.length > 1)
        shapes.push({
          kind: "polyline",
          points: run,
          stroke: s.colour,
          width: 2,
          ...(s.dashed ? { dash: 4 } : {}),
        });
      // A run a few points wide (one day, or days close together on a long axis) would be a dot or a vertical
      // stroke that reads as an axis: its ends get markers, so it shows as points joined by a step.
      const xs = run.map(([x]) => x);
      if (run.length > 0 && Math.max(...xs) - Math.min(...xs) < SHORT_RUN) {
        const ends = run.length === 1 ? run : [run[0]!, run[run.length - 1]!];
        for (const [x, y] of ends)
          shapes.push({
            kind: "rect",
            x: x - MARKER / 2,
            y: y - MARKER / 2,
            w: MARKER,
            h: MARKER,
            fill: s.colour,
          });
      }
      run = [];
    };
    for (const p of sorted) {
      const v = p.values[j];
      if (v === null || v === undefined) flush();
      else run.push([xOf(p.date), yOf(v)]);
    }
    flush();
  });
  return { width, height: bottom + 20, shapes };
}

export interface PartRow {
  label: string;
  total: number;
  part: number;
}

/** Horizontal bars whose first `part` is highlighted (prohibited devices among a manufacturer's devices). */
export function partBars(
  width: number,
  part: Series,
  rest: Series,
  rows: PartRow[],
  fmt: NumberFormat,
  noData: string,
): Chart {
  if (rows.length === 0 || rows.every((r) => r.total === 0)) return noDataChart(width, noData);
  return stackedBars(
    width,
    [part, rest],
    rows.map((r) => ({ label: r.label, values: [Math.min(r.part, r.total), Math.max(0, r.total - r.part)] })),
    fmt,
    noData,
  );
}

export interface Group {
  label: string;
  sublabel: string;
  values: number[];
}

/** Vertical bars side by side within each group (one per series), each value written above its bar. */
export function groupedBars(
  width: number,
  series: Series[],
  groups: Group[],
  fmt: NumberFormat,
  noData: string,
): Chart {
  if (groups.length === 0 || groups.every((g) => g.values.every((v) => v === 0)))
    return noDataChart(width, noData);
  const shapes: Shape[] = [];
  const top = legend(shapes, series, width, 0) + 10;
  const x0 = 34;
  const x1 = width - 8;
  const bottom = top + 130;
  const scale = niceScale(Math.max(...groups.flatMap((g) => g.values)));
  valueAxisY(shapes, x0, x1, top, bottom, scale.max, scale.step, fmt);
  const slot = (x1 - x0) / groups.length;
  const bar = Math.min(36, (slot * 0.7) / series.length);
  groups.forEach((g, i) => {
    const cx = x0 + slot * (i + 0.5);
    const left = cx - (bar * series.length) / 2;
    g.values.forEach((v, j) => {
      const h = ((bottom - top) * v) / scale.max;
      const x = left + j * bar;
      if (h > 0)
        shapes.push({
          kind: "rect",
          x: x + 1,
          y: bottom - h,
          w: bar - 2,
          h,
          fill: series[j]?.colour ?? PALETTE.axis,
        });
      shapes.push(text(x + bar / 2, bottom - h - 3, fmt(v), "middle", 7));
    });
    shapes.push(text(cx, bottom + 12, fitText(g.label, FONT, slot - 4), "middle"));
    shapes.push(text(cx, bottom + 22, fitText(g.sublabel, 7, slot - 4), "middle", 7, PALETTE.axis));
  });
  shapes.push({ kind: "line", x1: x0, y1: bottom, x2: x1, y2: bottom, stroke: PALETTE.axis, width: 0.75 });
  return { width, height: bottom + 28, shapes };
}
