import { createHash } from "node:crypto";
import { userInfo } from "node:os";
import { canonicalJson, storableJson, storableText } from "./canonical-json.js";
import type { Queryable } from "./db.js";

/**
 * The tamper-evident audit log (migrations/005_audit.sql): every change to the inventory appended as one entry of a
 * hash chain, in the same transaction as the change.
 *
 * ## What is hashed, exactly
 * An entry's `hash` is the lowercase hex SHA-256 of the UTF-8 bytes of the canonical JSON (RFC 8785: no whitespace,
 * keys sorted by UTF-16 code units, ECMAScript number and string forms; canonical-json.ts) of this array:
 *
 *     ["camsweep-audit/1", seq, at, actor, action, entity, entity_id, reason, data, prev_hash]
 *
 * seq a number (1, 2, ...), at the ISO text stored verbatim (`2026-11-22T18:01:55.443021Z`, UTC, microseconds),
 * entity_id and reason null when absent, data the JSON value as stored, prev_hash the previous entry's hash or 64
 * zeros for entry 1. Anyone can recompute a chain from an export with nothing but SHA-256 and that rule.
 *
 * ## Vocabulary (the lead's write paths follow it; `AuditEntity` and `AuditAction` hold it for the compiler)
 * | entity         | entity_id            | actions                      | data                                        |
 * | organization   | its slug             | create, update, delete       | create: the fields; update: {changes}       |
 * | site           | its slug             | create, update, delete       | same; the organization in the fields        |
 * | segment        | `site/cidr`          | create, update, delete       | {site, cidr, name}                          |
 * | scan           | the run's id         | start, resume, finish        | start: {kind, args}; finish: {status, hosts, devices} |
 * | device         | the device id        | create, update, merge, delete, assign | create: identity fields + {scan}; update: {changes, scan}; merge: {from: [ids]}; assign: {site} |
 * | conflict       | the conflict's id    | create, resolve              | create: {device, field, held, offered, scan}; resolve: {decision, value} |
 * | import         | the run's id         | start, finish                | start: {format, file, digest, site}; finish: {rows, skipped, devices} |
 * | assessment     | the run's id         | start, finish                | start: the run (AssessmentRun); finish: {status, devices, counts, changes} |
 * | remediation    | the device id        | transition, sanitize         | transition: {from, to, date, storage?, scan?, evidence?: [sha256]}; sanitize: {sanitization, medium, method, technique, date, by, certificate, evidence?} |
 * | evidence       | its SHA-256          | create                       | {size, name} (the bytes are in table evidence) |
 * | exception      | its number           | request, approve, reject, revoke, expire | request: {device, justification, controls, until}; approve: {until, decision}; others: {decision} |
 * | plan           | its id               | create                       | {organization, phases, budget, start, totalCost, costModel} |
 * | procurement-list | its number         | create, delete               | create: {organization, kind, field, value, reason}; delete: {reason} |
 * | user           | its id               | create                       | {name, role, organization} (never the password) |
 * | token          | its id               | create, revoke               | create: {user, name, scope, expires} (never the secret) |
 * | session        | the user's id        | start, finish                | {} (a login and a logout; the actor is the user) |
 *
 * `changes` is `{field: [before, after]}` with only the fields that changed. Runs of kind scan, identify and listen
 * are entity `scan` (the kind in data); an import run (scans.kind 'import') is entity `import`; the devices either
 * records are entity `device`, with the run's id in data.scan. `reason` is the user's own words (`--reason`),
 * never filled in by camsweep. Nothing secret goes in data: no credential, password or token (a scan's args are
 * its flags, not the credentials file's content).
 * One entry per changed record is the unit: a recorded host whose identity fields did not change (only last_seen)
 * appends nothing. A bulk write (an import batch) may append one entry for the batch instead of one per device,
 * entity `device`, entity_id null, data {scan, created: [ids], updated: {id: changes}}: an append costs three
 * statements under a lock, too many for a million-row import.
 *
 * ## Restore and the head
 * `camsweep restore` copies the chain as it was, adding nothing, so a restored inventory has the exported head.
 * A chain alone cannot show that its newest entries were cut off (the rest still links): the head (last seq:hash)
 * is printed by `audit verify` and written into every export, and `audit verify --expect-head SEQ:HASH` compares.
 */
export type AuditEntity =
  | "organization"
  | "site"
  | "segment"
  | "scan"
  | "device"
  | "conflict"
  | "import"
  | "assessment"
  | "remediation"
  | "evidence"
  | "exception"
  | "plan"
  | "procurement-list"
  | "user"
  | "token"
  | "session";
export type AuditAction =
  | "create"
  | "update"
  | "delete"
  | "start"
  | "resume"
  | "finish"
  | "merge"
  | "assign"
  | "resolve"
  | "transition"
  | "sanitize"
  | "request"
  | "approve"
  | "reject"
  | "revoke"
  | "expire";

