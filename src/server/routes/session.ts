import type { FastifyInstance } from "fastify";
import type { OpenInventory } from "../../inventory/index.js";
import { login, logout, SESSION_HOURS } from "../../inventory/sessions.js";
import { SessionStarted, SignedOut, SignIn } from "../../shared/wire/session.js";
import { SESSION_COOKIE } from "../auth.js";
import { HttpError } from "../errors.js";
import { addRoute, type OpenApiPaths } from "../route.js";

/** Logins per client address and name in LOGIN_WINDOW before the server answers 429 (guessing is slowed to a crawl). */
export const LOGIN_LIMIT = 5;
const LOGIN_WINDOW = "15 minutes";

/** Browser sign-in and sign-out: the session secret in an HttpOnly, SameSite=Strict cookie, the CSRF token in the body. */
export function sessionRoutes(app: FastifyInstance, paths: OpenApiPaths, inv: OpenInventory): void {
  addRoute(
    app,
    paths,
    {
      method: "POST",
      url: "/api/v1/session",
      summary: `sign in (at most ${LOGIN_LIMIT} tries per ${LOGIN_WINDOW} per address and name)`,
      auth: false,
      body: SignIn,
      response: SessionStarted,
      config: {
        rateLimit: {
          max: LOGIN_LIMIT,
          timeWindow: LOGIN_WINDOW,
          hook: "preHandler",
          keyGenerator: (req: { ip: string; body?: unknown }) =>
            `${req.ip}\u0000${String((req.body as { name?: unknown } | undefined)?.name ?? "").slice(0, 64)}`,
          errorResponseBuilder: (_req: unknown, ctx: { after: string }) => ({
            statusCode: 429,
            error: `too many sign-in attempts: try again in ${ctx.after}`,
            status: 429,
          }),
        },
      },
    },
    async ({ body, req, reply }) => {
      const s = await inv.db.transaction((tx) => login(tx, { actor: body.name }, body.name, body.password));
      if (!s) throw new HttpError(401, "wrong name or password");
      reply.setCookie(SESSION_COOKIE, s.session, {
        httpOnly: true,
        sameSite: "strict",
        secure: req.protocol === "https",
        path: "/",
        maxAge: SESSION_HOURS * 3600,
      });
      return {
        name: s.user.name,
        role: s.user.role,
        organizationId: s.user.organizationId,
        csrf: s.csrf,
        expiresAt: s.expiresAt,
      };
    },
  );

  addRoute(
    app,
    paths,
    {
      method: "DELETE",
      url: "/api/v1/session",
      summary: "sign out: the session ends at once",
      response: SignedOut,
    },
    async ({ req, reply, principal }) => {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) await inv.db.transaction((tx) => logout(tx, { actor: principal.name }, cookie));
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return { signedOut: true as const };
    },
  );
}
