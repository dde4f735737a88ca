import { hostname } from "node:os";
import pg from "pg";
import { CamsweepError } from "../shared/errors.js";
import type { Db, Queryable } from "./db.js";

/**
 * The inventory on a PostgreSQL server (DATABASE_URL): the same Db as PGlite, over a pg.Pool.
 *
 * Every pooled connection starts with `-c TimeZone=UTC` (PGlite's only zone, so SQL that formats or truncates
 * times gives the same text on both) and the URL's own `options` (a search_path, say). Values come back as PGlite
 * returns them (see PGLITE_PARSERS), so the store reads one shape whatever the backend.
 */
export interface PostgresDb extends Db {
  /** the URL with its password masked: safe to print */
  readonly where: string;
  /** the schema tables are created in (the first existing one on the search_path), or null if none exists */
  schema(): Promise<string | null>;
}

export interface PostgresOptions {
  /** connections at most (default 4: a scan writes one host at a time, readers need few) */
  max?: number;
  /** how long to wait for a connection before failing, ms (default 10 s) */
  connectTimeoutMs?: number;
}

/** Opens a pool on url and checks that the server answers; errors name the server with its password masked. */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<PostgresDb> {
  const where = maskUrl(url);
  const pool = new pg.Pool({ ...clientConfig(url, opts.connectTimeoutMs), max: opts.max ?? 4 });
  // An idle pooled connection that the server drops emits 'error' on the pool; unheard, it would end the process.
  // The next query gets a fresh connection, or fails with its own error.
  pool.on("error", () => undefined);
  try {
    await pool.query("SELECT 1");
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw unreachable(where, url, e);
  }
  const wrap = (c: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <T>(sql: string, params?: unknown[]) => {
      const r = await c.query(sql, params);
      return { rows: r.rows as T[] };
    },
  });
  return {
    where,
    ...wrap(pool),
    // No parameters: pg sends the simple query protocol, which runs a whole script of statements.
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        try {
          const result = await fn(wrap(client));
          await client.query("COMMIT");
          return result;
        } catch (e) {
          // A failed ROLLBACK leaves the connection in an unknown state: it is destroyed, not returned.
          await client.query("ROLLBACK").catch((r: Error) => (broken = r));
          throw e;
        }
      } finally {
        client.release(broken);
      }
    },
    schema: async () =>
      (await pool.query<{ s: string | null }>("SELECT current_schema() AS s")).rows[0]?.s ?? null,
    close: () => pool.end(),
  };
}

/**
 * One session's connection, outside the pool, for what must outlive a query: a session advisory lock.
 * Named `camsweep <pid>@<host>` in pg_stat_activity, so a refused writer can say who holds the lock.
 */
export async function openSession(url: string): Promise<pg.Client> {
  const client = new pg.Client({
    ...clientConfig(url),
    application_name: `camsweep ${process.pid}@${hostname()}`.slice(0, 63),
  });
  client.on("error", () => undefined); // a dropped session fails its next query instead of the process
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    throw unreachable(maskUrl(url), url, e);
  }
  return client;
}

function clientConfig(url: string, connectTimeoutMs = 10_000): pg.ClientConfig {
  let connectionString = url;
  let own: string | null = null;
  try {
    const u = new URL(url);
    own = u.searchParams.get("options");
    // pg lets the URL's options replace the config's: take them out and pass both as one.
    if (own !== null) {
      u.searchParams.delete("options");
      connectionString = u.toString();
    }
  } catch {
    // Not a URL (a socket path form): pg parses it; it has no options of its own to keep.
  }
  return {
    connectionString,
    // No JIT: the inventory's queries are short or aggregate in one pass, and compiling them cost more than running
    // them (the overview's compliance query at 100,000 devices: 1.3 s of 1.75 s). The URL's own options come last.
    options: ["-c TimeZone=UTC", "-c jit=off", own].filter(Boolean).join(" "),
    connectionTimeoutMillis: connectTimeoutMs,
    types: { getTypeParser: getTypeParser as typeof pg.types.getTypeParser },
  };
}

