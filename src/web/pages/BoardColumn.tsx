import { Link } from "../components/Link";
import { useI18n } from "../i18n/context";
import type { Board } from "../../shared/wire/workflow";
import { clip } from "../workflow";

export function BoardColumn({
  column,
  selectable,
  selected,
  onToggle,
}: {
  column: Board["columns"][number];
  selectable: boolean;
  selected: ReadonlySet<string>;
  onToggle: (id: string, on: boolean) => void;
}) {
  const { t, tn } = useI18n();
  const headingId = `col-${column.state}`;
  return (
    <section className="column" aria-labelledby={headingId} data-testid={`board-column-${column.state}`}>
      <h2 id={headingId}>
        {t(`state.${column.state}`)} <span className="count">{tn("board.count", column.count)}</span>
      </h2>
      {column.devices.length === 0 ? (
        <p className="muted">{t("board.empty")}</p>
      ) : (
        <ul>
          {column.devices.map((d) => {
            const name = clip([d.address, d.manufacturer, d.model].filter(Boolean).join(" "), 120) || d.id;
            const inputId = `sel-${d.id}`;
            return (
              <li key={d.id} data-testid="board-device">
                {selectable && (
                  <input
                    type="checkbox"
                    id={inputId}
                    checked={selected.has(d.id)}
                    onChange={(e) => onToggle(d.id, e.target.checked)}
                    aria-label={t("board.select", { name })}
                  />
                )}
                <Link to={`/devices/${encodeURIComponent(d.id)}`}>{d.address ?? d.id}</Link>
                <span className="sub">{clip([d.manufacturer, d.model].filter(Boolean).join(" "), 100)}</span>
                {d.siteName && <span className="sub">{clip(d.siteName, 100)}</span>}
              </li>
            );
          })}
        </ul>
      )}
      {column.count > column.devices.length && (
        <p className="muted">{t("board.showing", { shown: column.devices.length, count: column.count })}</p>
      )}
    </section>
  );
}
