import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { browseDevices, countDevices } from "../../inventory/device-browse.js";
import { DEVICE_SORTS } from "../../inventory/device-list.js";
import { deviceDetail } from "../../inventory/device-detail.js";
import { evidenceContent } from "../../inventory/evidence.js";
import type { OpenInventory } from "../../inventory/index.js";
import { todayUtc } from "../../shared/dates.js";
import { DeviceDetail, DevicePage } from "../../shared/wire/devices.js";
import { FilterText, Slug } from "../../shared/wire/fields.js";
import { deviceInScope, organizationScope, signedIn } from "../auth.js";
import { HttpError } from "../errors.js";
import { addRoute, type OpenApiPaths, refuseQuery } from "../route.js";
import { presentDetail } from "./device-detail.js";
import { presentDevice } from "./schemas.js";

/** The device list (paged by cursor, filtered and sorted by the server), one device whole, and evidence files. */

export function devicesRoutes(app: FastifyInstance, paths: OpenApiPaths, inv: OpenInventory): void {
  addRoute(
    app,
    paths,
    {
      method: "GET",
      url: "/api/v1/devices",
      summary:
        "devices in pages by cursor, filtered and sorted by the server; an organization's user sees only its own",
      query: z
        .object({
          organization: Slug.optional(),
          site: Slug.optional(),
          manufacturer: FilterText(64).optional(),
          restricted: z.enum(["true", "false"]).optional(),
          q: FilterText(100).optional(),
          sort: z.enum(DEVICE_SORTS).default("default"),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          after: z.string().min(1).max(2048).optional(),
          count: z.enum(["true", "false"]).optional(),
        })
        .strict(),
      response: DevicePage,
    },
    async ({ query: q, principal }) => {
      const organization = organizationScope(principal, q.organization);
      const filter = {
        ...(organization ? { organization } : {}),
        ...(q.site ? { site: q.site } : {}),
        ...(q.manufacturer ? { manufacturer: q.manufacturer } : {}),
        ...(q.restricted ? { restricted: q.restricted === "true" } : {}),
        ...(q.q ? { text: q.q } : {}),
      };
      const [page, total] = await Promise.all([
        browseDevices(inv.db, filter, {
          limit: q.limit,
          sort: q.sort,
          ...(q.after ? { after: q.after } : {}),
        }),
        q.count === "true" ? countDevices(inv.db, filter) : null,
      ]);
      return {
        devices: page.devices.map((d) => presentDevice(d, d.status, d.workflow)),
        next: page.next,
        total,
      };
    },
  );

  addRoute(
    app,
    paths,
    {
      method: "GET",
      url: "/api/v1/devices/:id",
      summary:
        "one device whole: identity with its evidence, observations, vulnerabilities, verdicts, workflow, attachments",
      params: z.object({ id: z.uuid() }).strict(),
      response: DeviceDetail,
    },
    async ({ params, principal }) => {
      await deviceInScope(inv, principal, params.id);
      const d = await deviceDetail(inv, params.id, todayUtc());
      if (!d) throw new HttpError(404, `device ${params.id}: no such device`);
      return presentDetail(d);
    },
  );

  // A file, not JSON: outside addRoute's JSON contract, documented by hand below.
  app.get<{ Params: { sha256: string } }>("/api/v1/evidence/:sha256", async (req, reply) => {
    const p = signedIn(req);
    refuseQuery(req);
    const sha256 = req.params.sha256;
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new HttpError(400, "path: sha256: 64 lower-case hex digits");
    // Shown only to someone who may see a device it is attached to; otherwise it does not exist.
    const { rows } = await inv.db.query<{ name: string; organization_id: string | null }>(
      `SELECT l.name, s.organization_id FROM evidence_links l JOIN devices d ON d.id = l.device_id
         LEFT JOIN sites s ON s.id = d.site_id WHERE l.sha256 = $1 ORDER BY l.id`,
      [sha256],
    );
    const seen = rows.find((r) => p.organizationId === null || r.organization_id === p.organizationId);
    const content = seen ? await evidenceContent(inv.db, sha256) : null;
    if (!seen || !content) throw new HttpError(404, `evidence ${sha256}: no such file`);
    return reply
      .type("application/octet-stream")
      .header("Content-Disposition", `attachment; filename="${safeFileName(seen.name)}"`)
      .send(Buffer.from(content));
  });
  paths["/api/v1/evidence/{sha256}"] = {
    get: {
      summary: "an evidence file, by its SHA-256 (a download)",
      parameters: [{ name: "sha256", in: "path", required: true, schema: { type: "string" } }],
      responses: { "200": { description: "the file", content: { "application/octet-stream": {} } } },
    },
  };
}

/** A name a person gave, made safe for a header: no quotes, no control or non-ASCII characters. */
export const safeFileName = (name: string) => name.replace(/[^\w.\- ]/g, "_").slice(0, 100) || "evidence";
