import type { ReactNode } from "react";

/** The SVG's size and the margins the axes' labels sit in. */
export interface Frame {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

/** What every chart takes: its name for assistive tech, its series and how to write a count. */
export interface ChartProps<S> {
  label: string;
  series: S[];
  formatY: (n: number) => string;
}

/** Every chart's size (it scales to its box); only the margins differ, with what the x axis shows. */
export const frame = (margin: Frame["margin"]): Frame => ({ width: 640, height: 260, margin });

/** The chart's box: the SVG, one image named `label` to assistive tech, then its legend. */
export function ChartFrame({
  frame: f,
  label,
  legend,
  children,
}: {
  frame: Frame;
  label: string;
  legend: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="chart">
      <svg viewBox={`0 0 ${f.width} ${f.height}`} role="img" aria-label={label} focusable="false">
        {children}
      </svg>
      {legend}
    </div>
  );
}
