import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freshSchema, postgresSkipped, TEST_DATABASE_URL } from "./__fixtures__/backends.js";
import { openInventory, type OpenInventory } from "./index.js";
import { loadMigrations, migrate } from "./migrate.js";
import { openPglite } from "./pglite.js";
import { maskUrl, openPostgres, scrub, withSearchPath } from "./postgres.js";

/** The test server's URL with a password in it (the server trusts loopback, so it is never asked for). */
const withPassword = (url: string, password: string) => {
  const u = new URL(url);
  u.password = password;
  return u.toString();
};

describe("PostgreSQL URLs as camsweep prints them", () => {
  it("masks the password wherever the URL holds one", () => {
    expect(maskUrl("postgres://camsweep:s3cret@db.example:5433/inv")).toBe(
      "postgres://camsweep:***@db.example:5433/inv",
    );
    expect(maskUrl("postgresql://u@h/d?password=s3cret&sslmode=require")).toBe(
      "postgresql://u@h/d?password=***&sslmode=require",
    );
    expect(maskUrl("postgres://u@h/d?sslpassword=k3y")).not.toContain("k3y");
    expect(maskUrl("not a url with s3cret")).not.toContain("s3cret");
  });

  it("scrubs a password a driver message might quote", () => {
    expect(scrub("auth failed for s3cret!", "postgres://u:s3cret@h/d")).toBe("auth failed for ***!");
    expect(scrub("no secret here", "postgres://u@h/d")).toBe("no secret here");
  });

  it("adds a search_path to the URL's own options, and refuses a schema name that is not plain", () => {
    const u = new URL(withSearchPath("postgres://u@h/d?options=-c%20statement_timeout%3D5000", "csw_a"));
    expect(u.searchParams.get("options")).toBe("-c statement_timeout=5000 -c search_path=csw_a");
    expect(() => withSearchPath("postgres://u@h/d", "x; DROP")).toThrow(/not a plain schema name/);
  });

  it("names an unreachable server without its password", async () => {
    const url = "postgres://postgres:Hunter2-NotShown@127.0.0.1:1/test";
    const err = await openInventory("", { databaseUrl: url }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /^cannot open the PostgreSQL inventory at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test: .*ECONNREFUSED/,
    );
    expect((err as Error).message).not.toContain("Hunter2");
  });
});

