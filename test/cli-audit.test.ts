import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit } from "../src/inventory/audit.js";
import { openInventory } from "../src/inventory/index.js";
import { freshSchema, postgresSkipped } from "../src/inventory/__fixtures__/backends.js";
import { buildIdentification, buildObservation } from "./factories.js";
import { jsonLines, runCli } from "./cli.js";

/** The real CLI (npm run build first): audit verify/log, export, restore, on PGlite data dirs and PostgreSQL. */
const dir = mkdtempSync(join(tmpdir(), "camsweep-audit-cli-"));
const a = join(dir, "a");
const b = join(dir, "b");
const file = join(dir, "a.jsonl");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const noDb = { DATABASE_URL: "" }; // the data dirs, whatever the caller's environment says
const run = (args: string[], env: NodeJS.ProcessEnv = noDb) => runCli(args, { env, timeoutMs: 90_000 });
const withoutTime = (text: string) => text.replace(/"exportedAt":"[^"]*"/, "");

let head = "";

beforeAll(async () => {
  const inv = await openInventory(a, { databaseUrl: null });
  try {
    const scan = await inv.store.beginScan("scan", { targets: ["127.0.0.1"] });
    await inv.store.recordHost(scan, {
      address: "127.0.0.1",
      openPorts: [80],
      observations: [buildObservation({ target: "127.0.0.1" })],
      identification: buildIdentification({ target: "127.0.0.1", manufacturer: "hikvision" }),
    });
    // The store audits the scan's start (1) and the new device (2); the test adds a hand edit (3); the finish is 4.
    await inv.db.transaction(async (tx) => {
      await appendAudit(tx, {
        actor: "alice",
        action: "update",
        entity: "device",
        entityId: "cam\u001b[31m",
        reason: "relabelled\nby hand",
        data: { changes: { model: [null, "DS-2CD"] } },
      });
    });
    await inv.store.finishScan(scan, "done", 1);
  } finally {
    await inv.close();
  }
});

