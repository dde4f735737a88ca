import { describe, expect, it } from "vitest";
import { splitStatements } from "./migrate.js";

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