describe.skipIf(postgresSkipped)("the inventory on PostgreSQL", () => {
  const drops: (() => Promise<void>)[] = [];
  const opened: OpenInventory[] = [];
  afterAll(async () => {
    for (const inv of opened) await inv.close().catch(() => undefined);
    for (const drop of drops) await drop();
  });
  const schema = async () => {
    const s = await freshSchema();
    drops.push(s.drop);
    return s;
  };
  const open = async (url: string, readOnly = false) => {
    const inv = await openInventory("", { databaseUrl: url, readOnly });
    opened.push(inv);
    return inv;
  };

  it("refuses a second writer on the same schema, naming the holder and not the password", async () => {
    const s = await schema();
    const url = withPassword(s.url, "Hunter2-NotShown");
    const first = await open(url);
    expect(first.backend).toBe("postgres");
    expect(first.where).not.toContain("Hunter2");
    const err = await openInventory("", { databaseUrl: url }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^the inventory in PostgreSQL postgres://postgres:\\*\\*\\*@.* \\(schema ${s.name}\\) is in use by ` +
          `another camsweep process \\(pid ${process.pid} on .+\\); wait for it or use another database or schema$`,
      ),
    );
    expect((err as Error).message).not.toContain("Hunter2");

    // A reader needs no lock: it sees what the writer wrote while the writer is open.
    const scan = await first.store.beginScan("scan", {});
    const reader = await open(url, true);
    expect((await reader.store.listScans()).map((x) => x.id)).toContain(scan);
    await reader.close();

    // Closing the writer frees the lock.
    await first.close();
    const second = await open(url);
    expect((await second.store.listScans()).map((x) => x.id)).toContain(scan);
    await second.close();
  });

  it("locks per schema: writers in two schemas of one database both open", async () => {
    const [a, b] = await Promise.all([schema(), schema()]);
    const [x, y] = await Promise.all([open(a.url), open(b.url)]);
    await x.store.beginScan("scan", {});
    expect(await y.store.listScans()).toEqual([]);
    await Promise.all([x.close(), y.close()]);
  });

  it("is chosen by DATABASE_URL when no URL is given, and the data directory is then left alone", async () => {
    const s = await schema();
    const dir = mkdtempSync(join(tmpdir(), "camsweep-pgenv-"));
    const saved = process.env["DATABASE_URL"];
    process.env["DATABASE_URL"] = s.url;
    try {
      const inv = await openInventory(join(dir, "unused"));
      opened.push(inv);
      expect(inv.backend).toBe("postgres");
      expect(inv.where).toBe(`PostgreSQL ${maskUrl(s.url)}`);
      await inv.close();
      // ...unless the caller asks for the embedded one.
      const embedded = await openInventory(join(dir, "inv"), { databaseUrl: null });
      expect(embedded.backend).toBe("pglite");
      await embedded.close();
      expect(existsSync(join(dir, "unused"))).toBe(false);
    } finally {
      if (saved === undefined) delete process.env["DATABASE_URL"];
      else process.env["DATABASE_URL"] = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("applies each migration once when two processes migrate a new schema at the same time", async () => {
    const s = await schema();
    const [a, b] = await Promise.all([openPostgres(s.url), openPostgres(s.url)]);
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      const all = loadMigrations().map((m) => m.name);
      expect([...ra, ...rb].sort()).toEqual(all);
      const { rows } = await a.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY version");
      expect(rows.map((r) => r.name)).toEqual(all);
      expect(await migrate(a)).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("says so when the search_path names no schema that exists", async () => {
    const url = withSearchPath(TEST_DATABASE_URL, "csw_test_missing_schema");
    await expect(openInventory("", { databaseUrl: url })).rejects.toThrow(
      /has no schema to create its tables in: .*CREATE SCHEMA/,
    );
  });

  it("returns each type as PGlite does", async () => {
    // Every value the store could read: int8 (bigserial, count, sum), dates and times, intervals, JSON, arrays.
    const sql = `SELECT 7::int8 AS i8, 9007199254740993::int8 AS big, count(*) AS n, sum(x) AS total,
        ARRAY[1, 9007199254740993]::int8[] AS i8s, 2::int4 AS i4, 1.5::real AS r, 2.25::float8 AS f, 1.10::numeric AS num,
        '2024-01-02'::date AS d, ARRAY['2024-01-02'::date] AS ds, '2024-01-02 03:04:05'::timestamp AS ts,
        '2024-01-02 03:04:05+02'::timestamptz AS tz, '2024-01-02 03:04:05+02'::timestamptz::text AS tz_text,
        'infinity'::timestamptz AS inf, '1 day 02:00'::interval AS iv, ARRAY['3 hours'::interval] AS ivs,
        '{"a":[1,{"b":null}]}'::jsonb AS jb, ARRAY['a', NULL]::text[] AS texts, true AS b, '10.0.0.0/8'::inet AS ip,
        NULL::int8 AS nothing, current_setting('TimeZone') AS zone
      FROM (VALUES (1::int8), (2::int8)) AS v(x)`;
    const dir = mkdtempSync(join(tmpdir(), "camsweep-types-"));
    const lite = await openPglite(dir);
    const server = await openPostgres(TEST_DATABASE_URL);
    try {
      const want = (await lite.query(sql)).rows[0];
      const got = (await server.query(sql)).rows[0];
      expect(got).toEqual(want);
      expect(got).toMatchObject({
        i8: 7,
        n: 2,
        total: "3", // sum(int8) is numeric: text on both
        big: 9007199254740993n,
        tz_text: "2024-01-02 01:04:05+00",
      });
    } finally {
      await lite.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
