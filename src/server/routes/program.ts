import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { OpenInventory } from "../../inventory/index.js";
import { loadCostModel, planForInventory } from "../../plan/index.js";
import { loadScreenKnowledge } from "../../procure/index.js";
import { productText, verdictCounts } from "../../procure/output.js";
import { buyerOf, screenSheet } from "../../procure/screen-sheet.js";
import { readSheet } from "../../procure/sheet/index.js";
import { REPORT_LANGS } from "../../report/document/model.js";
import { gatherReport, gatherSummary } from "../../report/document/gather.js";
import { REPORT_FILES, REPORT_FORMATS, renderReport } from "../../report/render.js";
import { todayUtc } from "../../shared/dates.js";
import { CamsweepError } from "../../shared/errors.js";
import { Day, Slug } from "../../shared/wire/fields.js";
import { Overview, Plan, type ScreenResult } from "../../shared/wire/program.js";
import { organizationScope, requireRole, signedIn } from "../auth.js";
import { HttpError } from "../errors.js";
import { readUpload } from "../multipart.js";
import { addRoute, issues, type OpenApiPaths, refuseQuery } from "../route.js";

/** The program office's views: the overview, the plan, reports to download, and purchase orders screened. */

/** Largest purchase order accepted for screening over the web. */
export const SCREEN_UPLOAD_BYTES = 10 * 1024 * 1024;

