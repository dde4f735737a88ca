import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { OpenInventory } from "../../inventory/index.js";
import type { ListedDevice } from "../../inventory/store.js";
import { revokeToken, ROLES, tokenOwner } from "../../inventory/users.js";
import { organizationScope } from "../auth.js";
import { HttpError } from "../errors.js";
import { addRoute, type OpenApiPaths } from "../route.js";

/**
 * /api/v1: thin routes over the inventory. Each names its schemas (route.ts) and calls one store function; the
 * presenters below set the wire shape field by field, so a new column never leaks by accident.
 */

const Device = z.object({
  id: z.string(),
  address: z.string().nullable(),
  hostname: z.string().nullable(),
  mac: z.string().nullable(),
  serial: z.string().nullable(),
  manufacturer: z.string().nullable(),
  brand: z.string().nullable(),
  model: z.string().nullable(),
  firmware: z.string().nullable(),
  deviceType: z.string(),
  restricted: z.boolean(),
  confidence: z.number(),
  siteId: z.string().nullable(),
  firstSeen: z.string(),
  lastSeen: z.string(),
});

const presentDevice = ({ record: d }: ListedDevice): z.input<typeof Device> => ({
  id: d.id,
  address: d.address,
  hostname: d.hostname,
  mac: d.mac,
  serial: d.serial,
  manufacturer: d.manufacturer,
  brand: d.brand,
  model: d.model,
  firmware: d.firmware,
  deviceType: d.deviceType,
  restricted: d.restricted,
  confidence: d.confidence,
  siteId: d.siteId,
  firstSeen: d.firstSeen,
  lastSeen: d.lastSeen,
});

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "an id: lower-case letters, digits and -");

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
      response: z.object({
        name: z.string(),
        role: z.enum(ROLES),
        organizationId: z.string().nullable(),
        scope: z.enum(["read", "write"]),
      }),
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
      url: "/api/v1/devices",
      summary: "devices, restricted first, in pages; an organization's user sees only its own",
      query: z
        .object({
          organization: Slug.optional(),
          site: Slug.optional(),
          manufacturer: z.string().min(1).max(64).optional(),
          restricted: z.enum(["true", "false"]).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          after: z.string().min(1).max(2048).optional(),
        })
        .strict(),
      response: z.object({ devices: z.array(Device), next: z.string().nullable() }),
    },
    async ({ query: q, principal }) => {
      const organization = organizationScope(principal, q.organization);
      const devices: ListedDevice[] = [];
      const next = await inv.store.eachDevicePage(
        {
          ...(organization ? { organization } : {}),
          ...(q.site ? { site: q.site } : {}),
          ...(q.manufacturer ? { manufacturer: q.manufacturer } : {}),
          ...(q.restricted ? { restricted: q.restricted === "true" } : {}),
        },
        (page) => void devices.push(...page),
        { limit: q.limit, ...(q.after ? { after: q.after } : {}), details: false },
      );
      return { devices: devices.map(presentDevice), next };
    },
  );

  addRoute(
    app,
    paths,
    {
      method: "GET",
      url: "/api/v1/organizations",
      summary: "the organizations the credentials may see",
      response: z.object({
        organizations: z.array(
          z.object({ id: z.string(), name: z.string(), type: z.string(), jurisdiction: z.string() }),
        ),
      }),
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
      await inv.db.transaction((tx) => revokeToken(tx, { actor: `${principal.name} (api)` }, params.id));
      return { revoked: params.id };
    },
  );
}
