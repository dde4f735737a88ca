import { z } from "zod";
import type { Queryable } from "./db.js";

/**
 * The export format (`camsweep export`, `camsweep restore`): JSON Lines.
 *
 *   line 1      {"format":"camsweep-export","version":1,"schema":[1,2,...],"exportedAt":ISO,"auditHead":{seq,hash}|null,
 *                "tables":{"organizations":[["id","text"],...],...}}
 *   then        {"table":"organizations","row":{...}}   one line per row, the tables in EXPORT_TABLES order
 *   last line   {"end":{"rows":{"organizations":N,...}}}   (a file without it was cut short)
 *
 * A row holds every column: text, numbers, booleans and JSON as themselves, BIGINT as a number, timestamps as UTC
 * ISO text with microseconds (2026-11-22T18:01:55.443021Z), bytes (evidence files) as base64. Rows and JSON values are canonical JSON (sorted keys),
 * rows in a fixed order per table (text keys in byte order), so two exports of one inventory differ only in
 * exportedAt. A JSON null in a nullable JSON column comes back as SQL NULL.
 */
export const EXPORT_FORMAT = "camsweep-export";
export const EXPORT_VERSION = 1;

export interface TableSpec {
  name: string;
  /** the columns rows are exported in order of: a unique key (text compared byte by byte) */
  key: string[];
}

/** Every table, parents before children (foreign keys hold as rows are restored in this order). */
export const EXPORT_TABLES: readonly TableSpec[] = [
  { name: "organizations", key: ["id"] }, // parents before children inside the table too (export.ts)
  { name: "sites", key: ["id"] },
  { name: "segments", key: ["site_id", "cidr"] },
  { name: "scans", key: ["id"] },
  { name: "devices", key: ["id"] },
  { name: "observations", key: ["id"] },
  { name: "device_history", key: ["id"] },
  { name: "device_conflicts", key: ["id"] },
  { name: "scan_hosts", key: ["scan_id", "address"] },
  { name: "assessments", key: ["id"] },
  { name: "device_assessments", key: ["device_id"] },
  { name: "remediation", key: ["device_id"] },
  { name: "remediation_steps", key: ["id"] },
  { name: "sanitizations", key: ["id"] },
  { name: "evidence", key: ["sha256"] },
  { name: "exceptions", key: ["id"] },
  { name: "evidence_links", key: ["id"] },
  { name: "plans", key: ["id"] },
  { name: "procurement_lists", key: ["id"] },
  { name: "users", key: ["id"] },
  { name: "api_tokens", key: ["id"] },
  { name: "sessions", key: ["secret_sha256"] },
  { name: "audit_log", key: ["seq"] },
];

/** Tables that are the database's bookkeeping, not the inventory: not exported. */
// device_idents is derived from the devices (a trigger fills it as they are written, on restore too).
const NOT_EXPORTED = new Set(["schema_migrations", "device_idents"]);

export type ColumnKind = "text" | "int" | "bigint" | "real" | "bool" | "json" | "timestamptz" | "bytes";

export interface Column {
  name: string;
  /** the SQL type as information_schema names it (used as the cast on restore) */
  type: string;
  kind: ColumnKind;
  nullable: boolean;
}

const KINDS: Record<string, ColumnKind> = {
  text: "text",
  "character varying": "text",
  integer: "int",
  smallint: "int",
  bigint: "bigint",
  real: "real",
  "double precision": "real",
  boolean: "bool",
  jsonb: "json",
  json: "json",
  "timestamp with time zone": "timestamptz",
  bytea: "bytes",
};

/**
 * The exported tables' columns as this database has them, in column order. Refuses a table the format does not
 * list or a column type it cannot carry exactly: an export must not silently leave data out.
 */
export async function tableColumns(q: Queryable): Promise<Map<string, Column[]>> {
  const { rows } = await q.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
  }>(
    `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const known = new Set(EXPORT_TABLES.map((t) => t.name));
  const out = new Map<string, Column[]>();
  for (const r of rows) {
    if (NOT_EXPORTED.has(r.table_name)) continue;
    if (!known.has(r.table_name))
      throw new Error(`table ${r.table_name} is not in the export format (src/inventory/export-format.ts)`);
    const kind = KINDS[r.data_type];
    if (!kind)
      throw new Error(
        `column ${r.table_name}.${r.column_name} has type ${r.data_type}, which the export cannot carry`,
      );
    const cols = out.get(r.table_name) ?? [];
    cols.push({ name: r.column_name, type: r.data_type, kind, nullable: r.is_nullable === "YES" });
    out.set(r.table_name, cols);
  }
  for (const t of EXPORT_TABLES)
    if (!out.has(t.name)) throw new Error(`the inventory has no table ${t.name}: is it migrated?`);
  return out;
}

/** The migration versions applied, in order: the export's schema version. */
export async function schemaVersions(q: Queryable): Promise<number[]> {
  const { rows } = await q.query<{ version: number }>(
    "SELECT version FROM schema_migrations ORDER BY version",
  );
  return rows.map((r) => Number(r.version));
}

const ISO_MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const head = z.object({ seq: z.number().int().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/) });

export const headerSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  schema: z.array(z.number().int()),
  exportedAt: z.string(),
  auditHead: head.nullable(),
  tables: z.record(z.string(), z.array(z.tuple([z.string(), z.string()]))),
});
export type ExportHeader = z.infer<typeof headerSchema>;

export const rowLineSchema = z.strictObject({ table: z.string(), row: z.record(z.string(), z.unknown()) });
export const endLineSchema = z.strictObject({
  end: z.strictObject({ rows: z.record(z.string(), z.number().int().min(0)) }),
});

/** A row's columns: every one present, each of its kind, nothing else. */
export function rowSchema(cols: Column[]): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const c of cols) {
    const base = valueSchema(c.kind);
    // A NOT NULL JSON column may hold JSON null itself; elsewhere null is SQL NULL, allowed where the column is.
    shape[c.name] = c.nullable || c.kind === "json" ? base.nullable() : base;
  }
  return z.strictObject(shape);
}

function valueSchema(kind: ColumnKind): z.ZodType {
  switch (kind) {
    case "text":
      return z.string();
    case "int":
      return z.number().int().min(-2147483648).max(2147483647);
    case "bigint":
      return z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
    case "real":
      return z.number();
    case "bool":
      return z.boolean();
    case "json":
      return z.json();
    case "timestamptz":
      return z.string().regex(ISO_MICROS, "expected UTC ISO time with microseconds");
    case "bytes":
      return z.base64();
  }
}
