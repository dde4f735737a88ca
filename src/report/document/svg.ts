import type { Chart, Shape } from "./charts.js";
import { escapeHtml } from "./safe-text.js";

/** A chart's shapes as inline SVG for the HTML report; every text and attribute value goes through escapeHtml. */
export function chartSvg(chart: Chart, label: string): string {
  const body = chart.shapes.map(shapeSvg).join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n(chart.width)} ${n(chart.height)}" ` +
    `width="${n(chart.width)}" height="${n(chart.height)}" role="img" aria-label="${escapeHtml(label)}" ` +
    `font-family="Helvetica, Arial, sans-serif"><title>${escapeHtml(label)}</title>${body}</svg>`
  );
}

/** Coordinates rounded to 0.01 keep the markup short and the output stable. */
function n(v: number): string {
  return String(Math.round(v * 100) / 100);
}

function dash(d: number | undefined): string {
  return d === undefined ? "" : ` stroke-dasharray="${n(d)} ${n(d)}"`;
}

function shapeSvg(s: Shape): string {
  switch (s.kind) {
    case "rect":
      return `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" fill="${escapeHtml(s.fill)}"/>`;
    case "line":
      return (
        `<line x1="${n(s.x1)}" y1="${n(s.y1)}" x2="${n(s.x2)}" y2="${n(s.y2)}" stroke="${escapeHtml(s.stroke)}" ` +
        `stroke-width="${n(s.width)}"${dash(s.dash)}/>`
      );
    case "polyline":
      return (
        `<polyline points="${s.points.map(([x, y]) => `${n(x)},${n(y)}`).join(" ")}" fill="none" ` +
        `stroke="${escapeHtml(s.stroke)}" stroke-width="${n(s.width)}" stroke-linejoin="round"${dash(s.dash)}/>`
      );
    case "text":
      return (
        `<text x="${n(s.x)}" y="${n(s.y)}" font-size="${n(s.size)}" text-anchor="${s.anchor}" ` +
        `fill="${escapeHtml(s.fill)}"${s.bold ? ' font-weight="bold"' : ""}>${escapeHtml(s.text)}</text>`
      );
  }
}
