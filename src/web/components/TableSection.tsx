import { DataTable, type DataTableProps } from "./DataTable";
import { Empty } from "./Status";

/** A section headed by `title` (its h2 has `id`) holding a table named the same, or a line saying it is empty. */
export function TableSection({
  id,
  title,
  empty,
  emptyText,
  ...table
}: Omit<DataTableProps, "label"> & { id: string; title: string; empty: boolean; emptyText?: string }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {empty ? <Empty text={emptyText} /> : <DataTable label={title} {...table} />}
    </section>
  );
}
