import { countAxis, YAxis } from "./Axis";
import { ChartFrame, frame, type ChartProps } from "./ChartFrame";
import { Legend, type SeriesStyle } from "./Legend";
import { bands } from "./scale";

const F = frame({ top: 12, right: 16, bottom: 40, left: 48 });
const M = F.margin;

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
}: ChartProps<BarSeries> & { categories: string[] }) {
  const { ticks, y } = countAxis(F, series);
  const groups = bands(categories.length, M.left, F.width - M.right, 0.25);
  const maxChars = Math.max(4, Math.floor((groups[0]?.width ?? 60) / 7));
  return (
    <ChartFrame frame={F} label={label} legend={<Legend series={series} />}>
      <YAxis ticks={ticks} y={y} frame={F} format={formatY} />
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
            <text x={g.start + g.width / 2} y={F.height - M.bottom + 16} className="tick" textAnchor="middle">
              {clipLabel(categories[ci] ?? "", maxChars)}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}
