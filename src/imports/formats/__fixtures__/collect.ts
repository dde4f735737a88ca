import { fileURLToPath } from "node:url";
import type { ImportError, ImportFormat, ImportRecord } from "../../record.js";

/** Path of a fixture in this folder. */
export const fixture = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

/** Everything a format yields for a file, split into records and errors (file order kept in `items`). */
export async function collect(
  f: ImportFormat,
  file: string,
  opts?: Parameters<ImportFormat["read"]>[1],
): Promise<{ records: ImportRecord[]; errors: ImportError[]; order: number[] }> {
  const records: ImportRecord[] = [];
  const errors: ImportError[] = [];
  const order: number[] = [];
  for await (const it of f.read(file, opts)) {
    if ("record" in it) {
      records.push(it.record);
      order.push(it.record.line);
    } else {
      errors.push(it.error);
      order.push(it.error.line);
    }
  }
  return { records, errors, order };
}
