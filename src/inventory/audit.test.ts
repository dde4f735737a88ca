import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  appendAudit,
  auditHash,
  auditHead,
  type AuditEntry,
  formatHead,
  GENESIS_HASH,
  listAudit,
  MAX_DATA_BYTES,
  parseHead,
  verifyAudit,
} from "./audit.js";
import { canonicalJson } from "./canonical-json.js";
import type { Db } from "./db.js";
import { backends, type Backend } from "./__fixtures__/backends.js";

describe("audit hash (the documented canonical form)", () => {
  it("is SHA-256 over the canonical JSON array of the fields and the previous hash", () => {
    const e = {
      seq: 1,
      at: "2026-11-22T18:01:55.443021Z",
      actor: "alice",
      action: "create",
      entity: "site",
      entityId: "hq",
      reason: null,
      data: { name: "HQ", b: [1, 0.5, "é\n"], a: { z: true, y: null } },
      prevHash: GENESIS_HASH,
    };
    // Written out by hand from the rule in audit.ts: keys sorted, no whitespace, null for the absent reason.
    const bytes =
      '["camsweep-audit/1",1,"2026-11-22T18:01:55.443021Z","alice","create","site","hq",null,' +
      `{"a":{"y":null,"z":true},"b":[1,0.5,"é\\n"],"name":"HQ"},"${"0".repeat(64)}"]`;
    expect(auditHash(e)).toBe(createHash("sha256").update(bytes, "utf8").digest("hex"));
  });

  it("canonical JSON sorts keys by UTF-16 code units and writes numbers as ECMAScript does", () => {
    expect(canonicalJson({ b: 1, a: 2, "\u00e9": 3, Z: 4, "10": 5, "2": 6 })).toBe(
      '{"10":5,"2":6,"Z":4,"a":2,"b":1,"é":3}',
    );
    expect(canonicalJson([1e21, 1e-7, -0, 0.1, 100])).toBe("[1e+21,1e-7,0,0.1,100]");
    expect(() => canonicalJson(NaN)).toThrow();
  });

  it("reads and prints heads as SEQ:HASH", () => {
    const h = { seq: 12, hash: "ab".repeat(32) };
    expect(parseHead(formatHead(h))).toEqual(h);
    expect(parseHead("12:" + "AB".repeat(32))).toEqual(h);
    expect(parseHead("0:" + "ab".repeat(32))).toBeNull();
    expect(parseHead("12:abc")).toBeNull();
    expect(parseHead("x")).toBeNull();
  });
});

const entry = (i: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  actor: "tester",
  action: "update",
  entity: "device",
  entityId: `dev-${i}`,
  reason: i % 2 ? `reason ${i}` : null,
  data: { changes: { model: [`M${i - 1}`, `M${i}`] }, n: i, nested: { "10": 1, "2": [0.1, 1e21, "ü"] } },
  ...over,
});

async function appendMany(db: Db, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) await db.transaction((tx) => appendAudit(tx, entry(i)));
}

/** A fresh inventory per case: each tamper test breaks its own chain. */
async function withFresh<T>(b: Backend, fn: (db: Db) => Promise<T>): Promise<T> {
  const inv = await b.open();
  try {
    return await fn(inv.db);
  } finally {
    await b.close(inv);
  }
}

/** What an attacker with the database does: the append-only trigger off, then raw SQL. */
async function tamper(db: Db, ...sql: string[]): Promise<void> {
  await db.query("ALTER TABLE audit_log DISABLE TRIGGER USER");
  for (const s of sql) await db.query(s);
  await db.query("ALTER TABLE audit_log ENABLE TRIGGER USER");
}

