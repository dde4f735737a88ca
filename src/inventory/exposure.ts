import { UsageError } from "../shared/errors.js";
import { appendAudit, type AuditContext } from "./audit.js";
import type { Queryable } from "./db.js";
import { devicesNamed } from "./device-names.js";

/**
 * Internet exposure as someone states it (a firewall review, an external scan): a risk factor of the assessment.
 * Unknown (null) stays distinct from "not exposed", and each statement is audited with its source.
 */

export const MAX_EXPOSURE_SOURCE = 500;

export interface ExposureStatement {
  /** true: reachable from the internet; false: checked and not; null: forget what was said */
  internet: boolean | null;
  /** who or what says so ("perimeter scan 2026-11-20", "firewall review SEC-114") */
  source: string;
  /** narrows address matches to one site (the same private address may be on many sites) */
  site?: string;
}

/**
 * Sets the statement on each device named by id or address. Every name must match: an unknown one is an error
 * and nothing is changed. Returns the device ids changed.
 */
export async function setExposure(
  q: Queryable,
  names: readonly string[],
  s: ExposureStatement,
  ctx: AuditContext,
): Promise<string[]> {
  const source = s.source.trim();
  if (!source || source.length > MAX_EXPOSURE_SOURCE || /\p{Cc}/u.test(source))
    throw new UsageError(
      `--source: say who or what established it, in at most ${MAX_EXPOSURE_SOURCE} characters without control characters`,
    );
  const list = await devicesNamed(q, names, s.site);
  await q.query("UPDATE devices SET internet_exposed = $2, exposure_source = $3 WHERE id = ANY($1::text[])", [
    list,
    s.internet,
    s.internet === null ? null : source,
  ]);
  for (const id of list)
    await appendAudit(q, {
      ...ctx,
      action: "update",
      entity: "device",
      entityId: id,
      data: { internetExposed: s.internet, source },
    });
  return list;
}