describe("camsweep audit, export, restore", () => {
  it("audit verify prints the head of a sound chain", async () => {
    const r = await run(["audit", "verify", "--data-dir", a]);
    expect(r.code).toBe(0);
    const m = /^audit log verified: 4 entries, head (4:[0-9a-f]{64})$/m.exec(r.stdout);
    expect(m, r.stdout + r.stderr).not.toBeNull();
    head = m![1]!;
    const j = await run(["audit", "verify", "--json", "--data-dir", a]);
    expect(JSON.parse(j.stdout)).toEqual({ ok: true, entries: 4, head });
  });

  it("audit log lists the newest entries first, escaping what it prints", async () => {
    const j = await run(["audit", "log", "--json", "--data-dir", a]);
    expect(jsonLines(j.stdout).map((e) => e.seq)).toEqual([4, 3, 2, 1]);
    const t = await run(["audit", "log", "--limit", "2", "--data-dir", a]);
    expect(t.code).toBe(0);
    const lines = t.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^SEQ\s+AT\s+ACTOR\s+ENTITY\s+ACTION\s+ID\s+REASON$/);
    expect(lines).toHaveLength(3);
    expect(t.stdout).not.toContain("\u001b");
    expect(lines[2]).toContain("cam\\x1b[31m");
    expect(lines[2]).toContain("relabelled\\x0aby hand");
  });

  it("export writes the file whole, for its owner only, and keeps an existing one", async () => {
    const r = await run(["export", file, "--data-dir", a]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`exported \\d+ rows .* to ${file}; audit head ${head}`));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(`${file}.partial`)).toBe(false);
    const again = await run(["export", file, "--data-dir", a]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists: give another name, or --force/);
    const stdout = await run(["export", "--data-dir", a]);
    expect(stdout.code).toBe(0);
    expect(withoutTime(stdout.stdout)).toBe(withoutTime(readFileSync(file, "utf8")));
  });

  it("restore loads it into an empty inventory whose chain ends at the same head, and refuses a second time", async () => {
    const r = await run(["restore", file, "--data-dir", b]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`restored \\d+ rows .*audit log verified, head ${head}`));
    const v = await run(["audit", "verify", "--expect-head", head, "--data-dir", b]);
    expect(v.code, v.stderr).toBe(0);
    const out = await run(["export", "-", "--data-dir", b]);
    expect(withoutTime(out.stdout)).toBe(withoutTime(readFileSync(file, "utf8")));
    const twice = await run(["restore", file, "--data-dir", b]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/restore needs an empty inventory, and this one holds .*devices/);
  });

  it("audit verify finds a cut-off tail against the noted head, and exits 1", async () => {
    const inv = await openInventory(b, { databaseUrl: null });
    try {
      const db = inv.db;
      await db.query("ALTER TABLE audit_log DISABLE TRIGGER USER");
      await db.query("DELETE FROM audit_log WHERE seq = 4");
    } finally {
      await inv.close();
    }
    expect((await run(["audit", "verify", "--data-dir", b])).code).toBe(0); // a chain alone cannot tell
    const r = await run(["audit", "verify", "--expect-head", head, "--data-dir", b]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/audit log BROKEN \(truncated\) at entry 4: .*entry 4 was removed/);
    const bad = await run(["audit", "verify", "--expect-head", "3:abc", "--data-dir", b]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--expect-head takes SEQ:HASH/);
  });

  it("restore names the bad line of a damaged file and leaves the inventory empty", async () => {
    const lines = readFileSync(file, "utf8").split("\n");
    lines[3] = lines[3]!.replace('"row":{', '"row":{"evil":1,');
    const damaged = join(dir, "damaged.jsonl");
    writeFileSync(damaged, lines.join("\n"));
    const c = join(dir, "c");
    const r = await run(["restore", damaged, "--data-dir", c]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^camsweep: ${damaged}:4: \\w+: `));
    const v = await run(["audit", "verify", "--data-dir", c]);
    expect(v.stdout).toMatch(/no entries yet/);
    const missing = await run(["restore", join(dir, "nope.jsonl"), "--data-dir", c]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.jsonl: cannot read/);
  });

  it.skipIf(postgresSkipped !== null)(
    "moves the inventory to PostgreSQL and back, byte for byte",
    async () => {
      const schema = await freshSchema();
      try {
        const env = { DATABASE_URL: schema.url };
        const r = await run(["restore", file], env);
        expect(r.code, r.stderr).toBe(0);
        expect((await run(["audit", "verify", "--expect-head", head], env)).code).toBe(0);
        const pgExport = await run(["export", "-"], env);
        expect(withoutTime(pgExport.stdout)).toBe(withoutTime(readFileSync(file, "utf8")));
        const back = join(dir, "back");
        const pgFile = join(dir, "pg.jsonl");
        writeFileSync(pgFile, pgExport.stdout);
        expect((await run(["restore", pgFile, "--data-dir", back])).code).toBe(0);
        const again = await run(["export", "-", "--data-dir", back]);
        expect(withoutTime(again.stdout)).toBe(withoutTime(readFileSync(file, "utf8")));
      } finally {
        await schema.drop();
      }
    },
  );

  it("records who and why a command gave, beside the OS user, and refuses an empty or multi-line reason", async () => {
    const c = join(dir, "c");
    const org = [
      "org",
      "add",
      "dnd",
      "--name",
      "DND",
      "--type",
      "federal-department",
      "--jurisdiction",
      "CA",
    ];
    const added = await run([
      ...org,
      "--reason",
      "CHG-1234: Canada 2025 order",
      "--actor",
      "j.tremblay",
      "--data-dir",
      c,
    ]);
    expect(added.code, added.stderr).toBe(0);
    const site = ["site", "add", "hq", "--org", "dnd", "--name", "HQ", "--data-dir", c];
    expect((await run(site)).code).toBe(0);
    const log = jsonLines<{ actor: string; reason: string | null; entity: string }>(
      (await run(["audit", "log", "--json", "--data-dir", c])).stdout,
    );
    const byEntity = Object.fromEntries(log.map((e) => [e.entity, e]));
    expect(byEntity["organization"]?.reason).toBe("CHG-1234: Canada 2025 order");
    expect(byEntity["organization"]?.actor).toMatch(/^j\.tremblay via \S+$/);
    // Without the flags: the OS user, no reason.
    expect(byEntity["site"]?.reason).toBeNull();
    expect(byEntity["site"]?.actor).not.toContain("via");
    for (const bad of ["  ", "line one\nline two"]) {
      const r = await run([
        "site",
        "add",
        "x",
        "--org",
        "dnd",
        "--name",
        "X",
        "--reason",
        bad,
        "--data-dir",
        c,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--reason (is empty|holds a control character)/);
    }
    expect((await run(["audit", "verify", "--data-dir", c])).code).toBe(0);
    const sites = await run(["site", "list", "--json", "--data-dir", c]);
    expect(jsonLines(sites.stdout)).toHaveLength(1); // the refused ones wrote nothing
  });
});