export interface AuditEntry {
  /** default: the OS user running camsweep */
  actor?: string;
  action: AuditAction;
  entity: AuditEntity;
  entityId?: string | null;
  reason?: string | null;
  data: unknown;
}

/** Who acts and why, for every entry a store appends (the CLI's --actor and --reason; a web session's user). */
export type AuditContext = Pick<AuditEntry, "actor" | "reason">;

export interface AuditHead {
  seq: number;
  hash: string;
}

/** One stored entry, as `audit log` and export read it. */
export interface AuditRecord extends AuditHead {
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  reason: string | null;
  data: unknown;
  prevHash: string;
}

export const AUDIT_FORMAT = "camsweep-audit/1";
export const GENESIS_HASH = "0".repeat(64);
/** Data larger than this (canonical JSON) is kept as its size and digest: one huge value must not bloat the log. */
export const MAX_DATA_BYTES = 1 << 20;
/** First key of the two-key advisory lock that serializes appenders (the second: the schema), apart from others' keys. */
const LOCK_CLASS = 0x61756474; // "audt"
const AT_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
/** seq as text (BIGINT's form differs by driver): ORDER BY must then name audit_log.seq, not the text alias. */
const COLUMNS = "seq::text AS seq, at, actor, action, entity, entity_id, reason, data, prev_hash, hash";

/** The SHA-256 of an entry's fields and its predecessor's hash, as defined above. */
export function auditHash(e: Omit<AuditRecord, "hash">): string {
  const fields = [
    AUDIT_FORMAT,
    e.seq,
    e.at,
    e.actor,
    e.action,
    e.entity,
    e.entityId,
    e.reason,
    e.data,
    e.prevHash,
  ];
  return createHash("sha256").update(canonicalJson(fields), "utf8").digest("hex");
}

/** The OS user, or "unknown" where the system has no name for this uid (a container without a passwd entry). */
export function defaultActor(): string {
  try {
    return userInfo().username || "unknown";
  } catch {
    return process.env.USER || "unknown";
  }
}

/**
 * Appends one entry inside the caller's transaction (pass the transaction's Queryable: outside one, the lock ends
 * with its statement and two appenders could race; the seq primary key would then refuse the second, not fork the
 * chain). An advisory transaction lock serializes appenders across connections until commit.
 */
export async function appendAudit(q: Queryable, entry: AuditEntry): Promise<AuditRecord> {
  await q.query(`SELECT pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(current_schema()))`);
  // clock_timestamp(), read under the lock: times rise with seq (now() is the transaction's start).
  const { rows } = await q.query<{ seq: string | null; hash: string | null; at: string }>(
    `SELECT l.seq::text AS seq, l.hash, to_char(clock_timestamp() AT TIME ZONE 'UTC', ${AT_FORMAT}) AS at
       FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) l ON true`,
  );
  const last = rows[0];
  if (!last) throw new Error("audit: no row from the head query");
  const e: Omit<AuditRecord, "hash"> = {
    seq: last.seq === null ? 1 : Number(last.seq) + 1,
    at: last.at,
    actor: text(entry.actor ?? defaultActor(), 200),
    action: text(entry.action, 64),
    entity: text(entry.entity, 64),
    entityId: entry.entityId == null ? null : text(entry.entityId, 1000),
    reason: entry.reason == null ? null : text(entry.reason, 4000),
    data: boundedData(entry.data),
    prevHash: last.hash ?? GENESIS_HASH,
  };
  const record = { ...e, hash: auditHash(e) };
  await q.query(
    `INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, reason, data, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      String(record.seq),
      record.at,
      record.actor,
      record.action,
      record.entity,
      record.entityId,
      record.reason,
      JSON.stringify(record.data),
      record.prevHash,
      record.hash,
    ],
  );
  return record;
}

function text(s: string, max: number): string {
  const t = storableText(String(s));
  return t.length > max ? t.slice(0, max) : t;
}

function boundedData(data: unknown): unknown {
  const v = storableJson(data);
  const canon = canonicalJson(v);
  const bytes = Buffer.byteLength(canon, "utf8");
  if (bytes <= MAX_DATA_BYTES) return v;
  return { truncated: true, bytes, sha256: createHash("sha256").update(canon, "utf8").digest("hex") };
}

/** The newest entry's seq and hash, null for an empty log. */
export async function auditHead(q: Queryable): Promise<AuditHead | null> {
  const { rows } = await q.query<{ seq: string; hash: string }>(
    "SELECT seq::text AS seq, hash FROM audit_log ORDER BY audit_log.seq DESC LIMIT 1",
  );
  const r = rows[0];
  return r ? { seq: Number(r.seq), hash: r.hash } : null;
}

export const formatHead = (h: AuditHead | null): string => (h ? `${h.seq}:${h.hash}` : "empty");

/** "SEQ:HASH" as `audit verify` prints it; null if it is not one. */
export function parseHead(s: string): AuditHead | null {
  const m = /^\s*(\d{1,15}):([0-9a-fA-F]{64})\s*$/.exec(s);
  return m && Number(m[1]) >= 1 ? { seq: Number(m[1]), hash: m[2]!.toLowerCase() } : null;
}

/** The newest `limit` entries, newest first. */
export async function listAudit(q: Queryable, limit: number): Promise<AuditRecord[]> {
  const { rows } = await q.query<AuditRow>(
    `SELECT ${COLUMNS} FROM audit_log ORDER BY audit_log.seq DESC LIMIT $1`,
    [limit],
  );
  return rows.map(toRecord);
}

/** Every entry in seq order, a page at a time (bounded memory whatever the log's length). */
export async function* auditEntries(q: Queryable, pageSize = 1000): AsyncGenerator<AuditRecord> {
  let after = "0";
  for (;;) {
    const { rows } = await q.query<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_log WHERE seq > $1::bigint ORDER BY audit_log.seq LIMIT $2`,
      [after, pageSize],
    );
    for (const r of rows) yield toRecord(r);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.seq;
  }
}

