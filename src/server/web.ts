import { existsSync } from "node:fs";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { packagePath } from "../shared/paths.js";

/** Where `npm run build` puts the web app (src/web, built by Vite). */
export const WEB_DIR = packagePath("dist", "web");

/**
 * The web app: its built files, and index.html for any other path that is not the API's (the app routes in the
 * browser). Hashed assets may be cached for long; index.html never, so a new version is picked up at once.
 */
export async function webApp(app: FastifyInstance, dir = WEB_DIR): Promise<boolean> {
  if (!existsSync(`${dir}/index.html`)) return false;
  await app.register(fastifyStatic, {
    root: dir,
    wildcard: false,
    index: false,
    setHeaders: (reply, path) =>
      reply.header(
        "Cache-Control",
        /[/\\]assets[/\\]/.test(path) ? "public, max-age=31536000, immutable" : "no-cache",
      ),
  });
  app.get("/", (_req, reply) => reply.header("Cache-Control", "no-cache").sendFile("index.html"));
  return true;
}

/** A browser asking for one of the app's own pages (not the API, not a file): it gets the app. */
export const isAppPage = (method: string, url: string) =>
  method === "GET" && !url.startsWith("/api/") && !/\.[a-z0-9]{1,8}(\?|$)/i.test(url);
