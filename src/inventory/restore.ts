import type { z } from "zod";
import { CamsweepError, InputError } from "../shared/errors.js";
import { formatHead, verifyAudit } from "./audit.js";
import type { Db, Queryable } from "./db.js";
import {
  type Column,
  EXPORT_TABLES,
  endLineSchema,
  type ExportHeader,
  headerSchema,
  rowLineSchema,
  rowSchema,
  schemaVersions,
  tableColumns,
} from "./export-format.js";

export interface RestoreResult {
  header: ExportHeader;
  rows: Record<string, number>;
}

interface Pending {
  no: number;
  row: Record<string, unknown>;
}

/**
 * Loads an export (export-format.ts) into an EMPTY inventory, in one transaction: any bad line, refused row or
 * broken audit chain leaves the inventory as empty as it was. Every line is validated and a bad one is named by
 * its number. Afterwards the sequences behind BIGSERIAL ids continue past the restored ids, and the audit chain
 * must verify and end at the head the header names.
 */
export async function restoreInventory(
  db: Db,
  lines: AsyncIterable<{ no: number; line: string }>,
  file = "export",
): Promise<RestoreResult> {
  const bad = (no: number, msg: string) => new InputError(msg, file, no);
  return db.transaction(async (tx) => {
    await refuseUnlessEmpty(tx);
    const columns = await tableColumns(tx);
    const versions = await schemaVersions(tx);
    const order = new Map(EXPORT_TABLES.map((t, i) => [t.name, i]));
    const schemas = new Map([...columns].map(([t, cols]) => [t, rowSchema(cols)]));

    let header: ExportHeader | null = null;
    let ended = false;
    let table: string | null = null;
    let batch: Pending[] = [];
    const counts: Record<string, number> = Object.fromEntries(EXPORT_TABLES.map((t) => [t.name, 0]));
    const flush = async () => {
      if (table && batch.length) await insertBatch(tx, table, columns.get(table)!, batch, bad);
      batch = [];
    };

    for await (const { no, line } of lines) {
      if (!line.trim()) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        throw bad(no, `not JSON: ${(e as Error).message}`);
      }
      if (!header) {
        header = parse(headerSchema, value, (m) => bad(no, `not a camsweep export header: ${m}`));
        checkHeader(header, versions, columns, (m) => bad(no, m));
        continue;
      }
      if (ended) throw bad(no, "a line after the end line");
      if (value && typeof value === "object" && "end" in value) {
        await flush();
        const end = parse(endLineSchema, value, (m) => bad(no, `bad end line: ${m}`));
        for (const t of EXPORT_TABLES) {
          const said = end.end.rows[t.name] ?? 0;
          if (said !== counts[t.name])
            throw bad(no, `the end line counts ${said} rows of ${t.name}, the file holds ${counts[t.name]}`);
        }
        ended = true;
        continue;
      }
      const r = parse(rowLineSchema, value, (m) => bad(no, m));
      const at = order.get(r.table);
      if (at === undefined) throw bad(no, `unknown table "${r.table.slice(0, 60)}"`);
      if (table !== r.table) {
        if (table !== null && at < order.get(table)!)
          throw bad(no, `a row of ${r.table} after rows of ${table}: tables must come in the export's order`);
        if (table !== null && counts[r.table]! > 0)
          throw bad(no, `rows of ${r.table} again after rows of ${table}: each table's rows come together`);
        await flush();
        table = r.table;
      }
      const row = parse(schemas.get(r.table)!, r.row, (m) => bad(no, `${r.table}: ${m}`));
      batch.push({ no, row });
      counts[r.table]!++;
      if (batch.length >= batchRows(columns.get(r.table)!)) await flush();
    }
    if (!header) throw bad(1, "empty file: no export header");
    if (!ended) throw new InputError("the file ends without its end line: it was cut short", file);

    await advanceSequences(tx);
    const audit = await verifyAudit(tx);
    if (!audit.ok)
      throw new InputError(`the export's audit log does not verify: ${audit.break!.message}`, file);
    if (formatHead(audit.head) !== formatHead(header.auditHead))
      throw new InputError(
        `the export's audit log ends at ${formatHead(audit.head)} but its header names ${formatHead(header.auditHead)}: the file was altered`,
        file,
      );
    return { header, rows: counts };
  });
}

