import type { FastifyRequest } from "fastify";
import { HttpError } from "./errors.js";

/** An upload read whole: its form fields (short text) and at most one file, held in memory up to `fileBytes`. */
export interface Upload {
  fields: Record<string, string>;
  file: { name: string; content: Buffer } | null;
}

const FIELD_BYTES = 4096;

/**
 * Reads a multipart/form-data request with limits: one file of at most `fileBytes` (over it: 413, nothing kept),
 * only the named fields (another one: 400), each a short text. The caller writes nothing until this returns.
 */
/** Busboy's words for a body that is not the multipart it says it is: the sender's fault, a 400. */
const MALFORMED =
  /^(Multipart: Boundary not found|Unexpected end of (multipart )?(data|form)|Malformed part header)/i;

/** The 400 for a body that is not well-formed multipart, or undefined for any other error. */
export function malformedMultipart(e: unknown): HttpError | undefined {
  if (e instanceof Error && !(e instanceof HttpError) && MALFORMED.test(e.message))
    return new HttpError(400, `not a well-formed multipart/form-data body (${e.message})`);
  return undefined;
}

export async function readUpload(
  req: FastifyRequest,
  o: { fileBytes: number; fields: readonly string[]; fileField: string },
): Promise<Upload> {
  if (!req.isMultipart()) throw new HttpError(415, "send multipart/form-data (a form with a file)");
  const fields: Record<string, string> = {};
  let file: Upload["file"] = null;
  const parts = req.parts({
    limits: { fileSize: o.fileBytes, files: 1, fields: 20, fieldSize: FIELD_BYTES },
  });
  try {
    for await (const part of parts) {
      if (part.type === "file") {
        if (part.fieldname !== o.fileField)
          throw new HttpError(400, `form: unknown file field "${part.fieldname}"`);
        const content = await part.toBuffer();
        file = { name: part.filename || "upload", content };
      } else {
        if (!o.fields.includes(part.fieldname))
          throw new HttpError(
            400,
            `form: unknown field "${part.fieldname}" (expected ${o.fields.join(", ")})`,
          );
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "FST_REQ_FILE_TOO_LARGE")
      throw new HttpError(413, `the file is larger than ${o.fileBytes} bytes; nothing was kept`);
    if (code === "FST_FILES_LIMIT") throw new HttpError(400, "form: one file only");
    if (code === "FST_PARTS_LIMIT" || code === "FST_FIELDS_LIMIT")
      throw new HttpError(400, "form: too many fields");
    throw malformedMultipart(e) ?? e;
  }
  return { fields, file };
}
