import { readdirSync, readFileSync } from "node:fs";
import { packagePath } from "../shared/paths.js";
import type { Db, Queryable } from "./db.js";

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** tables to vacuum once it is applied: `-- vacuum after: devices` lines (see migrate) */
  vacuum: string[];
}

/** migrations/NNN_name.sql, in version order. */
export function loadMigrations(dir = packagePath("migrations")): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(`${dir}/${f}`, "utf8");
      const vacuum = [...sql.matchAll(/^-- vacuum after: ([a-z_]+)$/gm)].map((m) => m[1]!);
      return { version: Number(f.slice(0, 3)), name: f, sql, vacuum };
    });
}

/**
 * Applies each pending migration in its own transaction; returns the names applied.
 *
 * Two processes may migrate one PostgreSQL schema at once (two first runs, a reader beside a writer): each
 * transaction first takes a transaction advisory lock for the schema, then looks again at what is applied, so a
 * migration runs once and the other process finds it done. On PGlite (one connection) the lock is always free.
 */
export async function migrate(db: Db, migrations = loadMigrations()): Promise<string[]> {
  await db.transaction(async (tx) => {
    await lockSchema(tx);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  });
  const done = async (q: Queryable) =>
    new Set(
      (await q.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map(
        (r) => r.version,
      ),
    );
  const seen = await done(db);
  const applied: string[] = [];
  for (const m of migrations.filter((x) => !seen.has(x.version))) {
    const ran = await db.transaction(async (tx) => {
      await lockSchema(tx);
      if ((await done(tx)).has(m.version)) return false; // another process applied it meanwhile
      // PGlite's and pg's extended protocol take one statement per query: split on statement ends.
      for (const stmt of splitStatements(m.sql)) await tx.query(stmt);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
      return true;
    });
    if (ran) applied.push(m.name);
  }
  // A migration that rewrites a table (a stored column added) leaves it without a visibility map, and nothing
  // counts a rewrite as changes for autovacuum: index-only reads would visit every row until enough later writes.
  // VACUUM cannot run inside the migration's transaction, so it runs here, once, after the commit.
  const rewritten = new Set(migrations.filter((m) => applied.includes(m.name)).flatMap((m) => m.vacuum));
  for (const table of rewritten) await db.query(`VACUUM (ANALYZE) ${table}`);
  return applied;
}

/** Held until the transaction ends; keyed by schema, so test schemas on one server do not wait for each other. */
async function lockSchema(tx: Queryable): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '')))", [
    MIGRATE_LOCK,
  ]);
}
/** 'cswm': the migration lock's class; the session lock of a writer uses another (index.ts). */
const MIGRATE_LOCK = 0x6373776d;

const DOLLAR = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y;

/**
 * Splits a script into statements on the semicolons that end them: not inside quotes ('...', "..."),
 * dollar quotes ($$...$$, $body$...$body$: function bodies) or comments, which are dropped. E'...' strings
 * with backslash-escaped quotes are not understood: write '' instead.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let cur = "";
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (sql.startsWith("--", i)) {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? sql.length : end; // the newline stays: it separates what is either side
      continue;
    }
    if (sql.startsWith("/*", i)) {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 2;
      cur += " ";
      continue;
    }
    DOLLAR.lastIndex = i;
    const dollar = c === "$" ? DOLLAR.exec(sql) : null;
    const close = c === "'" || c === '"' ? c : dollar ? dollar[0] : null;
    if (close) {
      const end = sql.indexOf(close, i + close.length);
      const stop = end < 0 ? sql.length : end + close.length;
      cur += sql.slice(i, stop);
      i = stop; // '' inside a string reads as two strings back to back: the same text
      continue;
    }
    if (c === ";") {
      out.push(cur);
      cur = "";
    } else cur += c;
    i++;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}
