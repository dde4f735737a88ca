import cookie from "@fastify/cookie";
import multipart from "@fastify/multipart";
import rateLimit from "@fastify/rate-limit";
import Fastify, { type FastifyInstance } from "fastify";
import type { OpenInventory } from "../inventory/index.js";
import { CamsweepError } from "../shared/errors.js";
import { packageVersion } from "../shared/paths.js";
import { authenticate, checkScope } from "./auth.js";
import { HttpError } from "./errors.js";
import { securityHeaders } from "./headers.js";
import type { OpenApiPaths } from "./route.js";
import { apiRoutes } from "./routes/api.js";
import { devicesRoutes } from "./routes/devices.js";
import { jobRoutes, type JobOptions } from "./routes/jobs.js";
import { programRoutes } from "./routes/program.js";
import { remediationRoutes } from "./routes/remediation.js";
import { sessionRoutes } from "./routes/session.js";
import { workflowRoutes } from "./routes/workflow.js";
import { isAppPage, webApp } from "./web.js";

/** Largest request body: the API takes small JSON; uploads (purchase orders) get their own limit. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * The server over one inventory, not listening: `camsweep serve` listens, tests call `inject()`. The CLI and this
 * are shells over the same store and core.
 */
export async function buildServer(o: {
  inv: OpenInventory;
  logger?: boolean;
  /** the data directory, for the user's own policy packs (screening) */
  dataDir?: string;
  /** the built web app (default dist/web); absent files: the API alone */
  webDir?: string;
  /** what scans and imports from the web may do (no allow-list: no scans) */
  jobs?: JobOptions;
}): Promise<FastifyInstance> {
  const app = Fastify({ logger: o.logger ?? false, bodyLimit: BODY_LIMIT, trustProxy: false });
  app.decorateRequest("principal", null);
  await app.register(cookie);
  // Only routes that ask for it are limited (the login); the limiter counts per client and name.
  await app.register(rateLimit, { global: false });
  // Uploads (evidence, purchase orders, imports) set their own size limits where they are read (multipart.ts).
  await app.register(multipart);
  const web = await webApp(app, o.webDir);
  securityHeaders(app);
  app.addHook("onRequest", async (req) => {
    req.principal = await authenticate(o.inv, req);
    if (req.principal) checkScope(req.principal, req.method);
  });
  const paths: OpenApiPaths = {};
  apiRoutes(app, paths, o.inv);
  devicesRoutes(app, paths, o.inv);
  remediationRoutes(app, paths, o.inv);
  programRoutes(app, paths, o.inv, o.dataDir ? { dataDir: o.dataDir } : {});
  jobRoutes(app, paths, o.inv, o.jobs ?? { allow: [] });
  sessionRoutes(app, paths, o.inv);
  workflowRoutes(app, paths, o.inv);
  const doc = {
    openapi: "3.1.0",
    info: { title: "camsweep API", version: packageVersion() },
    components: { securitySchemes: { token: { type: "http", scheme: "bearer" } } },
    security: [{ token: [] }],
    paths,
  };
  app.get("/api/docs", async () => doc);
  app.setNotFoundHandler(async (req, reply) => {
    if (web && isAppPage(req.method, req.url))
      return reply.header("Cache-Control", "no-cache").sendFile("index.html");
    return reply
      .code(404)
      .send({ error: `${req.method} ${req.url.split("?")[0]}: no such endpoint`, status: 404 });
  });
  app.setErrorHandler(async (err, _req, reply) => {
    const status =
      err instanceof HttpError
        ? err.status
        : err instanceof CamsweepError
          ? 400
          : typeof (err as { statusCode?: number }).statusCode === "number" &&
              (err as { statusCode: number }).statusCode < 500
            ? (err as { statusCode: number }).statusCode
            : 500;
    if (status >= 500) app.log.error(err);
    // A plugin may throw a plain object (the rate limiter's response) rather than an Error.
    const said = (err as { message?: unknown }).message ?? (err as { error?: unknown }).error;
    const message = status >= 500 ? "internal error" : String(said ?? "refused");
    return reply.code(status).send({ error: message, status });
  });
  return app;
}
