/**
 * The inventory's backends, for tests that must pass on both: embedded PGlite and a PostgreSQL server.
 *
 * Each `open()` gives a FRESH, empty, migrated inventory of its own: PGlite in a new temp directory, PostgreSQL in a
 * new schema (csw_test_<random>, reached through the URL's `options=-c search_path=...`) of the server at
 * CAMSWEEP_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test). `close(inv)` closes it and removes
 * the directory or drops the schema, so test files running in parallel never see each other's rows.
 *
 * PostgreSQL unreachable: under CI (process.env.CI) importing this file throws (the issue asks for the store suite on
 * both backends in CI); elsewhere the PostgreSQL half is skipped and says why.
 *
 * Use either the loop:
 *
 *   for (const b of backends())
 *     describe(`store (${b.name})`, () => {
 *       let inv: OpenInventory;
 *       beforeAll(async () => (inv = await b.open()));
 *       afterAll(() => b.close(inv));
 *       it("...", async () => { await inv.store.listDevices(); });
 *     });
 *
 * or the same in one call, which also lists a skipped backend in the report with its reason:
 *
 *   describeBackends("store", (inv, b) => {
 *     it("...", async () => { await inv().store.listDevices(); });
 *   });
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { openInventory, type InventoryOptions, type OpenInventory } from "../index.js";
import { maskUrl, withSearchPath } from "../postgres.js";

export const TEST_DATABASE_URL =
  process.env["CAMSWEEP_TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

export interface Backend {
  name: "pglite" | "postgres";
  /** a fresh, empty, migrated inventory (opts: readOnly; databaseUrl is the harness's) */
  open(opts?: Omit<InventoryOptions, "databaseUrl">): Promise<OpenInventory>;
  /** closes inv and removes what its open() created; nothing if inv is undefined (a failed open) */
  close(inv: OpenInventory | undefined): Promise<void>;
}

/** Why the PostgreSQL half does not run here, or null when it does. Asked once per test file. */
export const postgresSkipped: string | null = await probe(TEST_DATABASE_URL);
if (postgresSkipped && process.env["CI"])
  throw new Error(`the store suite must run on PostgreSQL in CI, but ${postgresSkipped}`);

async function probe(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (e) {
    const why = e instanceof AggregateError ? e.errors.map(String).join("; ") : String(e);
    return `PostgreSQL at ${maskUrl(url)} is unreachable (${why}); set CAMSWEEP_TEST_DATABASE_URL`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** What each open inventory leaves to clean up. */
const cleanups = new WeakMap<OpenInventory, () => Promise<void>>();

const pglite: Backend = {
  name: "pglite",
  open: async (opts = {}) => {
    const dir = mkdtempSync(join(tmpdir(), "camsweep-backend-"));
    try {
      const inv = await openInventory(join(dir, "inv"), { ...opts, databaseUrl: null });
      cleanups.set(inv, async () => rmSync(dir, { recursive: true, force: true }));
      return inv;
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  },
  close: (inv) => closeAndClean(inv),
};

const postgres: Backend = {
  name: "postgres",
  open: async (opts = {}) => {
    const schema = await freshSchema();
    try {
      const inv = await openInventory("", { ...opts, databaseUrl: schema.url });
      cleanups.set(inv, schema.drop);
      return inv;
    } catch (e) {
      await schema.drop();
      throw e;
    }
  },
  close: (inv) => closeAndClean(inv),
};

async function closeAndClean(inv: OpenInventory | undefined): Promise<void> {
  if (!inv) return;
  try {
    await inv.close();
  } finally {
    await cleanups.get(inv)?.();
    cleanups.delete(inv);
  }
}

/**
 * A new empty schema on the test server and the URL that puts the inventory in it (for tests that run the CLI
 * with DATABASE_URL); drop() removes it with everything in it.
 */
export async function freshSchema(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `csw_test_${randomBytes(6).toString("hex")}`;
  await admin(`CREATE SCHEMA ${name}`);
  return {
    name,
    url: withSearchPath(TEST_DATABASE_URL, name),
    drop: () => admin(`DROP SCHEMA IF EXISTS ${name} CASCADE`),
  };
}

/** One statement on its own short connection (schemas are made and dropped outside any inventory's pool). */
async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

let warned = false;
/** The backends available here: PGlite always, PostgreSQL when reachable (a skip is printed once per file). */
export function backends(): Backend[] {
  if (postgresSkipped && !warned) {
    warned = true;
    console.warn(`[inventory backends] skipping the PostgreSQL half: ${postgresSkipped}`);
  }
  return postgresSkipped ? [pglite] : [pglite, postgres];
}

/**
 * describe(`${title} (${backend})`) once per backend, with a fresh inventory opened before its tests and cleaned
 * up after them; an unavailable backend shows as a skipped suite naming the reason.
 */
export function describeBackends(
  title: string,
  body: (inv: () => OpenInventory, backend: Backend) => void,
): void {
  for (const b of [pglite, postgres]) {
    if (b === postgres && postgresSkipped) {
      describe.skip(`${title} (postgres: ${postgresSkipped})`, () => body(() => unopened(), b));
      continue;
    }
    describe(`${title} (${b.name})`, () => {
      let inv: OpenInventory | undefined;
      beforeAll(async () => {
        inv = await b.open();
      });
      afterAll(() => b.close(inv));
      body(() => inv ?? unopened(), b);
    });
  }
}

function unopened(): never {
  throw new Error("the inventory is not open (its beforeAll failed or the suite is skipped)");
}
