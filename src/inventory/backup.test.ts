import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIdentification, buildObservation } from "../../test/factories.js";
import { appendAudit, formatHead, verifyAudit } from "./audit.js";
import type { Db } from "./db.js";
import { exportInventory } from "./export.js";
import { EXPORT_TABLES } from "./export-format.js";
import { Workflow } from "./workflow.js";
import type { OpenInventory } from "./index.js";
import { numberedLines } from "./lines.js";
import { loadMigrations } from "./migrate.js";
import { restoreInventory } from "./restore.js";
import { backends, type Backend } from "./__fixtures__/backends.js";

/** An inventory with rows in every table, and values that test exactness: microseconds, REAL, BIGINT, odd text. */
async function fill(inv: OpenInventory): Promise<void> {
  const db = inv.db;
  const q = (sql: string, params: unknown[] = []) => db.query(sql, params);
  // Children's ids sort before their parents': the export must still put each parent first.
  await q(`INSERT INTO organizations (id, name, type, jurisdiction, parent_id) VALUES
    ('zz-gov', 'Government', 'federal-department', 'CA', NULL),
    ('aa-agency', 'Agency "A" é', 'agency', 'CA', 'zz-gov'),
    ('0-unit', 'Unit', 'agency', 'CA-QC', 'aa-agency'),
    ('private-co', 'Company', 'private', 'US', NULL)`);
  await q(`INSERT INTO sites (id, organization_id, name, address, criticality, created_at) VALUES
    ('hq', 'aa-agency', 'HQ', E'1 Main St\\nOttawa \u2028 ☃', 'high', '1999-12-31T23:59:59.999999Z'),
    ('branch', '0-unit', 'Branch', NULL, 'normal', now())`);
  await q(`INSERT INTO segments (site_id, cidr, name) VALUES
    ('hq', '10.1.2.0/24', 'VLAN 12'), ('hq', 'fd00::/64', NULL), ('branch', '10.1.2.0/24', NULL)`);

  const scan = await inv.store.beginScan("scan", { targets: ["127.0.0.0/30"], note: 'é\u2028"q"', n: 1e21 });
  const ids: string[] = [];
  for (const [i, address] of ["127.0.0.1", "127.0.0.2", "127.0.0.3"].entries()) {
    const r = await inv.store.recordHost(scan, {
      address,
      openPorts: [80, 554],
      observations: [buildObservation({ target: address }), buildObservation({ target: address, port: 554 })],
      identification: buildIdentification({
        target: address,
        manufacturer: i === 0 ? "hikvision" : "axis",
        confidence: 0.85,
        mac: `44:47:cc:00:00:0${i}`,
      }),
    });
    ids.push(r.deviceId);
  }
  await inv.store.markHostsDone(scan, ["127.0.0.4"]);
  await inv.store.setScanCoverage(scan, [
    { segment: "127.0.0.0/30", coverage: "remote-only", "10": { "2": 0.1 } },
  ]);
  await inv.store.finishScan(scan, "done", 4);
  await q(
    `UPDATE scans SET site_id = 'hq', rows_done = 9007199254740991, source_digest = 'sha256:ab' WHERE id = $1`,
    [scan],
  );
  await q(`UPDATE devices SET site_id = 'hq' WHERE id = $1`, [ids[0]]);
  await q(
    `INSERT INTO device_history (device_id, field, previous, value, scan_id, at) VALUES ($1, 'model', NULL, 'DS-2CD', $2, now()),
       ($1, 'address', '127.0.0.9', '127.0.0.1', NULL, '2026-01-02T03:04:05.000001Z')`,
    [ids[0], scan],
  );
  await q(
    `INSERT INTO device_conflicts (device_id, field, held, offered, scan_id, at) VALUES ($1, 'mac', 'a', 'b', $2, now())`,
    [ids[1], scan],
  );
  await db.transaction(async (tx) => {
    await appendAudit(tx, {
      action: "create",
      entity: "organization",
      entityId: "zz-gov",
      data: { name: "Government" },
    });
    await appendAudit(tx, {
      action: "start",
      entity: "scan",
      entityId: scan,
      reason: "quarterly audit",
      data: { kind: "scan" },
    });
    await appendAudit(tx, {
      action: "create",
      entity: "device",
      entityId: ids[0]!,
      data: { address: "127.0.0.1", n: [1e21, 0.1, -5], "10": null, "2": "☃" },
    });
  });
  await q(`UPDATE organizations SET sectors = '["us-federal-contractor"]' WHERE id = 'private-co'`);
  await inv.store.setExposure([ids[0]!], { internet: true, source: "perimeter scan é" });
  const assessment = await inv.store.beginAssessment({
    organizationId: "aa-agency",
    packs: [
      {
        id: "CA-ICA-2025-HIKVISION",
        file: "knowledge/policy-packs/CA-ICA-2025-HIKVISION.yaml",
        sha256: "a".repeat(64),
      },
    ],
    knowledge: { vulnerabilities: { file: "knowledge/vulnerabilities.yaml", sha256: "b".repeat(64) } },
    day: "2026-11-22",
  });
  await inv.store.saveAssessments(assessment, [
    {
      deviceId: ids[0]!,
      organizationId: "aa-agency",
      siteId: "hq",
      status: "prohibited",
      risk: 88,
      riskLevel: "critical",
      kev: 1,
      findings: { verdict: { status: "prohibited" }, note: "\u2028☃", n: 1e21 },
    },
  ]);
  await inv.store.finishAssessment(assessment, "done", {
    devices: 1,
    counts: { prohibited: 1 },
    changes: {},
  });
  const wf = new Workflow(db, { actor: "auditor é" });
  const day = "2026-11-22";
  const bytes = (...b: number[]) => ({ name: "ph\u2028oto.jpg", content: Uint8Array.from(b) });
  await wf.requestException(day, {
    device: ids[0]!,
    justification: "until the \u2028 replacement",
    controls: ["VLAN 99"],
    until: "2027-01-31",
    evidence: [bytes(0, 255, 10, 13, 128)],
  });
  await wf.takeStep(day, { step: "confirmed", names: [ids[0]!] });
  await wf.takeStep(day, { step: "scheduled", names: [ids[0]!], date: "2026-12-01" });
  await wf.takeStep(day, { step: "removed", names: [ids[0]!], evidence: [bytes()] });
  await wf.sanitize(day, {
    device: ids[0]!,
    medium: "SD ☃",
    method: "destroy",
    date: day,
    by: "x",
    certificate: null,
  });
  await q(
    `INSERT INTO plans (id, created_at, created_by, organization_id, plan) VALUES ('p1', now(), 'a', 'aa-agency', '{"phases": []}')`,
  );
  await q(
    `INSERT INTO procurement_lists (organization_id, kind, field, value, folded, reason, added_by, added_at, removed_by, removed_at, removed_reason)
     VALUES ('aa-agency', 'allow', 'model', 'AXIS P3245', 'axisp3245', 'approved', 'a', now(), 'b', now(), 'superseded')`,
  );
  await q(
    `INSERT INTO users (id, name, role, organization_id, password_hash, created_at, disabled_at)
     VALUES ('u1', 'alice', 'auditor', 'aa-agency', 'scrypt$1$1$1$AA$AA', now(), now())`,
  );
  await q(
    `INSERT INTO api_tokens (id, user_id, name, secret_sha256, scope, created_at, expires_at, revoked_at, last_used_at)
     VALUES ('t1', 'u1', 'ci', repeat('a', 64), 'read', now(), now(), now(), now())`,
  );
  await q(
    `INSERT INTO sessions (secret_sha256, user_id, csrf_sha256, created_at, expires_at, ended_at)
     VALUES (repeat('b', 64), 'u1', repeat('c', 64), now(), now(), now())`,
  );
  for (const t of EXPORT_TABLES) {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t.name}`);
    // Every table holds rows, so the round trip covers every column kind: a new table must be filled here too.
    expect(rows[0]!.n, t.name).toBeGreaterThan(0);
  }
}

async function exportText(db: Db): Promise<string> {
  let text = "";
  await exportInventory(db, async (chunk) => {
    text += chunk;
  });
  return text;
}

/** The text as a stream in small chunks, so lines and UTF-8 characters are split across them. */
function linesOf(text: string, chunk = 97) {
  const buf = Buffer.from(text, "utf8");
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  return numberedLines(Readable.from(parts));
}

const withoutTime = (text: string) => {
  const [head, ...rest] = text.split("\n");
  const h = JSON.parse(head!) as Record<string, unknown>;
  delete h.exportedAt;
  return [JSON.stringify(h), ...rest].join("\n");
};

async function counts(db: Db): Promise<number[]> {
  const out: number[] = [];
  for (const t of EXPORT_TABLES)
    out.push((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t.name}`)).rows[0]!.n);
  return out;
}

