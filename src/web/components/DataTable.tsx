import type { ReactNode } from "react";
import { useI18n } from "../i18n/context";
import type { MessageKey } from "../i18n/en";
import { ScrollBox } from "./ScrollBox";

/** A column heading's message, alone or with a class (num: right-aligned figures). */
export type Column = MessageKey | { key: MessageKey; className: string };

export function TableHead({ columns }: { columns: readonly Column[] }) {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        {columns.map((c, i) =>
          typeof c === "string" ? (
            <th key={i} scope="col">
              {t(c)}
            </th>
          ) : (
            <th key={i} scope="col" className={c.className}>
              {t(c.key)}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}

export interface DataTableProps {
  /** The scroller's name. */
  label: string;
  columns: readonly Column[];
  testid?: string;
  /** For screen readers only. */
  caption?: string;
  /** A line above the table, in the scroller. */
  note?: ReactNode;
  /** The body rows. */
  children: ReactNode;
}

/** A table in its keyboard-reachable scroller. */
export function DataTable({ label, columns, testid, caption, note, children }: DataTableProps) {
  return (
    <ScrollBox label={label}>
      {note}
      <table data-testid={testid}>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <TableHead columns={columns} />
        <tbody>{children}</tbody>
      </table>
    </ScrollBox>
  );
}
