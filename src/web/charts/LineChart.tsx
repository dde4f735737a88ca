import { countAxis, YAxis } from "./Axis";
import { ChartFrame, frame, type ChartProps } from "./ChartFrame";
import { Legend, type SeriesStyle } from "./Legend";
import { linearScale, linePath } from "./scale";

const F = frame({ top: 12, right: 16, bottom: 28, left: 48 });
const M = F.margin;

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
}: ChartProps<LineSeries> & { xLabels: string[] }) {
  const { ticks, y } = countAxis(F, series);
  const x = linearScale([0, Math.max(1, xLabels.length - 1)], [M.left, F.width - M.right]);
  // First, middle and last dates keep the axis readable at any length.
  const shown = new Set([0, Math.floor((xLabels.length - 1) / 2), xLabels.length - 1]);
  return (
    <ChartFrame
      frame={F}
      label={label}
      legend={<Legend series={series} dashed={series.flatMap((s, i) => (s.dashed ? [i] : []))} />}
    >
      <YAxis ticks={ticks} y={y} frame={F} format={formatY} />
      {xLabels.map((l, i) =>
        shown.has(i) ? (
          <text
            key={i}
            x={x(i)}
            y={F.height - 8}
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
    </ChartFrame>
  );
}
