import type { FastifyInstance } from "fastify";

/**
 * Headers on every response: a Content-Security-Policy without 'unsafe-inline' (the web app's scripts and styles
 * come from files on this origin), no framing, no MIME sniffing, no referrer, and HSTS when the request came over
 * TLS. The API's JSON is never rendered as a page, but a browser told nothing might try.
 */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function securityHeaders(app: FastifyInstance): void {
  app.addHook("onSend", async (req, reply) => {
    reply.header("Content-Security-Policy", CSP);
    reply.header("X-Frame-Options", "DENY");
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("Referrer-Policy", "no-referrer");
    reply.header("Cross-Origin-Opener-Policy", "same-origin");
    if (req.protocol === "https")
      reply.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  });
}
