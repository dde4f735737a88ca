import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { OpenInventory } from "../../inventory/index.js";
import { Workflow } from "../../inventory/workflow.js";
import type { STEPS } from "../../remediation/states.js";
import { STORAGE_KINDS, WORKFLOW_STATES } from "../../remediation/states.js";
import { todayUtc } from "../../shared/dates.js";
import { apiActor, deviceInScope, requireRole } from "../auth.js";
import { Day } from "./schemas.js";
import { HttpError } from "../errors.js";
import { addRoute, type OpenApiPaths } from "../route.js";

/**
 * The removal workflow over the API, the same store calls as `camsweep remediate` and `camsweep exception`: a
 * device's history, a step, an exception request (an auditor of the device's organization, or an admin) and a
 * decision on one (an admin: the program manager reads, plans and reports). The audit actor is the user, via the API.
 */

const History = z.object({
  deviceId: z.string(),
  state: z.enum(WORKFLOW_STATES),
  steps: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      at: z.string(),
      actor: z.string(),
      reason: z.string().nullable(),
    }),
  ),
});

export function workflowRoutes(app: FastifyInstance, paths: OpenApiPaths, inv: OpenInventory): void {
  const DeviceId = z.object({ id: z.uuid() }).strict();

  addRoute(
    app,
    paths,
    {
      method: "GET",
      url: "/api/v1/devices/:id/workflow",
      summary: "a device's place in the removal workflow and its steps",
      params: DeviceId,
      response: History,
    },
    async ({ params, principal }) => {
      await deviceInScope(inv, principal, params.id);
      const [h] = await new Workflow(inv.db).history(params.id, todayUtc());
      if (!h) throw new HttpError(404, `device ${params.id}: no such device`);
      return {
        deviceId: h.deviceId,
        state: h.state as (typeof WORKFLOW_STATES)[number],
        steps: h.steps.map((s) => ({ from: s.from, to: s.to, at: s.at, actor: s.actor, reason: s.reason })),
      };
    },
  );

  addRoute(
    app,
    paths,
    {
      method: "POST",
      url: "/api/v1/devices/:id/steps",
      summary: "take a workflow step for a device (admin, or an auditor of its organization)",
      params: DeviceId,
      body: z
        .object({
          step: z.enum([
            "confirmed",
            "scheduled",
            "isolated",
            "removed",
            "closed",
          ] satisfies (typeof STEPS)[number][]),
          date: Day.optional(),
          storage: z.enum(STORAGE_KINDS).optional(),
        })
        .strict(),
      response: z.object({ deviceId: z.string(), from: z.string(), to: z.string() }),
    },
    async ({ params, body, principal }) => {
      requireRole(principal, ["admin", "auditor"]);
      await deviceInScope(inv, principal, params.id);
      const r = await new Workflow(inv.db, apiActor(principal)).takeStep(todayUtc(), {
        step: body.step,
        names: [params.id],
        date: body.date ?? null,
        ...(body.storage ? { storage: body.storage } : {}),
      });
      const m = r.moved[0]!;
      return { deviceId: m.deviceId, from: m.from, to: m.to };
    },
  );

  addRoute(
    app,
    paths,
    {
      method: "POST",
      url: "/api/v1/exceptions",
      summary: "request an exception for a prohibited device (admin, or an auditor of its organization)",
      body: z
        .object({
          device: z.uuid(),
          justification: z.string().min(1).max(4000),
          controls: z.array(z.string().min(1).max(500)).min(1).max(20),
          until: Day,
        })
        .strict(),
      response: z.object({ id: z.number().int() }),
    },
    async ({ body, principal }) => {
      requireRole(principal, ["admin", "auditor"]);
      await deviceInScope(inv, principal, body.device);
      const id = await new Workflow(inv.db, apiActor(principal)).requestException(todayUtc(), body);
      return { id };
    },
  );

  addRoute(
    app,
    paths,
    {
      method: "POST",
      url: "/api/v1/exceptions/:id/decision",
      summary: "approve, reject or revoke an exception (admin; never the person who asked)",
      params: z.object({ id: z.coerce.number().int().positive() }).strict(),
      body: z
        .object({
          decision: z.enum(["approve", "reject", "revoke"]),
          note: z.string().min(1).max(4000),
          until: Day.optional(),
        })
        .strict(),
      response: z.object({ id: z.number().int(), state: z.string(), expiresOn: z.string() }),
    },
    async ({ params, body, principal }) => {
      requireRole(principal, ["admin"]);
      const r = await new Workflow(inv.db, apiActor(principal)).decideException(
        todayUtc(),
        params.id,
        body.decision,
        {
          note: body.note,
          ...(body.until ? { until: body.until } : {}),
        },
      );
      return { id: r.id, state: r.state, expiresOn: r.expiresOn };
    },
  );
}