export type AuditBreakKind = "altered" | "missing" | "reordered" | "truncated" | "head-mismatch";

export interface AuditBreak {
  kind: AuditBreakKind;
  /** the entry where the chain first fails */
  seq: number;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  /** entries checked and found linked, before the break if any */
  entries: number;
  /** the newest entry read (the whole log's head when ok) */
  head: AuditHead | null;
  break?: AuditBreak;
}

/**
 * Walks the chain in seq order and reports the first broken link: a gap in seq (an entry removed), an entry whose
 * prev_hash is not its predecessor's hash (entries reordered, or an earlier one rewritten with a recomputed hash),
 * an entry whose content does not hash to its stored hash (altered). With `expectHead` (a head noted earlier), also
 * a log cut short before that seq (truncated) or whose entry there now has another hash (rewritten up to it).
 */
export async function verifyAudit(
  q: Queryable,
  opts: { expectHead?: AuditHead | null; pageSize?: number } = {},
): Promise<AuditVerification> {
  let prev: AuditHead | null = null;
  let entries = 0;
  let seenExpected: string | null = null;
  const broken = (kind: AuditBreakKind, seq: number, message: string): AuditVerification => ({
    ok: false,
    entries,
    head: prev,
    break: { kind, seq, message },
  });
  for await (const e of auditEntries(q, opts.pageSize)) {
    const want: number = (prev?.seq ?? 0) + 1;
    if (e.seq !== want) {
      const span = e.seq - want === 1 ? `entry ${want} is` : `entries ${want}..${e.seq - 1} are`;
      return broken(
        "missing",
        want,
        `${span} missing: the log goes from ${prev?.seq ?? "its start"} to ${e.seq}`,
      );
    }
    const prevHash = prev?.hash ?? GENESIS_HASH;
    if (e.prevHash !== prevHash) {
      return broken(
        "reordered",
        e.seq,
        e.seq === 1
          ? `entry 1 does not start the chain: its prev_hash is ${e.prevHash}, not ${GENESIS_HASH}`
          : `entry ${e.seq} does not follow entry ${e.seq - 1}: its prev_hash is ${e.prevHash}, entry ${e.seq - 1}'s hash is ${prevHash} (entries reordered, or entry ${e.seq - 1} rewritten)`,
      );
    }
    const actual = auditHash(e);
    if (actual !== e.hash) {
      return broken(
        "altered",
        e.seq,
        `entry ${e.seq} was altered: its content hashes to ${actual}, its stored hash is ${e.hash}`,
      );
    }
    if (opts.expectHead && e.seq === opts.expectHead.seq) seenExpected = e.hash;
    prev = { seq: e.seq, hash: e.hash };
    entries++;
  }
  const expect = opts.expectHead;
  if (expect) {
    if (seenExpected === null) {
      const upTo = prev?.seq ?? 0;
      return broken(
        "truncated",
        upTo + 1,
        `the log ends at ${upTo === 0 ? "no entry" : `entry ${upTo}`} but the expected head is entry ${expect.seq}: ` +
          `${expect.seq - upTo === 1 ? `entry ${expect.seq} was` : `entries ${upTo + 1}..${expect.seq} were`} removed`,
      );
    }
    if (seenExpected !== expect.hash) {
      return broken(
        "head-mismatch",
        expect.seq,
        `entry ${expect.seq}'s hash is ${seenExpected}, the expected head says ${expect.hash}: the log was rewritten up to entry ${expect.seq}`,
      );
    }
  }
  return { ok: true, entries, head: prev };
}

interface AuditRow {
  seq: string;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  reason: string | null;
  data: unknown;
  prev_hash: string;
  hash: string;
}

function toRecord(r: AuditRow): AuditRecord {
  return {
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    reason: r.reason,
    data: r.data,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
