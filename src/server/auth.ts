import type { FastifyRequest } from "fastify";
import type { OpenInventory } from "../inventory/index.js";
import { principalForSession } from "../inventory/sessions.js";
import { principalForToken, type Principal, type Role } from "../inventory/users.js";
import { HttpError } from "./errors.js";

/**
 * Who is asking, and what they may do: a read token may only read; an organization's user sees only its
 * organization. Pure checks beside the one lookup.
 */

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const SESSION_COOKIE = "camsweep_session";
export const CSRF_HEADER = "x-csrf-token";

/**
 * The principal of a request: a token (Authorization: Bearer) or a session cookie; null when it brings neither.
 * A write made with a cookie must carry the session's CSRF token in X-CSRF-Token: a page on another site can make
 * the browser send the cookie, never read the token.
 */
export async function authenticate(inv: OpenInventory, req: FastifyRequest): Promise<Principal | null> {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer ([\x21-\x7e]{1,200})$/.exec(header);
    if (!m) throw new HttpError(401, "Authorization: expected Bearer <token>");
    const p = await principalForToken(inv.db, m[1]!);
    if (!p) throw new HttpError(401, "token unknown, revoked or expired");
    return p;
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (!cookie) return null;
  const csrf = req.headers[CSRF_HEADER];
  const s = await principalForSession(inv.db, cookie, typeof csrf === "string" ? csrf : undefined);
  if (!s) throw new HttpError(401, "session expired or ended: sign in again");
  if (!SAFE.has(req.method) && !s.csrfOk)
    throw new HttpError(403, `a write with a session cookie needs the session's ${CSRF_HEADER} header`);
  return s.principal;
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** A write needs a write token. */
export function checkScope(p: Principal, method: string): void {
  if (!SAFE.has(method) && p.scope !== "write")
    throw new HttpError(403, `this token's scope is read; ${method} needs a write token`);
}

/** The organization a principal may see, or null for all; a request naming another is refused, not emptied. */
export function organizationScope(p: Principal, asked: string | undefined): string | null {
  if (p.organizationId === null) return asked ?? null;
  if (asked !== undefined && asked !== p.organizationId)
    throw new HttpError(403, `organization ${asked}: ${p.name} sees only ${p.organizationId}`);
  return p.organizationId;
}

export function requireRole(p: Principal, roles: readonly Role[]): void {
  if (!roles.includes(p.role))
    throw new HttpError(403, `${p.role} may not do this (needs ${roles.join(" or ")})`);
}

/** A device the principal may see, or a 404: another organization's device is not told to exist. */
export async function deviceInScope(inv: OpenInventory, p: Principal, id: string): Promise<void> {
  const { rows } = await inv.db.query<{ organization_id: string | null }>(
    "SELECT s.organization_id FROM devices d LEFT JOIN sites s ON s.id = d.site_id WHERE d.id = $1",
    [id],
  );
  const r = rows[0];
  if (!r || (p.organizationId !== null && r.organization_id !== p.organizationId))
    throw new HttpError(404, `device ${id}: no such device`);
}

/** Who the audit log names for a write made over the API: the user, via the API ("dana (api)"). */
export const apiActor = (p: Pick<Principal, "name">) => ({ actor: `${p.name} (api)` });

/** The principal of a route written by hand (a file, an upload, a stream); addRoute checks the same. */
export function signedIn(req: FastifyRequest): Principal {
  if (!req.principal) throw new HttpError(401, "sign in first");
  return req.principal;
}
