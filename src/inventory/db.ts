/**
 * The few database calls the inventory needs, so PGlite (default) and PostgreSQL (later, via DATABASE_URL)
 * sit behind one interface and one schema.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface Db extends Queryable {
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
