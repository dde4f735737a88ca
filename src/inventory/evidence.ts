import { createHash } from "node:crypto";
import { appendAudit, type AuditContext } from "./audit.js";
import type { Queryable } from "./db.js";

/**
 * Evidence files (a photo of the empty mount, a certificate of destruction, a signed work order), stored in the
 * inventory under their SHA-256: the hash in the audit log proves which bytes backed a step, and the same file
 * attached twice is kept once. In the database, not the data directory, so a central PostgreSQL holds them all.
 */

/** The largest file kept: evidence is a document or a photo, not a video. */
export const MAX_EVIDENCE_BYTES = 64 * 1024 * 1024;

export interface EvidenceFile {
  /** the name it was given (its file name), shown with it */
  name: string;
  content: Uint8Array;
}

/** What one attachment backs: a workflow step, a sanitization record or an exception. */
export type EvidenceOwner = { stepId: number } | { sanitizationId: number } | { exceptionId: number };

/** SHA-256 in hex: of a file's bytes (evidence), or of a secret's text (tokens and sessions are kept only so). */
export const sha256Of = (content: Uint8Array | string): string =>
  createHash("sha256").update(content).digest("hex");

/** Stores the files (once each) and links them to what they back. Returns their hashes, in order. */
export async function attachEvidence(
  q: Queryable,
  ctx: AuditContext,
  deviceId: string,
  owner: EvidenceOwner,
  files: readonly EvidenceFile[],
): Promise<string[]> {
  const hashes: string[] = [];
  for (const f of files) {
    const sha256 = sha256Of(f.content);
    const { rows } = await q.query<{ sha256: string }>(
      `INSERT INTO evidence (sha256, size, content, added_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (sha256) DO NOTHING RETURNING sha256`,
      [sha256, f.content.byteLength, f.content],
    );
    if (rows.length)
      await appendAudit(q, {
        ...ctx,
        action: "create",
        entity: "evidence",
        entityId: sha256,
        data: { size: f.content.byteLength, name: f.name },
      });
    await q.query(
      `INSERT INTO evidence_links (sha256, device_id, step_id, sanitization_id, exception_id, name, added_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())`,
      [
        sha256,
        deviceId,
        "stepId" in owner ? owner.stepId : null,
        "sanitizationId" in owner ? owner.sanitizationId : null,
        "exceptionId" in owner ? owner.exceptionId : null,
        f.name,
      ],
    );
    hashes.push(sha256);
  }
  return hashes;
}

/** A stored file's bytes, checked against its hash on the way out; null when no file has this hash. */
export async function evidenceContent(q: Queryable, sha256: string): Promise<Uint8Array | null> {
  const { rows } = await q.query<{ content: Uint8Array }>("SELECT content FROM evidence WHERE sha256 = $1", [
    sha256,
  ]);
  const content = rows[0]?.content;
  if (!content) return null;
  if (sha256Of(content) !== sha256)
    throw new Error(`evidence ${sha256}: the stored bytes no longer match their hash`);
  return content;
}
