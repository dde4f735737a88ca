import { readdirSync, readFileSync } from "node:fs";
import { packagePath } from "../shared/paths.js";
import type { Db } from "./db.js";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** migrations/NNN_name.sql, in version order. */
export function loadMigrations(dir = packagePath("migrations")): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(`${dir}/${f}`, "utf8") }));
}

/** Applies each pending migration in its own transaction; returns the names applied. */
export async function migrate(db: Db, migrations = loadMigrations()): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  const done = new Set(
    (await db.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map((r) => r.version),
  );
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    await db.transaction(async (tx) => {
      // PGlite's and pg's extended protocol take one statement per query: split on statement ends.
      for (const stmt of splitStatements(m.sql)) await tx.query(stmt);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
    });
    applied.push(m.name);
  }
  return applied;
}

/** Splits plain DDL on semicolons at line ends, dropping `--` comments. No functions/quoted semicolons in our schema. */
export function splitStatements(sql: string): string[] {
  return sql
    .split("\n")
    .map((l) => l.replace(/--.*$/, ""))
    .join("\n")
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}
