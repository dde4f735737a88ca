import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  MAX_EVIDENCE_BYTES,
  type OpenInventory,
  SANITIZATION_METHODS,
  Workflow,
} from "../../inventory/index.js";
import { WORKFLOW_STATES } from "../../remediation/states.js";
import { todayUtc } from "../../shared/dates.js";
import { Day, Slug } from "../../shared/wire/fields.js";
import { Board, BulkStepBody, Moved, type SanitizationRecorded } from "../../shared/wire/workflow.js";
import { apiActor, deviceInScope, organizationScope, requireRole, signedIn } from "../auth.js";
import { HttpError } from "../errors.js";
import { readUpload } from "../multipart.js";
import { addRoute, issues, type OpenApiPaths, refuseQuery } from "../route.js";

/**
 * The remediation board (devices by workflow state), bulk steps by selection, and sanitization records with their
 * evidence: the same store calls as `camsweep remediate`, audited under the user's name.
 */

const BOARD_CARDS = 50;

export function remediationRoutes(app: FastifyInstance, paths: OpenApiPaths, inv: OpenInventory): void {
  addRoute(
    app,
    paths,
    {
      method: "GET",
      url: "/api/v1/board",
      summary:
        "devices a verdict says must go, by workflow state: a count and the first cards of each column",
      query: z.object({ organization: Slug.optional(), site: Slug.optional() }).strict(),
      response: Board,
    },
    async ({ query: q, principal }) => {
      const org = organizationScope(principal, q.organization);
      const params: unknown[] = [];
      const where = [
        "a.status IN ('prohibited', 'advisory')",
        ...(org ? [`s.organization_id = $${params.push(org)}`] : []),
        ...(q.site ? [`d.site_id = $${params.push(q.site)}`] : []),
      ].join(" AND ");
      // Each state's count, and its first cards in address order, in one pass over the selected devices.
      const { rows } = await inv.db.query<{
        state: string;
        n: number;
        cards:
          | {
              id: string;
              address: string | null;
              manufacturer: string | null;
              model: string | null;
              siteName: string | null;
            }[]
          | null;
      }>(
        `WITH picked AS (
           SELECT d.id, d.address, d.manufacturer, d.model, s.name AS site_name, coalesce(r.state, 'identified') AS state,
                  row_number() OVER (PARTITION BY coalesce(r.state, 'identified') ORDER BY camsweep_address_key(d.address), d.id) AS k
             FROM devices d JOIN device_assessments a ON a.device_id = d.id LEFT JOIN sites s ON s.id = d.site_id
             LEFT JOIN remediation r ON r.device_id = d.id WHERE ${where})
         SELECT state, count(*)::int AS n,
                jsonb_agg(jsonb_build_object('id', id, 'address', address, 'manufacturer', manufacturer, 'model', model,
                  'siteName', site_name) ORDER BY k) FILTER (WHERE k <= ${BOARD_CARDS}) AS cards
           FROM picked GROUP BY state`,
        params,
      );
      const by = new Map(rows.map((r) => [r.state, r]));
      return {
        columns: WORKFLOW_STATES.map((state) => ({
          state,
          count: by.get(state)?.n ?? 0,
          devices: by.get(state)?.cards ?? [],
        })),
      };
    },
  );

  addRoute(
    app,
    paths,
    {
      method: "POST",
      url: "/api/v1/steps",
      summary:
        "one workflow step for many devices, by ids or by selection (admin, or an auditor within its organization)",
      body: BulkStepBody,
      response: Moved,
    },
    async ({ body, principal }) => {
      requireRole(principal, ["admin", "auditor"]);
      const org = organizationScope(principal, body.organization);
      if (!body.ids && !body.site && !org && !body.manufacturer)
        throw new HttpError(
          400,
          "body: name the devices (ids) or a selection (organization, site, manufacturer)",
        );
      for (const id of body.ids ?? []) await deviceInScope(inv, principal, id);
      const r = await new Workflow(inv.db, apiActor(principal)).takeStep(todayUtc(), {
        step: body.step,
        ...(body.ids ? { names: body.ids } : {}),
        ...(org ? { organization: org } : {}),
        ...(body.site ? { site: body.site } : {}),
        ...(body.manufacturer ? { manufacturer: body.manufacturer } : {}),
        date: body.date ?? null,
        ...(body.storage ? { storage: body.storage } : {}),
      });
      return { moved: r.moved.map((m) => ({ deviceId: m.deviceId, from: m.from, to: m.to })) };
    },
  );

  // multipart/form-data: the record's fields and, optionally, its evidence file (a certificate, a photo).
  const SanitizationForm = z
    .object({
      medium: z.string().min(1).max(500),
      method: z.enum(SANITIZATION_METHODS),
      technique: z.string().min(1).max(500).optional(),
      date: Day,
      by: z.string().min(1).max(500),
      certificate: z.string().min(1).max(500).optional(),
    })
    .strict();
  app.post<{ Params: { id: string } }>("/api/v1/devices/:id/sanitization", async (req) => {
    const p = signedIn(req);
    requireRole(p, ["admin", "auditor"]);
    refuseQuery(req);
    const id = z.uuid().safeParse(req.params.id);
    if (!id.success) throw new HttpError(400, "path: id: a device id (uuid)");
    await deviceInScope(inv, p, id.data);
    const upload = await readUpload(req, {
      fileBytes: MAX_EVIDENCE_BYTES,
      fields: Object.keys(SanitizationForm.shape),
      fileField: "file",
    });
    const form = SanitizationForm.safeParse(upload.fields);
    if (!form.success) throw new HttpError(400, `form: ${issues(form.error)}`);
    const r = await new Workflow(inv.db, apiActor(p)).sanitize(todayUtc(), {
      device: id.data,
      ...form.data,
      ...(upload.file ? { evidence: [{ name: upload.file.name, content: upload.file.content }] } : {}),
    });
    const recorded: z.input<typeof SanitizationRecorded> = {
      deviceId: r.deviceId,
      id: r.sanitizationId,
      state: r.state,
    };
    return recorded;
  });
  paths["/api/v1/devices/{id}/sanitization"] = {
    post: {
      summary:
        "record how a device's stored footage was sanitized, with an evidence file (multipart: medium, method, date, by, technique?, certificate?, file? = the evidence)",
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      requestBody: { content: { "multipart/form-data": { schema: z.toJSONSchema(SanitizationForm) } } },
      responses: { "200": { description: "recorded" } },
    },
  };
}
