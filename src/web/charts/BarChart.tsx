import { Legend, type SeriesStyle } from "./Legend";
import { bands, linearScale, maxOf, niceTicks } from "./scale";

const W = 640;
const H = 260;
const M = { top: 12, right: 16, bottom: 40, left: 48 };

export interface BarSeries extends SeriesStyle {
  values: number[];
}

/** Clips a category label to fit under its bar; the full text is in the chart's data table. */
export const clipLabel = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** Grouped vertical bars: one group per category, one bar per series. */
export function BarChart({
  label,
  categories,
  series,
  formatY,
}: {
  label: string;
  categories: string[];
  series: BarSeries[];
  formatY: (n: number) => string;
}) {
  const ticks = niceTicks(maxOf(series.flatMap((s) => s.values)));
  const top = ticks[ticks.length - 1] ?? 1;
  const y = linearScale([0, top], [H - M.bottom, M.top]);
  const groups = bands(categories.length, M.left, W - M.right, 0.25);
  const maxChars = Math.max(4, Math.floor((groups[0]?.width ?? 60) / 7));
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
        {groups.map((g, ci) => {
          const bars = bands(series.length, g.start, g.start + g.width, 0.1);
          return (
            <g key={ci}>
              {series.map((s, si) => {
                const b = bars[si]!;
                const v = s.values[ci] ?? 0;
                return (
                  <rect
                    key={s.label}
                    x={b.start}
                    width={b.width}
                    y={y(v)}
                    height={Math.max(0, y(0) - y(v))}
                    className={`${s.className} fill`}
                  />
                );
              })}
              <text x={g.start + g.width / 2} y={H - M.bottom + 16} className="tick" textAnchor="middle">
                {clipLabel(categories[ci] ?? "", maxChars)}
              </text>
            </g>
          );
        })}
      </svg>
      <Legend series={series} />
    </div>
  );
}