for (const source of backends())
  describe(`export and restore from ${source.name}`, () => {
    let inv: OpenInventory;
    let text: string;
    beforeAll(async () => {
      inv = await source.open();
      await fill(inv);
      text = await exportText(inv.db);
    });
    afterAll(() => source.close(inv));

    it("writes a header, the tables in dependency order, and an end line with the counts", async () => {
      const lines = text
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const header = lines[0]!;
      expect(header).toMatchObject({
        format: "camsweep-export",
        version: 1,
        schema: loadMigrations().map((m) => m.version),
      });
      expect(header.auditHead).toEqual((await verifyAudit(inv.db)).head);
      const tables = lines.slice(1, -1).map((l) => l.table as string);
      const order = EXPORT_TABLES.map((t) => t.name);
      expect([...new Set(tables)]).toEqual(order);
      expect(tables).toEqual([...tables].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
      const orgs = lines.filter((l) => l.table === "organizations").map((l) => (l.row as { id: string }).id);
      expect(orgs.indexOf("zz-gov")).toBeLessThan(orgs.indexOf("aa-agency"));
      expect(orgs.indexOf("aa-agency")).toBeLessThan(orgs.indexOf("0-unit"));
      expect(lines.at(-1)).toEqual({
        end: { rows: Object.fromEntries(order.map((t) => [t, tables.filter((x) => x === t).length])) },
      });
      const hq = lines.find((l) => l.table === "sites" && (l.row as { id: string }).id === "hq")!;
      expect((hq.row as { created_at: string }).created_at).toBe("1999-12-31T23:59:59.999999Z");
      const scan = lines.find((l) => l.table === "scans")!.row as Record<string, unknown>;
      expect(scan.rows_done).toBe(9007199254740991);
    });

    it("exports the same bytes twice but for the header's time", async () => {
      expect(withoutTime(await exportText(inv.db))).toBe(withoutTime(text));
    });

    for (const target of backends())
      it(`restores into an empty ${target.name} inventory that exports byte-identically`, async () => {
        const dst = await target.open();
        try {
          const db = dst.db;
          const r = await restoreInventory(db, linesOf(text));
          expect(r.rows.devices).toBe(3);
          const again = await exportText(db);
          expect(withoutTime(again)).toBe(withoutTime(text));
          expect(formatHead((await verifyAudit(db)).head)).toBe(formatHead(r.header.auditHead));
          // Sequences continue past the restored ids: new rows get new ids, and the chain goes on.
          const maxObs = (await db.query<{ m: number }>("SELECT max(id)::int AS m FROM observations"))
            .rows[0]!.m;
          const scan = await dst.store.beginScan("scan", {});
          await dst.store.recordHost(scan, {
            address: "127.0.0.9",
            openPorts: [],
            observations: [buildObservation({ target: "127.0.0.9" })],
            identification: buildIdentification({ target: "127.0.0.9" }),
          });
          const newest = (await db.query<{ m: number }>("SELECT max(id)::int AS m FROM observations"))
            .rows[0]!.m;
          expect(newest).toBeGreaterThan(maxObs);
          await db.query(
            "INSERT INTO device_conflicts (device_id, field, at) SELECT id, 'x', now() FROM devices LIMIT 1",
          );
          await db.transaction((tx) =>
            appendAudit(tx, { action: "finish", entity: "scan", entityId: scan, data: {} }),
          );
          // the chain goes on from the restored head: what the store and the test appended links to it
          const v = await verifyAudit(db);
          expect(v.ok).toBe(true);
          expect(v.entries).toBeGreaterThan(3);
        } finally {
          await target.close(dst);
        }
      });

    it("refuses an inventory that holds anything, and changes nothing in it", async () => {
      const before = await counts(inv.db);
      await expect(restoreInventory(inv.db, linesOf(text))).rejects.toThrow(
        /restore needs an empty inventory, and this one holds 4 organizations, 2 sites/,
      );
      expect(await counts(inv.db)).toEqual(before);
    });
  });

describe("restore refuses a bad export, naming the line, and keeps the inventory empty", () => {
  const [b] = backends() as [Backend];
  let src: OpenInventory;
  let dst: OpenInventory;
  let lines: string[];
  beforeAll(async () => {
    src = await b.open();
    await fill(src);
    lines = (await exportText(src.db)).trimEnd().split("\n");
    dst = await b.open();
  });
  afterAll(async () => {
    await b.close(src);
    await b.close(dst);
  });

  const lineOf = (table: string, n = 0) =>
    lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith(`{"table":"${table}"`))[n]![1];
  const edit = (i: number, f: (v: Record<string, unknown>) => void) => {
    const copy = [...lines];
    const v = JSON.parse(copy[i]!) as Record<string, unknown>;
    f(v);
    copy[i] = JSON.stringify(v);
    return copy;
  };
  const restore = (ls: string[]) => restoreInventory(dst.db, linesOf(`${ls.join("\n")}\n`, 13), "dump.jsonl");
  const cases: [string, () => string[], RegExp][] = [
    [
      "a line that is not JSON",
      () => lines.map((l, i) => (i === 5 ? l.slice(0, -3) : l)),
      /^dump\.jsonl:6: not JSON/,
    ],
    [
      "a column of the wrong kind",
      () => edit(lineOf("devices", 1), (v) => ((v.row as Record<string, unknown>).confidence = "high")),
      /^dump\.jsonl:(\d+): devices: confidence: /,
    ],
    [
      "a timestamp in another form",
      () => edit(lineOf("scans"), (v) => ((v.row as Record<string, unknown>).started_at = "yesterday")),
      /: scans: started_at: expected UTC ISO time/,
    ],
    [
      "an unknown column",
      () => edit(lineOf("sites"), (v) => ((v.row as Record<string, unknown>).evil = 1)),
      /: sites: .*evil/i,
    ],
    [
      "an unknown table",
      () => edit(lineOf("sites"), (v) => (v.table = "pg_authid")),
      /unknown table "pg_authid"/,
    ],
    [
      "a table out of order",
      () => {
        const copy = [...lines];
        const [entry] = copy.splice(lineOf("audit_log"), 1);
        copy.splice(lineOf("devices"), 0, entry!); // before the devices: earlier in the file than its table
        return copy;
      },
      /^dump\.jsonl:\d+: a row of devices after rows of audit_log/,
    ],
    [
      "a row whose parent is missing (the database's refusal, named by line)",
      () =>
        lines
          .filter((l) => !l.startsWith('{"table":"scans"'))
          .map((l) => (l.startsWith('{"end"') ? l.replace(/"scans":\d+/, '"scans":0') : l)),
      /: devices: the database refused the row: .*foreign key/,
    ],
    ["a file cut short", () => lines.slice(0, -1), /cut short/],
    [
      "an end line that miscounts",
      () => edit(lines.length - 1, (v) => ((v.end as { rows: Record<string, number> }).rows.sites = 7)),
      /counts 7 rows of sites, the file holds 2/,
    ],
    [
      "an altered audit entry",
      () =>
        edit(lineOf("audit_log", 1), (v) => ((v.row as Record<string, unknown>).reason = "nothing to see")),
      /audit log does not verify: entry 2 was altered/,
    ],
    [
      "a removed last audit entry",
      () => {
        const n = lines.filter((l) => l.startsWith('{"table":"audit_log"')).length;
        return lines
          .filter((_, i) => i !== lineOf("audit_log", n - 1))
          .map((l) => (l.startsWith('{"end"') ? l.replace(`"audit_log":${n}`, `"audit_log":${n - 1}`) : l));
      },
      /audit log ends at (\d+):[0-9a-f]{64} but its header names (\d+):/,
    ],
    [
      "another schema",
      () => edit(0, (v) => (v.schema = [1, 2, 3])),
      /^dump\.jsonl:1: the export is of schema \[1,2,3\]/,
    ],
    ["no header", () => lines.slice(1), /^dump\.jsonl:1: not a camsweep export header/],
  ];
  for (const [name, make, error] of cases)
    it(name, async () => {
      const bad = make();
      const err = await restore(bad).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(error);
      // The line named is the line changed: find it back in the file.
      const m = /^dump\.jsonl:(\d+): (devices|scans|sites): /.exec(err!.message);
      if (m) expect(bad[Number(m[1]) - 1]).toContain(`{"table":"${m[2]}"`);
      expect((await counts(dst.db)).every((n) => n === 0)).toBe(true);
    });

  it("restores the untouched file after all those refusals", async () => {
    await restore(lines);
    expect(await counts(dst.db)).toEqual(await counts(src.db));
  });
});

describe("numberedLines", () => {
  it("splits on \\n and \\r\\n across chunks, keeps split UTF-8 characters whole, numbers from 1", async () => {
    const text = "a☃b\r\n\nsecond é\nlast";
    for (const size of [1, 2, 3, 5, 100]) {
      const got: [number, string][] = [];
      for await (const { no, line } of linesOf(text, size)) got.push([no, line]);
      expect(got).toEqual([
        [1, "a☃b"],
        [2, ""],
        [3, "second é"],
        [4, "last"],
      ]);
    }
  });

  it("refuses a line longer than its bound instead of holding it", async () => {
    const read = async () => {
      for await (const l of numberedLines(
        Readable.from([Buffer.from("ok\n"), Buffer.alloc(50, 65), Buffer.alloc(50, 65)]),
        64,
      ))
        void l;
    };
    await expect(read()).rejects.toThrow(/line 2 is longer than 64 bytes/);
  });
});
