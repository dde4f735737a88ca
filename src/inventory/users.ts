import { randomBytes, randomUUID } from "node:crypto";
import { hashPassword, passwordProblem } from "../shared/passwords.js";
import { UsageError } from "../shared/errors.js";
import { appendAudit, type AuditContext } from "./audit.js";
import type { Queryable } from "./db.js";
import { iso } from "./device-list.js";
import { sha256Of } from "./evidence.js";
import { ROLES, type Role } from "../shared/wire/lists.js";

/**
 * The server's users and API tokens (migrations/010_users.sql). Roles: admin (everything, every organization),
 * program-manager (every organization: read, plan, report), auditor (its organization: scan, import, workflow
 * steps, exception requests), viewer (read; its organization when it has one). A token is a random secret shown
 * once; only its SHA-256 is kept. Every change is audited; nothing is deleted.
 */

// The list is the wire's (the web app reads it too).
export { ROLES, type Role };
export const TOKEN_SCOPES = ["read", "write"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface User {
  id: string;
  name: string;
  role: Role;
  /** null: every organization (admin, program manager, or a viewer of all) */
  organizationId: string | null;
  createdAt: string;
  disabled: boolean;
}

/** Who a request acts as: the user, and the token's scope when it came with one. */
export interface Principal extends User {
  scope: TokenScope;
  tokenId: string | null;
}

export interface UserRow {
  id: string;
  name: string;
  role: Role;
  organization_id: string | null;
  created_at: Date | string;
  disabled_at: Date | string | null;
  password_hash?: string;
}

export const toUser = (r: UserRow): User => ({
  id: r.id,
  name: r.name,
  role: r.role,
  organizationId: r.organization_id,
  createdAt: iso(r.created_at),
  disabled: r.disabled_at !== null,
});

/** A user's columns, for a query that reads them with another table's (`u.id, u.name, ...`). */
export const userColumns = (alias?: string) =>
  ["id", "name", "role", "organization_id", "created_at", "disabled_at"]
    .map((c) => (alias ? `${alias}.${c}` : c))
    .join(", ");
const USER_COLS = userColumns();
const NAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

export async function addUser(
  q: Queryable,
  ctx: AuditContext,
  u: { name: string; role: Role; organizationId: string | null; password: string },
): Promise<User> {
  if (!NAME.test(u.name))
    throw new UsageError(`user ${u.name}: lower-case letters, digits and . _ @ -, at most 64`);
  if (!(ROLES as readonly string[]).includes(u.role))
    throw new UsageError(`--role ${u.role}: one of ${ROLES.join(", ")}`);
  if (u.role === "auditor" && !u.organizationId)
    throw new UsageError("an auditor acts for one organization: --org");
  if ((u.role === "admin" || u.role === "program-manager") && u.organizationId)
    throw new UsageError(`a ${u.role} sees every organization: no --org`);
  const weak = passwordProblem(u.password);
  if (weak) throw new UsageError(`password: ${weak}`);
  if (u.organizationId) {
    const { rows } = await q.query("SELECT 1 FROM organizations WHERE id = $1", [u.organizationId]);
    if (!rows.length) throw new UsageError(`--org ${u.organizationId}: no such organization`);
  }
  const { rows: taken } = await q.query("SELECT 1 FROM users WHERE name = $1", [u.name]);
  if (taken.length) throw new UsageError(`user ${u.name} exists`);
  const id = randomUUID();
  const { rows } = await q.query<UserRow>(
    `INSERT INTO users (id, name, role, organization_id, password_hash, created_at)
     VALUES ($1, $2, $3, $4, $5, now()) RETURNING ${USER_COLS}`,
    [id, u.name, u.role, u.organizationId, await hashPassword(u.password)],
  );
  await appendAudit(q, {
    ...ctx,
    action: "create",
    entity: "user",
    entityId: id,
    data: { name: u.name, role: u.role, organization: u.organizationId },
  });
  return toUser(rows[0]!);
}

export async function listUsers(q: Queryable): Promise<User[]> {
  const { rows } = await q.query<UserRow>(`SELECT ${USER_COLS} FROM users ORDER BY name`);
  return rows.map(toUser);
}

/** The user and its password hash, for a login; null when there is no such (enabled) user. */
export async function userForLogin(q: Queryable, name: string): Promise<{ user: User; hash: string } | null> {
  const { rows } = await q.query<UserRow>(
    `SELECT ${USER_COLS}, password_hash FROM users WHERE name = $1 AND disabled_at IS NULL`,
    [name],
  );
  const r = rows[0];
  return r ? { user: toUser(r), hash: r.password_hash! } : null;
}

/** Tokens start with a fixed prefix so secret scanners (and people) recognise a leaked one. */
export const TOKEN_PREFIX = "csw_";

export async function createToken(
  q: Queryable,
  ctx: AuditContext,
  t: { user: string; name: string; scope: TokenScope; expiresAt: string | null },
): Promise<{ id: string; secret: string }> {
  if (!(TOKEN_SCOPES as readonly string[]).includes(t.scope))
    throw new UsageError(`--scope ${t.scope}: one of ${TOKEN_SCOPES.join(", ")}`);
  const { rows } = await q.query<{ id: string }>(
    "SELECT id FROM users WHERE name = $1 AND disabled_at IS NULL",
    [t.user],
  );
  const userId = rows[0]?.id;
  if (!userId) throw new UsageError(`user ${t.user}: no such user, or disabled`);
  const id = randomUUID();
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  await q.query(
    `INSERT INTO api_tokens (id, user_id, name, secret_sha256, scope, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, now(), $6)`,
    [id, userId, t.name, sha256Of(secret), t.scope, t.expiresAt],
  );
  await appendAudit(q, {
    ...ctx,
    action: "create",
    entity: "token",
    entityId: id,
    data: { user: t.user, name: t.name, scope: t.scope, expires: t.expiresAt },
  });
  return { id, secret };
}

/** Who a token's secret stands for, when it is current (not revoked, not expired, its user enabled). */
export async function principalForToken(q: Queryable, secret: string): Promise<Principal | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return null;
  const { rows } = await q.query<UserRow & { token_id: string; scope: TokenScope; used_lately: boolean }>(
    `SELECT ${userColumns("u")}, t.id AS token_id, t.scope,
            coalesce(t.last_used_at > now() - interval '1 minute', false) AS used_lately
       FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.secret_sha256 = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
        AND u.disabled_at IS NULL`,
    [sha256Of(secret)],
  );
  const r = rows[0];
  if (!r) return null;
  // Written at most once a minute per token: otherwise every request, a read too, would write (and flush) a row.
  if (!r.used_lately)
    await q.query(
      `UPDATE api_tokens SET last_used_at = now()
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= now() - interval '1 minute')`,
      [r.token_id],
    );
  return { ...toUser(r), scope: r.scope, tokenId: r.token_id };
}

/** Revokes a token: its owner's own, or any for an admin (the caller checks which). */
export async function revokeToken(q: Queryable, ctx: AuditContext, id: string): Promise<void> {
  const { rows } = await q.query(
    "UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id",
    [id],
  );
  if (!rows.length) throw new UsageError(`token ${id}: no such token in force`);
  await appendAudit(q, { ...ctx, action: "revoke", entity: "token", entityId: id, data: {} });
}

/** The user a token belongs to, for an ownership check. */
export async function tokenOwner(q: Queryable, id: string): Promise<string | null> {
  const { rows } = await q.query<{ user_id: string }>("SELECT user_id FROM api_tokens WHERE id = $1", [id]);
  return rows[0]?.user_id ?? null;
}
