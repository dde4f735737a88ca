import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { Db, Queryable } from "./db.js";
import { UsageError } from "../shared/errors.js";

/** PGlite's buffer pool: 32MB, or $CAMSWEEP_PGLITE_BUFFERS (e.g. 128MB for a big inventory on a big machine). */
function buffers(): string {
  const v = process.env["CAMSWEEP_PGLITE_BUFFERS"];
  if (!v) return "32MB";
  if (!/^[1-9][0-9]{0,5}(kB|MB|GB)$/.test(v))
    throw new UsageError(`CAMSWEEP_PGLITE_BUFFERS: "${v.slice(0, 20)}" is not a size such as 32MB or 1GB`);
  return v;
}

/** Embedded PostgreSQL (WASM) in <dataDir>/pgdata: no server needed. */
export async function openPglite(dataDir: string): Promise<Db> {
  mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create({
    dataDir: join(dataDir, "pgdata"),
    // PGlite's buffer pool lives in this process's memory: 128 MB by default, all of it touched by a big import.
    // A laptop tool keeps it smaller; the OS page cache under PGlite's files still caches the rest.
    // The option replaces PGlite's own settings, so the ones it set that differ from PostgreSQL's defaults are
    // given again (UTC, as the PostgreSQL backend's connections use; C messages; English text search).
    // Trigram indexes make a device search read the few devices that match (migrations/013_device_search.sql).
    extensions: { pg_trgm },
    postgresqlconf: [
      `shared_buffers = ${buffers()}`,
      "timezone = 'UTC'",
      "log_timezone = 'UTC'",
      "lc_messages = 'C'",
      "default_text_search_config = 'pg_catalog.english'",
    ],
  });
  const wrap = (q: Pick<PGlite, "query">): Queryable => ({
    query: async <T>(sql: string, params?: unknown[]) => {
      const r = await q.query<T>(sql, params);
      return { rows: r.rows };
    },
  });
  return {
    ...wrap(pg),
    exec: async (sql) => {
      await pg.exec(sql);
    },
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close: () => pg.close(),
  };
}
