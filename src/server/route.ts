import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Principal } from "../inventory/users.js";
import { HttpError } from "./errors.js";

/**
 * One API route: its zod schemas are both what validates the request (strictly: an unknown field is a 400, not
 * ignored) and what the OpenAPI document at /api/docs says (z.toJSONSchema). A route exists once, in one place.
 */
export interface RouteSpec<
  Q extends z.ZodType,
  P extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
> {
  method: "GET" | "POST" | "DELETE";
  url: string;
  summary: string;
  /** who may call it; absent: any signed-in user */
  query?: Q;
  params?: P;
  body?: B;
  response: R;
  /** false: no credentials needed */
  auth?: boolean;
  /** Fastify route config (a rate limit) */
  config?: Record<string, unknown>;
}

export interface Handled<Q, P, B> {
  query: Q;
  params: P;
  body: B;
  principal: Principal;
  req: FastifyRequest;
  reply: FastifyReply;
}

export interface OpenApiPaths {
  [path: string]: Record<string, unknown>;
}

export const issues = (e: z.ZodError) =>
  e.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");

/** What a route without a query takes: nothing. An unknown field is refused, never ignored. */
const NO_QUERY = z.object({}).strict();

/** For the routes written by hand (files, uploads, streams): they take no query either. */
export function refuseQuery(req: FastifyRequest): void {
  parse(NO_QUERY, req.query, "query");
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.output<T> {
  if (!schema) return undefined as z.output<T>;
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new HttpError(400, `${where}: ${issues(r.error)}`);
  return r.data;
}

/** OpenAPI wants `{id}` where Fastify writes `:id`. */
const openApiPath = (url: string) => url.replace(/:(\w+)/g, "{$1}");

export function addRoute<Q extends z.ZodType, P extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  app: FastifyInstance,
  paths: OpenApiPaths,
  spec: RouteSpec<Q, P, B, R>,
  handler: (h: Handled<z.output<Q>, z.output<P>, z.output<B>>) => Promise<z.input<R>>,
): void {
  app.route({
    method: spec.method,
    url: spec.url,
    ...(spec.config ? { config: spec.config } : {}),
    handler: async (req, reply) => {
      const principal = req.principal;
      if (spec.auth !== false && !principal) throw new HttpError(401, "sign in first");
      const out = await handler({
        // A route without a query still refuses one: an unknown field is never ignored.
        query: parse(spec.query ?? NO_QUERY, req.query, "query") as z.output<Q>,
        params: parse(spec.params, req.params, "path"),
        body: parse(spec.body, req.body, "body"),
        principal: principal as Principal,
        req,
        reply,
      });
      // The response schema is the presenter's contract: what it does not name never leaves.
      return spec.response.parse(out);
    },
  });
  const parameters = [
    ...Object.entries(shapeOf(spec.params)).map(([name, s]) => ({
      name,
      in: "path",
      required: true,
      schema: s,
    })),
    ...Object.entries(shapeOf(spec.query)).map(([name, s]) => ({ name, in: "query", schema: s })),
  ];
  (paths[openApiPath(spec.url)] ??= {})[spec.method.toLowerCase()] = {
    summary: spec.summary,
    ...(spec.auth === false ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: z.toJSONSchema(spec.body) } },
          },
        }
      : {}),
    responses: {
      "200": {
        description: "OK",
        content: { "application/json": { schema: z.toJSONSchema(spec.response, { io: "input" }) } },
      },
      "4XX": {
        description: "refused, with the reason",
        content: { "application/json": { schema: ERROR_JSON } },
      },
    },
  };
}

function shapeOf(schema: z.ZodType | undefined): Record<string, unknown> {
  if (!schema) return {};
  const json = z.toJSONSchema(schema) as { properties?: Record<string, unknown> };
  return json.properties ?? {};
}

export const ErrorBody = z.object({ error: z.string(), status: z.number().int() });
const ERROR_JSON = z.toJSONSchema(ErrorBody);