/** url with any `search_path` the inventory should use, as libpq options (`?options=-c search_path=...`). */
export function withSearchPath(url: string, schema: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new CamsweepError(`not a plain schema name: ${schema}`);
  const u = new URL(url);
  const own = u.searchParams.get("options");
  u.searchParams.set("options", [own, `-c search_path=${schema}`].filter(Boolean).join(" "));
  return u.toString();
}

/** The URL as it may be printed: the password (userinfo, `password=`, `sslpassword=`) replaced by ***. */
export function maskUrl(url: string): string {
  if (url.startsWith("/")) return url; // pg's "socket-directory database" form: no password in it
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "(a DATABASE_URL that is not a URL)"; // it may hold a password anywhere: print none of it
  }
  const user = u.username ? `${decodeURIComponent(u.username)}${u.password ? ":***" : ""}@` : "";
  const query = [...u.searchParams].map(([k, v]) => `${k}=${/password/i.test(k) ? "***" : v}`).join("&");
  return `${u.protocol}//${user}${u.host}${u.pathname}${query ? `?${query}` : ""}`;
}

function unreachable(where: string, url: string, e: unknown): CamsweepError {
  return new CamsweepError(`cannot open the PostgreSQL inventory at ${where}: ${scrub(errorText(e), url)}`);
}

function errorText(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length) return e.errors.map(errorText).join("; ");
  return e instanceof Error ? e.message || (e as NodeJS.ErrnoException).code || e.name : String(e);
}

/** Drops the password from a driver's message, should one ever quote it. */
export function scrub(text: string, url: string): string {
  let password = "";
  try {
    const u = new URL(url);
    password = decodeURIComponent(u.password) || u.searchParams.get("password") || "";
  } catch {
    return text;
  }
  return password ? text.split(password).join("***") : text;
}

// --- Values as PGlite returns them ------------------------------------------------------------------------------

const OID = {
  INT8: 20,
  INT8_ARRAY: 1016,
  DATE: 1082,
  DATE_ARRAY: 1182,
  INTERVAL: 1186,
  INTERVAL_ARRAY: 1187,
};
const TEXT_ARRAY = 1009;

/** int8 (bigserial, count(*), sum of ints): a number when it is exact, a BigInt beyond 2^53 (PGlite's rule). */
export function parseInt8(s: string): number | bigint {
  const n = BigInt(s);
  return n < Number.MIN_SAFE_INTEGER || n > Number.MAX_SAFE_INTEGER ? n : Number(n);
}

/** date: midnight UTC, as PGlite's `new Date(text)`; pg would take midnight in the process's zone. */
function parseDate(s: string): Date | number {
  return s === "infinity" ? Infinity : s === "-infinity" ? -Infinity : new Date(s);
}

type Parser = (s: string) => unknown;
/** pg's own parser for any oid (its typings list only the built-in scalar ids). */
const builtinParser = (oid: number, format: "text" | "binary"): Parser =>
  (pg.types.getTypeParser as (oid: number, format: "text" | "binary") => Parser)(oid, format);
const mapArray = (parse: Parser): Parser => {
  const textArray = builtinParser(TEXT_ARRAY, "text");
  const map = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(map) : v === null ? null : parse(v as string);
  return (s) => map(textArray(s));
};

const PGLITE_PARSERS: Record<number, Parser> = {
  [OID.INT8]: parseInt8,
  [OID.INT8_ARRAY]: mapArray(parseInt8),
  [OID.DATE]: parseDate,
  [OID.DATE_ARRAY]: mapArray(parseDate),
  // PGlite leaves intervals as PostgreSQL's text ("1 day 02:00:00"); pg would build objects.
  [OID.INTERVAL]: (s) => s,
  [OID.INTERVAL_ARRAY]: mapArray((s) => s),
};

/** Per pool, not pg.types.setTypeParser: that is global, and would change any other pg user in the process. */
function getTypeParser(oid: number, format?: "text" | "binary"): Parser {
  if ((format ?? "text") === "text" && PGLITE_PARSERS[oid]) return PGLITE_PARSERS[oid];
  return builtinParser(oid, format ?? "text");
}
