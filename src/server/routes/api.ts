import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { OpenInventory } from "../../inventory/index.js";
import { revokeToken, tokenOwner } from "../../inventory/users.js";
import { Me, Organizations } from "../../shared/wire/session.js";
import { apiActor, organizationScope } from "../auth.js";
import { HttpError } from "../errors.js";
import { addRoute, type OpenApiPaths } from "../route.js";

/**
 * /api/v1: thin routes over the inventory. Each names its schemas (route.ts) and calls one store function; the
 * presenters below set the wire shape field by field, so a new column never leaks by accident.
 */

export function apiRoutes(app: FastifyInstance, paths: OpenApiPaths, inv: OpenInventory): void {
  addRoute(
    app,
    paths,
    {
      method: "GET",
      url: "/api/v1/health",
      summary: "the server answers (no credentials needed)",
      auth: false,
      response: z.object({ ok: z.literal(true) }),
    },
    async () => ({ ok: true as const }),
  );

  addRoute(
    app,
    paths,
    {
      method: "GET",
      url: "/api/v1/me",
      summary: "who the credentials stand for",
      response: Me,
    },
    async ({ principal: p }) => ({
      name: p.name,
      role: p.role,
      organizationId: p.organizationId,
      scope: p.scope,
    }),
  );

  addRoute(
    app,
    paths,
    {
      method: "GET",
      url: "/api/v1/organizations",
      summary: "the organizations the credentials may see",
      response: Organizations,
    },
    async ({ principal }) => {
      const mine = organizationScope(principal, undefined);
      const all = await inv.store.listOrganizations();
      return {
        organizations: all
          .filter((o) => mine === null || o.id === mine)
          .map((o) => ({ id: o.id, name: o.name, type: o.type, jurisdiction: o.jurisdiction })),
      };
    },
  );

  addRoute(
    app,
    paths,
    {
      method: "DELETE",
      url: "/api/v1/tokens/:id",
      summary: "revoke a token: one's own, or any for an admin (audited)",
      params: z.object({ id: z.uuid() }).strict(),
      response: z.object({ revoked: z.string() }),
    },
    async ({ params, principal }) => {
      const owner = await tokenOwner(inv.db, params.id);
      if (!owner || (owner !== principal.id && principal.role !== "admin"))
        throw new HttpError(404, `token ${params.id}: none of yours`);
      await inv.db.transaction((tx) => revokeToken(tx, apiActor(principal), params.id));
      return { revoked: params.id };
    },
  );
}