export function programRoutes(
  app: FastifyInstance,
  paths: OpenApiPaths,
  inv: OpenInventory,
  o: { dataDir?: string },
): void {
  addRoute(
    app,
    paths,
    {
      method: "GET",
      url: "/api/v1/overview",
      summary: "compliance per organization and site, burn-down, by manufacturer, plan vs actual",
      query: z.object({ organization: Slug.optional() }).strict(),
      response: Overview,
    },
    async ({ query, principal }) => {
      const org = organizationScope(principal, query.organization);
      const s = await gatherSummary(inv, { organizationId: org, today: todayUtc() });
      return {
        asOf: s.asOf,
        totals: s.totals,
        organizations: s.organizations.map((x) => ({
          id: x.id,
          name: x.name,
          counts: x.counts,
          sites: x.sites.map((y) => ({
            id: y.id,
            name: y.name,
            criticality: y.criticality,
            counts: y.counts,
            verifiedClear: y.verifiedClear,
          })),
        })),
        manufacturers: s.manufacturers,
        burnDown: s.burnDown,
        planVsActual: s.planVsActual,
      };
    },
  );

  addRoute(
    app,
    paths,
    {
      method: "GET",
      url: "/api/v1/plan",
      summary: "a phased replacement plan for what must go, priced by the bundled cost model (not saved)",
      query: z
        .object({
          organization: Slug.optional(),
          phases: z.coerce.number().int().min(1).max(20).default(3),
          budget: z.coerce.number().positive().max(1e12).optional(),
          start: Day.optional(),
          advisory: z.enum(["true", "false"]).optional(),
        })
        .strict(),
      response: Plan,
    },
    async ({ query: q, principal }) => {
      requireRole(principal, ["admin", "program-manager", "auditor"]);
      const org = organizationScope(principal, q.organization);
      const { plan } = await planForInventory(
        inv,
        {
          organizationId: org,
          advisory: q.advisory === "true",
          phases: q.phases,
          start: q.start ?? todayUtc(),
          budget: q.budget ?? null,
        },
        await loadCostModel(),
      );
      return {
        currency: plan.currency,
        totalCost: plan.totalCost,
        phases: plan.phases.map((p) => ({
          phase: p.number,
          start: p.start,
          end: p.end,
          devices: p.deviceCount,
          cost: p.cost,
          budget: p.budget,
          sites: p.visits.map((v) => ({ id: v.siteId, name: v.siteName, devices: v.devices, cost: v.total })),
        })),
        unfunded: plan.unfunded.length,
        warnings: plan.warnings.map((w) =>
          typeof w === "string" ? { code: null, text: w } : { code: w.code, text: w.text },
        ),
      };
    },
  );

  // A file to download: outside addRoute's JSON contract, documented by hand below.
  const ReportQuery = z
    .object({ lang: z.enum(REPORT_LANGS).default("en"), organization: Slug.optional() })
    .strict();
  app.get<{ Params: { format: string } }>("/api/v1/reports/:format", async (req, reply) => {
    const p = signedIn(req);
    const format = z.enum(REPORT_FORMATS).safeParse(req.params.format);
    if (!format.success)
      throw new HttpError(404, `report ${req.params.format}: one of ${REPORT_FORMATS.join(", ")}`);
    const query = ReportQuery.safeParse(req.query ?? {});
    if (!query.success) throw new HttpError(400, `query: ${issues(query.error)}`);
    const org = organizationScope(p, query.data.organization);
    const model = await gatherReport(inv, { organizationId: org, today: todayUtc() });
    const body = await renderReport(format.data, model, query.data.lang, () => undefined);
    const file = REPORT_FILES[format.data];
    return reply
      .type(file.type)
      .header("Content-Disposition", `attachment; filename="camsweep-report-${model.asOf}.${file.ext}"`)
      .send(body);
  });
  paths["/api/v1/reports/{format}"] = {
    get: {
      summary: `the compliance report or an export, as a download (format: ${REPORT_FORMATS.join(", ")})`,
      parameters: [
        { name: "format", in: "path", required: true, schema: { enum: [...REPORT_FORMATS] } },
        ...Object.entries((z.toJSONSchema(ReportQuery) as { properties: object }).properties).map(
          ([name, schema]) => ({ name, in: "query", schema }),
        ),
      ],
      responses: { "200": { description: "the file" } },
    },
  };

  app.post("/api/v1/screen", async (req) => {
    const p = signedIn(req);
    // The program office and the auditors screen what is bought, as they plan; a viewer only reads.
    requireRole(p, ["admin", "program-manager", "auditor"]);
    refuseQuery(req);
    const upload = await readUpload(req, {
      fileBytes: SCREEN_UPLOAD_BYTES,
      fields: ["organization"],
      fileField: "file",
    });
    if (!upload.file) throw new HttpError(400, "form: file: a purchase order (CSV or XLSX) is required");
    const asked = upload.fields.organization || undefined;
    if (asked !== undefined && !Slug.safeParse(asked).success)
      throw new HttpError(400, "form: organization: an id");
    const org = organizationScope(p, asked);
    // The reader takes a path: the upload goes to a private temporary directory, removed whatever happens.
    const dir = await mkdtemp(join(tmpdir(), "camsweep-screen-"));
    try {
      const path = join(dir, /\.xlsx$/i.test(upload.file.name) ? "order.xlsx" : "order.csv");
      await writeFile(path, upload.file.content, { mode: 0o600 });
      let sheet;
      try {
        sheet = await readSheet(path, { maxBytes: SCREEN_UPLOAD_BYTES });
      } catch (e) {
        // The reader names the temporary path; the person knows the file by the name they uploaded.
        if (e instanceof CamsweepError)
          throw new HttpError(
            400,
            `${upload.file.name}: ${e.message.replaceAll(path, "").replace(/^:\s*/, "")}`,
          );
        throw e;
      }
      const buyer = await buyerOf(inv, org);
      const lines = screenSheet(
        {
          ...loadScreenKnowledge(o.dataDir ? { dataDir: o.dataDir } : {}),
          organization: buyer.organization,
          lists: buyer.lists,
        },
        sheet,
      );
      return {
        organization: buyer.name,
        warnings: sheet.warnings,
        counts: verdictCounts(lines),
        lines: lines.map((l) => ({
          line: l.line,
          text: productText(l.input).slice(0, 300),
          verdict: l.result.verdict,
          manufacturer: l.result.maker,
          relation: l.result.relation,
          reason: l.result.reason,
          policies: l.result.policies.map((x) => x.id),
        })),
      } satisfies z.input<typeof ScreenResult>;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  paths["/api/v1/screen"] = {
    post: {
      summary: `screen a purchase order (multipart: file = CSV or XLSX up to ${SCREEN_UPLOAD_BYTES} bytes, organization?)`,
      responses: { "200": { description: "each line's verdict" } },
    },
  };
}
