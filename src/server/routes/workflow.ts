import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { OpenInventory } from "../../inventory/index.js";
import { Workflow } from "../../inventory/workflow.js";
import type { WORKFLOW_STATES } from "../../remediation/states.js";
import { todayUtc } from "../../shared/dates.js";
import {
  ExceptionDecided,
  ExceptionDecision,
  ExceptionRequest,
  ExceptionRequested,
  History,
  StepBody,
  StepTaken,
} from "../../shared/wire/workflow.js";
import { apiActor, deviceInScope, requireRole } from "../auth.js";
import { HttpError } from "../errors.js";
import { addRoute, type OpenApiPaths } from "../route.js";

/**
 * The removal workflow over the API, the same store calls as `camsweep remediate` and `camsweep exception`: a
 * device's history, a step, an exception request (an auditor of the device's organization, or an admin) and a
 * decision on one (an admin: the program manager reads, plans and reports). The audit actor is the user, via the API.
 */

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
      body: StepBody,
      response: StepTaken,
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
      body: ExceptionRequest,
      response: ExceptionRequested,
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
      body: ExceptionDecision,
      response: ExceptionDecided,
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