for (const b of backends())
  describe(`audit log (${b.name})`, () => {
    it("appends a chain that verifies, numbered 1..n, each linked to the one before", () =>
      withFresh(b, async (db) => {
        expect(await verifyAudit(db)).toEqual({ ok: true, entries: 0, head: null });
        await appendMany(db, 5);
        const v = await verifyAudit(db, { pageSize: 2 }); // pages end mid-chain: links cross them
        expect(v).toMatchObject({ ok: true, entries: 5 });
        const log = await listAudit(db, 10);
        expect(log.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
        expect(log[4]!.prevHash).toBe(GENESIS_HASH);
        for (let i = 0; i < 4; i++) expect(log[i]!.prevHash).toBe(log[i + 1]!.hash);
        expect(v.head).toEqual({ seq: 5, hash: log[0]!.hash });
        expect(await auditHead(db)).toEqual(v.head);
        expect(log[0]).toMatchObject({
          actor: "tester",
          entity: "device",
          entityId: "dev-5",
          reason: "reason 5",
        });
        expect(log[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
        expect(log[0]!.at >= log[4]!.at).toBe(true);
      }));

    it("keeps what JSONB cannot hold as stored text, and the chain still verifies", () =>
      withFresh(b, async (db) => {
        const r = await db.transaction((tx) =>
          appendAudit(tx, {
            action: "create",
            entity: "device",
            entityId: "a\u0000b",
            data: { host: "cam\u0000\ud800", when: new Date("2026-01-02T03:04:05.678Z"), gone: undefined },
          }),
        );
        expect(r.actor.length).toBeGreaterThan(0); // the OS user by default
        expect(r.entityId).toBe("a\ufffdb");
        expect(r.data).toEqual({ host: "cam\ufffd\ufffd", when: "2026-01-02T03:04:05.678Z" });
        const big = await db.transaction((tx) =>
          appendAudit(tx, { action: "update", entity: "device", data: { blob: "x".repeat(MAX_DATA_BYTES) } }),
        );
        expect(big.data).toMatchObject({ truncated: true });
        expect(await verifyAudit(db)).toMatchObject({ ok: true, entries: 2 });
      }));

    it("refuses UPDATE, DELETE and TRUNCATE of the log (a hurdle; the chain is the guarantee)", () =>
      withFresh(b, async (db) => {
        await appendMany(db, 2);
        await expect(db.query("UPDATE audit_log SET actor = 'mallory'")).rejects.toThrow(/append-only/);
        await expect(db.query("DELETE FROM audit_log WHERE seq = 1")).rejects.toThrow(/append-only/);
        await expect(db.query("TRUNCATE audit_log")).rejects.toThrow(/append-only/);
        expect(await verifyAudit(db)).toMatchObject({ ok: true, entries: 2 });
      }));

    it("names an altered entry by its seq", () =>
      withFresh(b, async (db) => {
        await appendMany(db, 6);
        await tamper(db, `UPDATE audit_log SET data = jsonb_set(data, '{n}', '99') WHERE seq = 4`);
        const v = await verifyAudit(db);
        expect(v).toMatchObject({
          ok: false,
          entries: 3,
          head: { seq: 3 },
          break: { kind: "altered", seq: 4 },
        });
        expect(v.break!.message).toMatch(/entry 4 was altered/);
      }));

    it("names a removed middle entry as a gap", () =>
      withFresh(b, async (db) => {
        await appendMany(db, 6);
        await tamper(db, "DELETE FROM audit_log WHERE seq = 3");
        expect(await verifyAudit(db, { pageSize: 2 })).toMatchObject({
          ok: false,
          break: { kind: "missing", seq: 3, message: expect.stringMatching(/entry 3 is missing/) },
        });
      }));

    it("names the first entry out of place when two entries swap their seq", () =>
      withFresh(b, async (db) => {
        await appendMany(db, 6);
        await tamper(
          db,
          "UPDATE audit_log SET seq = 1000 WHERE seq = 3",
          "UPDATE audit_log SET seq = 3 WHERE seq = 4",
          "UPDATE audit_log SET seq = 4 WHERE seq = 1000",
        );
        const v = await verifyAudit(db);
        expect(v.break).toMatchObject({ kind: "reordered", seq: 3 });
        expect(v.break!.message).toMatch(/entry 3 does not follow entry 2/);
      }));

    it("detects a cut-off tail only against a head noted before", () =>
      withFresh(b, async (db) => {
        await appendMany(db, 6);
        const noted = (await verifyAudit(db)).head!;
        await tamper(db, "DELETE FROM audit_log WHERE seq > 4");
        expect(await verifyAudit(db)).toMatchObject({ ok: true, entries: 4 }); // the chain alone still links
        const v = await verifyAudit(db, { expectHead: noted });
        expect(v).toMatchObject({ ok: false, break: { kind: "truncated", seq: 5 } });
        expect(v.break!.message).toMatch(/entries 5\.\.6 were removed/);
        // A head from before the cut still verifies: the log may grow past a noted head.
        const earlier = (await listAudit(db, 10)).find((e) => e.seq === 2)!;
        expect(await verifyAudit(db, { expectHead: earlier })).toMatchObject({ ok: true, entries: 4 });
      }));

    it("detects a consistent rewrite (hashes recomputed) against a noted head", () =>
      withFresh(b, async (db) => {
        await appendMany(db, 4);
        const noted = (await verifyAudit(db)).head!;
        // Rewrite entry 2 and every hash after it, as someone who read audit.ts could.
        const log = (await listAudit(db, 10)).reverse();
        await db.query("ALTER TABLE audit_log DISABLE TRIGGER USER");
        let prev = log[0]!.hash;
        for (const e of log.slice(1)) {
          const data = e.seq === 2 ? { rewritten: true } : e.data;
          const hash = auditHash({ ...e, data, prevHash: prev });
          await db.query("UPDATE audit_log SET data = $2, prev_hash = $3, hash = $4 WHERE seq = $1", [
            e.seq,
            JSON.stringify(data),
            prev,
            hash,
          ]);
          prev = hash;
        }
        await db.query("ALTER TABLE audit_log ENABLE TRIGGER USER");
        expect(await verifyAudit(db)).toMatchObject({ ok: true, entries: 4 });
        expect(await verifyAudit(db, { expectHead: noted })).toMatchObject({
          ok: false,
          break: { kind: "head-mismatch", seq: 4 },
        });
      }));

    it("serializes concurrent appenders: no duplicate seq, one unbroken chain", () =>
      withFresh(b, async (db) => {
        const writer = async (w: number) => {
          for (let i = 0; i < 8; i++)
            await db.transaction(async (tx) => {
              await appendAudit(tx, entry(w * 100 + i));
              await tx.query("SELECT pg_sleep(0.002)"); // hold the lock a little: others must wait for it
            });
        };
        await Promise.all([1, 2, 3].map(writer));
        const v = await verifyAudit(db);
        expect(v.break).toBeUndefined();
        expect(v).toMatchObject({ ok: true, entries: 24 });
      }));
  });
