import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { FastifyRequest } from "fastify";
import { identify, loadKnowledge } from "../../identify/index.js";
import { FORMATS, importFormat } from "../../imports/formats/index.js";
import { runImport } from "../../imports/run.js";
import type { OpenInventory } from "../../inventory/index.js";
import type { Principal } from "../../inventory/users.js";
import { CamsweepError } from "../../shared/errors.js";
import { HttpError } from "../errors.js";
import { malformedMultipart } from "../multipart.js";
import { jobInventory } from "./inventory-view.js";
import type { JobSpec } from "./jobs.js";

/**
 * An import over the API: the upload is streamed to a file of its own (a fresh temp directory, removed when the
 * job ends), then `runImport` reads it as `camsweep import FORMAT FILE` does, into the server's inventory.
 */

/** The formats `camsweep import` reads, by their FORMAT word. */
export const IMPORT_FORMAT_IDS = FORMATS.map((f) => f.id);

/** Largest upload by default: 64 MiB. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
const FIELDS = new Set(["format", "site"]);
const FIELD_BYTES = 200;
/** What a multipart body holds besides the file: boundaries, part headers, the small fields. */
const ENVELOPE_BYTES = 16 * 1024;

const tooLarge = (maxBytes: number) =>
  new HttpError(413, `the upload is over the limit (${maxBytes} bytes, one file)`);

export interface Upload {
  dir: string;
  file: string;
  fields: Record<string, string>;
}

/**
 * Reads a multipart request: fields `format` and `site`, and one file part `file` streamed to disk. A file over
 * maxBytes is refused 413 and its directory removed; so is the directory on any other refusal.
 */
export async function receiveUpload(req: FastifyRequest, maxBytes: number): Promise<Upload> {
  if (!req.isMultipart()) throw new HttpError(415, "send multipart/form-data with fields format and file");
  // A declared length past the limit (with room for the fields and part headers) is refused before a byte is read.
  const declared = Number(req.headers["content-length"]);
  if (declared > maxBytes + ENVELOPE_BYTES) throw tooLarge(maxBytes);
  let dir: string | undefined;
  let file: string | undefined;
  const fields: Record<string, string> = {};
  try {
    const parts = req.parts({
      limits: { files: 1, fileSize: maxBytes, fields: 4, fieldSize: FIELD_BYTES, parts: 5, headerPairs: 20 },
    });
    for await (const part of parts) {
      if (part.type === "field") {
        if (!FIELDS.has(part.fieldname))
          throw new HttpError(400, `field "${part.fieldname.slice(0, 40)}": unknown`);
        if (part.fieldname in fields) throw new HttpError(400, `field ${part.fieldname}: given twice`);
        if (part.valueTruncated || typeof part.value !== "string")
          throw new HttpError(400, `field ${part.fieldname}: at most ${FIELD_BYTES} bytes of text`);
        fields[part.fieldname] = part.value;
        continue;
      }
      if (part.fieldname !== "file") {
        part.file.resume();
        throw new HttpError(400, `file part "${part.fieldname.slice(0, 40)}": expected the field name file`);
      }
      dir = await mkdtemp(join(tmpdir(), "camsweep-upload-"));
      // The client's name is not trusted with a path; only a short extension is kept (some readers look at it).
      const ext = extname(part.filename ?? "").toLowerCase();
      file = join(dir, `upload${/^\.[a-z0-9]{1,8}$/.test(ext) ? ext : ""}`);
      await pipeline(part.file, createWriteStream(file, { flags: "wx", mode: 0o600 }));
      if (part.file.truncated) throw tooLarge(maxBytes);
    }
    if (!file) throw new HttpError(400, "no file part (field name file)");
    return { dir: dir!, file, fields };
  } catch (e) {
    if (dir) await rm(dir, { recursive: true, force: true });
    const status = (e as { statusCode?: number }).statusCode;
    if (status === 413 || (e as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE")
      throw tooLarge(maxBytes);
    throw malformedMultipart(e) ?? e;
  }
}

/** The import's format and site, checked for the principal; the organization the job belongs to. */
export async function checkImport(
  inv: OpenInventory,
  p: Principal,
  fields: Record<string, string>,
): Promise<{ format: string; site?: string; organizationId: string | null }> {
  const format = fields["format"];
  if (!format) throw new HttpError(400, `field format: required (${IMPORT_FORMAT_IDS.join(", ")})`);
  if (!importFormat(format))
    throw new HttpError(400, `field format: "${format}" is none of ${IMPORT_FORMAT_IDS.join(", ")}`);
  const site = fields["site"];
  if (site === undefined) {
    if (p.organizationId !== null)
      throw new HttpError(
        403,
        `${p.name} imports into one of organization ${p.organizationId}'s sites: give field site`,
      );
    return { format, organizationId: null };
  }
  const { rows } = await inv.db.query<{ organization_id: string }>(
    "SELECT organization_id FROM sites WHERE id = $1",
    [site],
  );
  const org = rows[0]?.organization_id;
  if (p.organizationId !== null && org !== p.organizationId)
    throw new HttpError(403, `site "${site}" is not one of organization ${p.organizationId}'s sites`);
  if (org === undefined) throw new HttpError(400, `site "${site}" is not in the inventory`);
  return { format, site, organizationId: org };
}

/** The job that imports an upload, audited under the user; its directory goes when the job ends. */
export function importJob(
  inv: OpenInventory,
  p: Principal,
  upload: Upload,
  checked: { format: string; site?: string; organizationId: string | null },
): JobSpec {
  const format = importFormat(checked.format)!;
  return {
    kind: "import",
    by: p.name,
    userId: p.id,
    organizationId: checked.organizationId,
    run: async (ctx) => {
      const kb = loadKnowledge();
      try {
        const r = await runImport({
          format,
          file: upload.file,
          store: jobInventory(inv, p, (id) => ctx.scanId(id)).store,
          identify: (obs) => identify(obs, kb),
          ...(checked.site ? { siteId: checked.site } : {}),
          batchSize: 1000,
          signal: ctx.signal,
          onProgress: (rows, records) => ctx.progress({ done: rows, devices: records }),
        });
        if (r.id) ctx.scanId(r.id);
        ctx.progress({ done: r.rows, total: r.rows, devices: r.created + r.updated });
        return r.status === "interrupted" ? "cancelled" : "done";
      } catch (e) {
        // A format's message names the file: the temp path means nothing to the client.
        if (e instanceof CamsweepError) throw new CamsweepError(e.message.replaceAll(upload.dir, "upload"));
        throw e;
      }
    },
    cleanup: () => rm(upload.dir, { recursive: true, force: true }),
  };
}
