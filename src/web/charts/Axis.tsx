import type { Frame } from "./ChartFrame";
import { linearScale, maxOf, niceTicks, type Scale } from "./scale";

/** A count axis from 0 up to the first round tick at or above the series' largest value, bottom to top. */
export function countAxis(f: Frame, series: readonly { values: readonly (number | null)[] }[]) {
  const ticks = niceTicks(maxOf(series.flatMap((s) => s.values)));
  const top = ticks[ticks.length - 1] ?? 1;
  const y: Scale = linearScale([0, top], [f.height - f.margin.bottom, f.margin.top]);
  return { ticks, y };
}

/** The y axis: a grid line across the plot and a label left of it per tick. */
export function YAxis({
  ticks,
  y,
  frame: f,
  format,
}: {
  ticks: number[];
  y: Scale;
  frame: Frame;
  format: (n: number) => string;
}) {
  const { left, right } = f.margin;
  return ticks.map((t) => (
    <g key={t}>
      <line x1={left} x2={f.width - right} y1={y(t)} y2={y(t)} className="grid" />
      <text x={left - 6} y={y(t)} className="tick" textAnchor="end" dominantBaseline="middle">
        {format(t)}
      </text>
    </g>
  ));
}
