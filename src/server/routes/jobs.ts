import { rm } from "node:fs/promises";
import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { CredentialSet } from "../../credentials/index.js";
import type { OpenInventory } from "../../inventory/index.js";
import type { Principal } from "../../inventory/users.js";
import { Job as JobBody, JobStarted, Jobs, ScanBody } from "../../shared/wire/jobs.js";
import type { StandingScope } from "../../targets/index.js";
import { requireRole, signedIn } from "../auth.js";
import { HttpError } from "../errors.js";
import {
  checkImport,
  IMPORT_FORMAT_IDS,
  importJob,
  MAX_UPLOAD_BYTES,
  receiveUpload,
} from "../jobs/import-job.js";
import { type Job, JobRegistry } from "../jobs/jobs.js";
import { checkScan, scanJob, WEB_MAX_HOSTS } from "../jobs/scan-job.js";
import { streamJob } from "../jobs/sse.js";
import { addRoute, ErrorBody, type OpenApiPaths, refuseQuery } from "../route.js";

/**
 * Scans and imports as background jobs of the server: started by an admin or an organization's auditor, listed
 * and watched (Server-Sent Events) by whoever sees the organization, cancelled by the one who started it, an
 * admin, or an auditor of the same organization. The same checks and code as `camsweep scan` and `camsweep import`.
 */

export interface JobOptions {
  /** `camsweep serve --allow` CIDRs: every scanned address must be inside. Empty (and no scope): no web scans. */
  allow: string[];
  /** the config file's allow-list (and a scope file's) as standing scopes: allow narrows them, never widens */
  scope?: StandingScope[];
  /** never scanned (the config's exclude list) */
  exclude?: string[];
  /** most hosts one scan may cover (default and ceiling 65536) */
  maxHosts?: number;
  /** ports when a request names none (the config's ports; default the camera ports) */
  ports?: string;
  /** unicast UDP discovery probes (default true, as `camsweep scan`) */
  udp?: boolean;
  /** authorized credentials for read-only authenticated requests (`camsweep scan --credentials`) */
  credentials?: CredentialSet;
  /** largest upload, bytes (default 64 MiB) */
  maxUploadBytes?: number;
  /** the registry (default: a new one with 2 jobs at once, finished ones kept 1 hour) */
  jobs?: JobRegistry;
  /** SSE keep-alive comment interval, ms (default 15 s) */
  keepAliveMs?: number;
}

const errorResponse = {
  description: "refused, with the reason",
  content: { "application/json": { schema: z.toJSONSchema(ErrorBody) } },
};

const JobId = z.object({ id: z.uuid() }).strict();
const STARTERS = ["admin", "auditor"] as const;

/** A job the principal may see: every one for a user of all organizations, else their organization's. */
const sees = (p: Principal, j: Job) => p.organizationId === null || j.organizationId === p.organizationId;

/**
 * Registers the job endpoints and returns the registry. The registry is closed (running jobs cancelled and
 * awaited, event streams ended) when the server closes.
 */
