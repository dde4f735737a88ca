export interface SeriesStyle {
  label: string;
  /** A CSS class from styles.css: series-1, series-2 (colors with >= 3:1 contrast on white). */
  className: string;
}

export function Legend({ series, dashed }: { series: SeriesStyle[]; dashed?: number[] }) {
  return (
    <ul className="legend">
      {series.map((s, i) => (
        <li key={s.label}>
          <svg width="24" height="12" aria-hidden="true" focusable="false">
            {dashed?.includes(i) ? (
              <line x1="0" y1="6" x2="24" y2="6" className={`${s.className} stroke dashed`} />
            ) : (
              <rect x="0" y="1" width="24" height="10" className={`${s.className} fill`} />
            )}
          </svg>
          {s.label}
        </li>
      ))}
    </ul>
  );
}
