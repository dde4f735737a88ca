import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMigrations, migrate, splitStatements } from "./migrate.js";
import { openPglite } from "./pglite.js";

describe("splitStatements", () => {
  it("splits on statement ends only, keeping quoted and dollar-quoted semicolons and dropping comments", () => {
    const sql = `CREATE TABLE a (x TEXT DEFAULT 'a;b'); -- a comment; with a semicolon
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'no; never'; END; $$;
/* block; comment */ CREATE TABLE "odd;name" (y INT);
DO $body$ BEGIN PERFORM 1; END $body$`;
    expect(splitStatements(sql)).toEqual([
      "CREATE TABLE a (x TEXT DEFAULT 'a;b')",
      "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN RAISE EXCEPTION 'no; never'; END; $$",
      'CREATE TABLE "odd;name" (y INT)',
      "DO $body$ BEGIN PERFORM 1; END $body$",
    ]);
  });

  it("leaves $1 parameters and '' escapes alone", () => {
    expect(splitStatements("SELECT $1, 'it''s; fine'; SELECT 2")).toEqual([
      "SELECT $1, 'it''s; fine'",
      "SELECT 2",
    ]);
  });
});

describe("migrate", () => {
  it("vacuums a table a migration rewrote, so index-only reads need not visit its rows", async () => {
    const dir = mkdtempSync(join(tmpdir(), "camsweep-migrate-"));
    const db = await openPglite(dir);
    try {
      const all = loadMigrations();
      const v16 = all.find((m) => m.name === "016_search_text.sql");
      expect(v16?.vacuum).toEqual(["devices"]);
      await migrate(
        db,
        all.filter((m) => m.version < 16),
      );
      await db.query(
        `INSERT INTO devices (id, hostname, model, identification, first_seen, last_seen)
         SELECT 'd' || i, 'Cam-' || i, 'DS-2CD2142', '{}', now(), now() FROM generate_series(1, 500) i`,
      );
      await db.query("VACUUM devices");
      const visible = async () =>
        (
          await db.query<{ n: number }>(
            "SELECT relallvisible::int AS n FROM pg_class WHERE relname = 'devices'",
          )
        ).rows[0]?.n ?? 0;
      expect(await visible()).toBeGreaterThan(0);
      expect(await migrate(db, all)).toEqual([
        "016_search_text.sql",
        "017_search_split.sql",
        "018_counted_index.sql",
      ]);
      // The rewrite left no page marked all-visible; only the vacuum after it marks them again.
      expect(await visible()).toBeGreaterThan(0);
      const { rows } = await db.query<{ names: string; ident: string }>(
        "SELECT search_names AS names, search_ident AS ident FROM devices WHERE id = 'd7'",
      );
      expect(rows[0]).toEqual({ names: "cam-7\n\n", ident: "ds-2cd2142\n\n" });
      // The makers' identities were noted from the devices already there (017), and a trigger notes new ones.
      await db.query(
        `INSERT INTO devices (id, manufacturer, model, restricted, identification, first_seen, last_seen)
         VALUES ('h1', 'hikvision', 'DS-7608NI', true, '{}', now(), now())`,
      );
      const { rows: idents } = await db.query<{ prefix: string; ident: string }>(
        "SELECT prefix, ident FROM device_idents ORDER BY prefix",
      );
      expect(idents).toEqual([
        { prefix: "0 hikvision ", ident: "ds-7608ni\nhikvision\n" },
        { prefix: "1 ~ ", ident: "ds-2cd2142\n\n" },
      ]);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