export function jobRoutes(
  app: FastifyInstance,
  paths: OpenApiPaths,
  inv: OpenInventory,
  o: JobOptions,
): JobRegistry {
  const jobs = o.jobs ?? new JobRegistry({ onError: (e) => app.log.error(e) });
  const streams = new Set<() => void>();
  const policy = {
    allow: o.allow,
    scope: o.scope ?? [],
    exclude: o.exclude ?? [],
    maxHosts: Math.min(o.maxHosts ?? WEB_MAX_HOSTS, WEB_MAX_HOSTS),
    ...(o.ports ? { ports: o.ports } : {}),
    udp: o.udp ?? true,
    ...(o.credentials ? { credentials: o.credentials } : {}),
  };
  // preClose: before the server waits for its connections, which open event streams would otherwise hold.
  app.addHook("preClose", async () => {
    await jobs.close();
    for (const end of [...streams]) end();
  });

  const visible = (p: Principal, id: string): Job => {
    const j = jobs.get(id);
    if (!j || !sees(p, j)) throw new HttpError(404, `job ${id}: no such job`);
    return j;
  };

  addRoute(
    app,
    paths,
    {
      method: "POST",
      url: "/api/v1/jobs/scan",
      summary:
        "start a scan in the background (admin, or an auditor inside their organization's site networks); " +
        "addresses, ranges and CIDRs only, inside the server's --allow list",
      body: ScanBody,
      response: JobStarted,
    },
    async ({ body, principal }) => {
      requireRole(principal, STARTERS);
      const checked = await checkScan(inv, principal, body, policy);
      return { id: jobs.start(scanJob(inv, principal, checked, policy)).id };
    },
  );

  addRoute(
    app,
    paths,
    {
      method: "GET",
      url: "/api/v1/jobs",
      summary:
        "the jobs of the caller's organization (all of them for a user of every organization), newest first",
      response: Jobs,
    },
    async ({ principal }) => ({ jobs: jobs.list().filter((j) => sees(principal, j)) }),
  );

  addRoute(
    app,
    paths,
    { method: "GET", url: "/api/v1/jobs/:id", summary: "one job", params: JobId, response: JobBody },
    async ({ params, principal }) => visible(principal, params.id),
  );

  addRoute(
    app,
    paths,
    {
      method: "DELETE",
      url: "/api/v1/jobs/:id",
      summary:
        "cancel a job (who started it, an admin, or an auditor of its organization); a scan keeps the hosts it " +
        "finished (status interrupted), an import its whole batches",
      params: JobId,
      response: JobBody,
    },
    async ({ params, principal }) => {
      const j = visible(principal, params.id);
      const mayCancel =
        jobs.starter(j.id) === principal.id ||
        principal.role === "admin" ||
        (principal.role === "auditor" && j.organizationId === principal.organizationId);
      if (!mayCancel)
        throw new HttpError(
          403,
          `${principal.role} may not cancel ${j.by}'s job (the starter, an admin or an auditor of its organization may)`,
        );
      return (await jobs.cancel(j.id)) ?? j;
    },
  );

  // The event stream is not JSON: registered directly, documented by hand.
  app.get("/api/v1/jobs/:id/events", async (req, reply) => {
    const p = signedIn(req);
    refuseQuery(req);
    const parsed = JobId.safeParse(req.params);
    if (!parsed.success) throw new HttpError(400, "path: id: expected a job id (uuid)");
    visible(p, parsed.data.id);
    if (!streamJob(reply, jobs, parsed.data.id, { keepAliveMs: o.keepAliveMs, open: streams }))
      throw new HttpError(404, `job ${parsed.data.id}: no such job`);
    return reply;
  });
  paths["/api/v1/jobs/{id}/events"] = {
    get: {
      summary:
        "a job's live events (text/event-stream): progress (data: Job), device (data: {address, manufacturer, " +
        "model, restricted}), end (data: Job); the stream closes after end",
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      responses: {
        "200": {
          description: "the event stream",
          content: { "text/event-stream": { schema: { type: "string" } } },
        },
        "4XX": errorResponse,
      },
    },
  };

  // The server registers multipart for every upload route; where it has not (a bare instance), it is parsed in
  // this plugin's scope only. The limits are set per request either way (receiveUpload).
  const maxUpload = o.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  void app.register(async (scope) => {
    if (!scope.hasContentTypeParser("multipart/form-data"))
      await scope.register(multipart, {
        limits: { files: 1, fileSize: maxUpload, fields: 4, fieldSize: 200, parts: 5 },
      });
    scope.post("/api/v1/jobs/import", async (req) => {
      const p = signedIn(req);
      requireRole(p, STARTERS);
      refuseQuery(req);
      const upload = await receiveUpload(req, maxUpload);
      try {
        const checked = await checkImport(inv, p, upload.fields);
        return { id: jobs.start(importJob(inv, p, upload, checked)).id };
      } catch (e) {
        // Refused: the upload goes now (a started job removes it when it ends).
        await rm(upload.dir, { recursive: true, force: true });
        throw e;
      }
    });
  });
  paths["/api/v1/jobs/import"] = {
    post: {
      summary:
        "start an import in the background (admin, or an auditor into one of their organization's sites): " +
        `multipart/form-data with format (${IMPORT_FORMAT_IDS.join(", ")}), file and optional site`,
      requestBody: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              required: ["format", "file"],
              properties: {
                format: { type: "string", enum: IMPORT_FORMAT_IDS },
                site: { type: "string" },
                file: { type: "string", format: "binary" },
              },
            },
          },
        },
      },
      responses: {
        "200": {
          description: "OK",
          content: { "application/json": { schema: z.toJSONSchema(JobStarted) } },
        },
        "4XX": errorResponse,
      },
    },
  };
  return jobs;
}