function parse<T>(schema: z.ZodType<T>, v: unknown, fail: (m: string) => Error): T {
  const r = schema.safeParse(v);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.map(String).join(".");
  throw fail(`${path ? `${path}: ` : ""}${issue.message}`);
}

function checkHeader(
  h: ExportHeader,
  versions: number[],
  columns: Map<string, Column[]>,
  fail: (m: string) => Error,
): void {
  if (h.schema.join(",") !== versions.join(","))
    throw fail(
      `the export is of schema [${h.schema.join(",")}], this inventory's is [${versions.join(",")}]: ` +
        "restore it with the camsweep version that wrote it",
    );
  for (const t of EXPORT_TABLES) {
    const here = columns.get(t.name)!.map((c) => `${c.name} ${c.type}`);
    const there = (h.tables[t.name] ?? []).map(([n, ty]) => `${n} ${ty}`);
    if (here.join(",") !== there.join(","))
      throw fail(
        `the export's columns of ${t.name} (${there.join(", ")}) are not this inventory's (${here.join(", ")})`,
      );
  }
}

async function refuseUnlessEmpty(q: Queryable): Promise<void> {
  const held: string[] = [];
  for (const t of EXPORT_TABLES) {
    const { rows } = await q.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${t.name}`);
    const n = Number(rows[0]?.n ?? 0);
    if (n > 0) held.push(`${n} ${t.name}`);
  }
  if (held.length)
    throw new CamsweepError(
      `restore needs an empty inventory, and this one holds ${held.join(", ")}: restore into a new --data-dir or an empty database`,
      2,
    );
}

/** Rows per INSERT: few statements, and well under PostgreSQL's 65,535 parameters. */
const batchRows = (cols: Column[]) => Math.max(1, Math.min(500, Math.floor(20000 / cols.length)));

/**
 * One multi-row INSERT under a savepoint. If the database refuses it (a foreign key, a duplicate key), the rows
 * are tried one at a time to name the line refused.
 */
async function insertBatch(
  q: Queryable,
  table: string,
  cols: Column[],
  batch: Pending[],
  bad: (no: number, msg: string) => Error,
): Promise<void> {
  const insert = (rows: Pending[]) => {
    const params: unknown[] = [];
    const tuples = rows.map(({ row }) => {
      const slots = cols.map((c) => {
        params.push(toParam(c, row[c.name]));
        return c.kind === "bytes" ? `decode($${params.length}, 'base64')` : `$${params.length}::${c.type}`;
      });
      return `(${slots.join(", ")})`;
    });
    return q.query(
      `INSERT INTO ${table} (${cols.map((c) => c.name).join(", ")}) VALUES ${tuples.join(", ")}`,
      params,
    );
  };
  await q.query("SAVEPOINT restore_batch");
  try {
    await insert(batch);
  } catch (e) {
    await q.query("ROLLBACK TO SAVEPOINT restore_batch");
    for (const p of batch) {
      try {
        await q.query("SAVEPOINT restore_row");
        await insert([p]);
        await q.query("RELEASE SAVEPOINT restore_row");
      } catch (rowError) {
        throw bad(p.no, `${table}: the database refused the row: ${(rowError as Error).message}`);
      }
    }
    throw e; // refused together, accepted one by one: not a row's fault
  }
  await q.query("RELEASE SAVEPOINT restore_batch");
}

function toParam(c: Column, v: unknown): unknown {
  if (c.kind === "json") return v === null && c.nullable ? null : JSON.stringify(v);
  if (v === null || v === undefined) return null;
  if (c.kind === "bigint") return String(v);
  return v;
}

/** Each BIGSERIAL's sequence set so its next id is past the largest restored one. */
async function advanceSequences(q: Queryable): Promise<void> {
  const { rows } = await q.query<{ table_name: string; column_name: string; seq: string | null }>(
    `SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq
       FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
  );
  for (const r of rows) {
    if (!r.seq) continue;
    await q.query(
      `SELECT setval($1::regclass, COALESCE((SELECT max(${r.column_name}) FROM ${r.table_name}), 0) + 1, false)`,
      [r.seq],
    );
  }
}
