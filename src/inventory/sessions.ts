import { randomBytes, timingSafeEqual } from "node:crypto";
import { verifyPassword } from "../shared/passwords.js";
import { appendAudit, type AuditContext } from "./audit.js";
import type { Queryable } from "./db.js";
import { iso } from "./device-list.js";
import { sha256Of as sha256 } from "./evidence.js";
import { toUser, userColumns, userForLogin, type Principal, type User, type UserRow } from "./users.js";

/**
 * Browser sessions (migrations/011_sessions.sql): a login checks the password and opens a session whose secret
 * goes into an HttpOnly cookie and whose CSRF token goes to the page; both are kept only as SHA-256. A session
 * lasts SESSION_HOURS from login at most, ends after SESSION_IDLE_MINUTES unused, and ends at logout. Logins and
 * logouts are audited.
 */

export const SESSION_HOURS = 12;
export const SESSION_IDLE_MINUTES = 30;
/** How stale the recorded last use may get before a request writes it again: not one write per request. */
const TOUCH_SECONDS = 60;
const secret = () => randomBytes(32).toString("base64url");

/** A password that is not anyone's still costs one hash, so a wrong name and a wrong password take as long. */
const DUMMY_HASH = "scrypt$32768$8$3$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

export async function login(
  q: Queryable,
  ctx: AuditContext,
  name: string,
  password: string,
): Promise<{ user: User; session: string; csrf: string; expiresAt: string } | null> {
  const found = await userForLogin(q, name);
  const ok = await verifyPassword(password, found?.hash ?? DUMMY_HASH);
  if (!found || !ok) return null;
  const session = secret();
  const csrf = secret();
  const { rows } = await q.query<{ expires_at: Date | string }>(
    `INSERT INTO sessions (secret_sha256, user_id, csrf_sha256, created_at, expires_at)
     VALUES ($1, $2, $3, now(), now() + make_interval(hours => $4)) RETURNING expires_at`,
    [sha256(session), found.user.id, sha256(csrf), SESSION_HOURS],
  );
  await appendAudit(q, {
    ...ctx,
    actor: found.user.name,
    action: "start",
    entity: "session",
    entityId: found.user.id,
    data: {},
  });
  return { user: found.user, session, csrf, expiresAt: iso(rows[0]!.expires_at) };
}

/** Who a session cookie stands for while it lasts, and whether a CSRF token given matches the session's. */
export async function principalForSession(
  q: Queryable,
  session: string,
  csrf: string | undefined,
): Promise<{ principal: Principal; csrfOk: boolean } | null> {
  if (session.length > 100) return null;
  const { rows } = await q.query<UserRow & { csrf_sha256: string }>(
    `SELECT ${userColumns("u")}, s.csrf_sha256
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.secret_sha256 = $1 AND s.ended_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL
        AND coalesce(s.last_seen_at, s.created_at) > now() - make_interval(mins => $2)`,
    [sha256(session), SESSION_IDLE_MINUTES],
  );
  const r = rows[0];
  if (!r) return null;
  await q.query(
    `UPDATE sessions SET last_seen_at = now()
      WHERE secret_sha256 = $1 AND coalesce(last_seen_at, created_at) < now() - make_interval(secs => $2)`,
    [sha256(session), TOUCH_SECONDS],
  );
  const want = Buffer.from(r.csrf_sha256, "hex");
  const got = Buffer.from(sha256(csrf ?? ""), "hex");
  return {
    // A session acts with the user's role alone: it has no token scope to narrow it.
    principal: { ...toUser(r), scope: "write", tokenId: null },
    csrfOk: csrf !== undefined && timingSafeEqual(want, got),
  };
}

export async function logout(q: Queryable, ctx: AuditContext, session: string): Promise<void> {
  const { rows } = await q.query<{ user_id: string }>(
    "UPDATE sessions SET ended_at = now() WHERE secret_sha256 = $1 AND ended_at IS NULL RETURNING user_id",
    [sha256(session)],
  );
  if (rows[0])
    await appendAudit(q, {
      ...ctx,
      action: "finish",
      entity: "session",
      entityId: rows[0].user_id,
      data: {},
    });
}
