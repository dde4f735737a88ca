import { Legend, type SeriesStyle } from "./Legend";
import { linearScale, linePath, maxOf, niceTicks } from "./scale";

const W = 640;
const H = 260;
const M = { top: 12, right: 16, bottom: 28, left: 48 };

export interface LineSeries extends SeriesStyle {
  values: (number | null)[];
  dashed?: boolean;
}

/** A line chart over evenly spaced x labels (dates); null values leave gaps. The SVG is one image to assistive tech. */
export function LineChart({
  label,
  xLabels,
  series,
  formatY,
}: {
  label: string;
  xLabels: string[];
  series: LineSeries[];
  formatY: (n: number) => string;
}) {
  const ticks = niceTicks(maxOf(series.flatMap((s) => s.values)));
  const top = ticks[ticks.length - 1] ?? 1;
  const x = linearScale([0, Math.max(1, xLabels.length - 1)], [M.left, W - M.right]);
  const y = linearScale([0, top], [H - M.bottom, M.top]);
  // First, middle and last dates keep the axis readable at any length.
  const shown = new Set([0, Math.floor((xLabels.length - 1) / 2), xLabels.length - 1]);
  return (
    <div className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} focusable="false">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={M.left - 6} y={y(t)} className="tick" textAnchor="end" dominantBaseline="middle">
              {formatY(t)}
            </text>
          </g>
        ))}
        {xLabels.map((l, i) =>
          shown.has(i) ? (
            <text
              key={i}
              x={x(i)}
              y={H - 8}
              className="tick"
              textAnchor={i === 0 ? "start" : i === xLabels.length - 1 ? "end" : "middle"}
            >
              {l}
            </text>
          ) : null,
        )}
        {series.map((s) => (
          <path
            key={s.label}
            d={linePath(s.values.map((v, i) => ({ x: x(i), y: v === null ? null : y(v) })))}
            className={`${s.className} stroke${s.dashed ? " dashed" : ""}`}
          />
        ))}
      </svg>
      <Legend series={series} dashed={series.flatMap((s, i) => (s.dashed ? [i] : []))} />
    </div>
  );
}
