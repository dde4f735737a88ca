import type pg from "pg";
import { CamsweepError } from "../shared/errors.js";

/** 'cswp': the class of a writer's session lock; the object is the schema's hash (migrate.ts uses another class). */
export const WRITER_LOCK = 0x63737770;

/**
 * One camsweep writer at a time per PostgreSQL database and schema, as lock.ts is per data directory: a session
 * advisory lock on `session`, held until that connection closes (or its process dies: the server then frees it).
 * Refuses at once, naming the holder (its application_name says `camsweep <pid>@<host>`), rather than waiting.
 */
export async function lockSchema(session: pg.Client, where: string): Promise<void> {
  const { rows } = await session.query<{ ok: boolean | null; schema: string | null }>(
    "SELECT pg_try_advisory_lock($1, hashtext(coalesce(current_schema(), ''))) AS ok, current_schema() AS schema",
    [WRITER_LOCK],
  );
  if (rows[0]?.ok) return;
  const schema = rows[0]?.schema ?? "(none)";
  throw new CamsweepError(
    `the inventory in ${where} (schema ${schema}) is in use by another camsweep process (${await holder(session)}); ` +
      "wait for it or use another database or schema",
  );
}

async function holder(session: pg.Client): Promise<string> {
  try {
    const { rows } = await session.query<{ app: string | null; pid: number }>(
      `SELECT a.application_name AS app, a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND l.classid = $1::int4::oid AND l.objid = hashtext(coalesce(current_schema(), ''))::oid
         LIMIT 1`,
      [WRITER_LOCK],
    );
    const r = rows[0];
    if (!r) return "it has just let go: try again";
    const m = /^camsweep (\d+)@(.*)$/.exec(r.app ?? "");
    return m ? `pid ${m[1]} on ${m[2]}` : `PostgreSQL backend pid ${r.pid}`;
  } catch {
    return "holder unknown"; // pg_stat_activity may be closed to this role
  }
}
