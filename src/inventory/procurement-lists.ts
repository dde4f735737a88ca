import {
  LIST_FIELDS,
  LIST_KINDS,
  listKey,
  type ListEntry,
  type ListField,
  type ListKind,
} from "../procure/lists.js";
import { UsageError } from "../shared/errors.js";
import { requiredText } from "../shared/user-text.js";
import { appendAudit, defaultActor, type AuditContext } from "./audit.js";
import type { Queryable } from "./db.js";
import { iso } from "./device-list.js";

/**
 * An organization's allow and block entries for the procurement screen (migrations/009_procurement.sql): added and
 * removed with an audit entry in the same transaction, never deleted, so what a past screening applied can be shown.
 */

export interface ListEntryInput {
  organizationId: string | null;
  kind: ListKind;
  field: ListField;
  value: string;
  reason: string;
}

interface Row {
  id: string;
  organization_id: string | null;
  kind: ListKind;
  field: ListField;
  value: string;
  reason: string;
  added_by: string;
  added_at: Date | string;
}

const toEntry = (r: Row): ListEntry => ({
  id: r.id,
  organizationId: r.organization_id,
  kind: r.kind,
  field: r.field,
  value: r.value,
  reason: r.reason,
  addedBy: r.added_by,
  addedAt: iso(r.added_at),
});

export async function addListEntry(q: Queryable, ctx: AuditContext, e: ListEntryInput): Promise<ListEntry> {
  if (!(LIST_KINDS as readonly string[]).includes(e.kind))
    throw new UsageError(`${e.kind}: a list entry is one of ${LIST_KINDS.join(", ")}`);
  if (!(LIST_FIELDS as readonly string[]).includes(e.field))
    throw new UsageError(`--${e.field}: an entry matches one of ${LIST_FIELDS.join(", ")}`);
  const value = requiredText(`--${e.field}`, e.value, { max: 200 });
  if (!listKey(value)) throw new UsageError(`--${e.field} "${value}": no letters or digits to match on`);
  const reason = requiredText("--reason", e.reason, { max: 2000, lines: true });
  const actor = ctx.actor ?? defaultActor();
  const { rows } = await q.query<Row>(
    `INSERT INTO procurement_lists (organization_id, kind, field, value, folded, reason, added_by, added_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     RETURNING id::text AS id, organization_id, kind, field, value, reason, added_by, added_at`,
    [e.organizationId, e.kind, e.field, value, listKey(value), reason, actor],
  );
  const entry = toEntry(rows[0]!);
  await appendAudit(q, {
    ...ctx,
    action: "create",
    entity: "procurement-list",
    entityId: entry.id,
    data: { organization: e.organizationId, kind: e.kind, field: e.field, value, reason },
  });
  return entry;
}

export async function removeListEntry(
  q: Queryable,
  ctx: AuditContext,
  id: string,
  reason: string,
): Promise<void> {
  const why = requiredText("--reason", reason, { max: 2000, lines: true });
  const { rows } = await q.query(
    `UPDATE procurement_lists SET removed_by = $2, removed_at = now(), removed_reason = $3
      WHERE id::text = $1 AND removed_at IS NULL RETURNING id`,
    [id, ctx.actor ?? defaultActor(), why],
  );
  if (!rows.length) throw new UsageError(`list entry ${id}: no such entry in force`);
  await appendAudit(q, {
    ...ctx,
    action: "delete",
    entity: "procurement-list",
    entityId: id,
    data: { reason: why },
  });
}

/** Entries in force for a buyer: its own and the inventory-wide ones; all organizations' when none is named. */
export async function listEntries(q: Queryable, organizationId: string | null): Promise<ListEntry[]> {
  const { rows } = await q.query<Row>(
    `SELECT id::text AS id, organization_id, kind, field, value, reason, added_by, added_at FROM procurement_lists
      WHERE removed_at IS NULL AND ($1::text IS NULL OR organization_id IS NULL OR organization_id = $1)
      ORDER BY procurement_lists.id`,
    [organizationId],
  );
  return rows.map(toEntry);
}
