import { auditHead } from "./audit.js";
import { canonicalJson } from "./canonical-json.js";
import type { Db, Queryable } from "./db.js";
import {
  type Column,
  EXPORT_FORMAT,
  EXPORT_TABLES,
  EXPORT_VERSION,
  type ExportHeader,
  schemaVersions,
  tableColumns,
  type TableSpec,
} from "./export-format.js";

const PAGE = 1000;
const AT_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

export interface ExportResult {
  header: ExportHeader;
  rows: Record<string, number>;
}

/**
 * Writes the whole inventory as JSON Lines (export-format.ts) through `write`, a page of rows at a time: memory
 * stays bounded whatever the inventory's size. One read-only repeatable-read transaction, so the file is one
 * consistent snapshot even while a scan writes. `write` is awaited (backpressure).
 */
export async function exportInventory(
  db: Db,
  write: (chunk: string) => Promise<void>,
): Promise<ExportResult> {
  return db.transaction(async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const columns = await tableColumns(tx);
    const header: ExportHeader = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      schema: await schemaVersions(tx),
      exportedAt: new Date().toISOString(),
      auditHead: await auditHead(tx),
      tables: Object.fromEntries(
        EXPORT_TABLES.map((t) => [
          t.name,
          columns.get(t.name)!.map((c) => [c.name, c.type] as [string, string]),
        ]),
      ),
    };
    await write(`${JSON.stringify(header)}\n`);
    const rows: Record<string, number> = {};
    for (const t of EXPORT_TABLES) {
      const cols = columns.get(t.name)!;
      let n = 0;
      for await (const page of pages(tx, t, cols)) {
        await write(
          page.map((r) => `{"table":${JSON.stringify(t.name)},"row":${canonicalJson(r)}}\n`).join(""),
        );
        n += page.length;
      }
      const { rows: count } = await tx.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${t.name}`);
      if (Number(count[0]?.n) !== n)
        // Only organizations can miss rows: ones in a parent cycle are never reached from a root.
        throw new Error(
          `${t.name}: ${Number(count[0]?.n) - n} rows could not be exported in dependency order`,
        );
      rows[t.name] = n;
    }
    await write(`${JSON.stringify({ end: { rows } })}\n`);
    return { header, rows };
  });
}

/** SELECT list: timestamps as fixed ISO text and BIGINT as text, so every backend gives the same values. */
function selectList(cols: Column[]): string {
  return cols
    .map((c) =>
      c.kind === "timestamptz"
        ? `to_char(${c.name} AT TIME ZONE 'UTC', ${AT_FORMAT}) AS ${c.name}`
        : c.kind === "bigint"
          ? `${c.name}::text AS ${c.name}`
          : c.kind === "bytes"
            ? `translate(encode(${c.name}, 'base64'), E'\n', '') AS ${c.name}`
            : c.name,
    )
    .join(", ");
}

/**
 * A key column for ordering: text in byte order (COLLATE "C"), whatever the database's collation; qualified, since
 * the select list's aliases (BIGINT as text) would otherwise be what ORDER BY sorts.
 */
const keyExpr = (cols: Column[], name: string): string =>
  cols.find((c) => c.name === name)?.kind === "text" ? `src.${name} COLLATE "C"` : `src.${name}`;

/**
 * The table's rows in key order, a page at a time, through a cursor in the export's transaction: the database
 * orders the table once (spilling to disk if it must), however many pages follow.
 */
async function* pages(q: Queryable, t: TableSpec, cols: Column[]): AsyncGenerator<Record<string, unknown>[]> {
  // Organizations: each after its parent, by depth from the roots, then by id.
  const tree = t.name === "organizations";
  const from = tree
    ? `(WITH RECURSIVE tree AS (
          SELECT o.*, 0 AS depth FROM organizations o WHERE o.parent_id IS NULL
          UNION ALL SELECT o.*, tree.depth + 1 FROM organizations o JOIN tree ON o.parent_id = tree.id)
        SELECT * FROM tree) AS src`
    : `${t.name} AS src`;
  const order = [...(tree ? ["src.depth"] : []), ...t.key.map((k) => keyExpr(cols, k))].join(", ");
  const cursor = `export_${t.name}`;
  await q.query(
    `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${selectList(cols)} FROM ${from} ORDER BY ${order}`,
  );
  for (;;) {
    const { rows } = await q.query<Record<string, unknown>>(`FETCH ${PAGE} FROM ${cursor}`);
    if (rows.length) yield rows.map((r) => toExported(r, cols));
    if (rows.length < PAGE) break;
  }
  await q.query(`CLOSE ${cursor}`);
}

/** The row as the file carries it: only its columns, BIGINT back to a number. */
function toExported(r: Record<string, unknown>, cols: Column[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of cols) {
    const v = r[c.name];
    if (c.kind === "bigint" && v !== null && v !== undefined) {
      const n = Number(v);
      if (!Number.isSafeInteger(n))
        throw new Error(`${c.name} = ${String(v)} is beyond what JSON carries exactly`);
      out[c.name] = n;
    } else out[c.name] = v ?? null;
  }
  return out;
}
