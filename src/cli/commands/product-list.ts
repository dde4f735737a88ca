import { addListEntry, listEntries, removeListEntry } from "../../inventory/procurement-lists.js";
import { LIST_FIELDS, type ListField } from "../../procure/index.js";
import { forTerminal } from "../../report/escape.js";
import { columns } from "../../shared/columns.js";
import { UsageError } from "../../shared/errors.js";
import { auditContext, type AuditFlags } from "../audit-flags.js";
import { organizationFlag } from "../org-flag.js";
import { out } from "../output.js";
import { withInventoryDb } from "./inventory-db.js";

/**
 * `camsweep product-list add|remove|show`: an organization's approved (allow) and refused (block) products, which
 * override the screen's verdict for the lines they match. Every change is audited; nothing is ever deleted.
 */

type EntryFlags = AuditFlags & { dataDir?: string; org?: string } & Partial<Record<ListField, string>>;

export async function productListAdd(kind: "allow" | "block", flags: EntryFlags): Promise<number> {
  const given = LIST_FIELDS.filter((f) => flags[f] !== undefined);
  if (given.length !== 1)
    throw new UsageError(
      `say what the entry matches with exactly one of ${LIST_FIELDS.map((f) => `--${f}`).join(", ")}`,
    );
  if (!flags.reason)
    throw new UsageError("--reason: say why (it is kept with the entry and in the audit log)");
  const field = given[0]!;
  const { org, entry } = await withInventoryDb(flags.dataDir, async (db, inv) => {
    const org = await organizationFlag(inv.store, flags.org);
    const entry = await db.transaction((tx) =>
      addListEntry(tx, auditContext(flags), {
        organizationId: org,
        kind,
        field,
        value: flags[field]!,
        reason: flags.reason!,
      }),
    );
    return { org, entry };
  });
  out(
    `${kind} entry ${entry.id} added${org ? ` for ${org}` : " for every buyer"}: ${field} "${forTerminal(entry.value, 200)}"`,
  );
  return 0;
}

export async function productListRemove(
  id: string,
  flags: AuditFlags & { dataDir?: string },
): Promise<number> {
  const reason = flags.reason;
  if (!reason) throw new UsageError("--reason: say why the entry no longer holds");
  await withInventoryDb(flags.dataDir, (db) =>
    db.transaction((tx) => removeListEntry(tx, auditContext(flags), id, reason)),
  );
  out(`entry ${id} removed`);
  return 0;
}

export async function productListShow(flags: {
  dataDir?: string;
  org?: string;
  json?: boolean;
}): Promise<number> {
  const rows = await withInventoryDb(
    flags.dataDir,
    async (db, inv) => listEntries(db, await organizationFlag(inv.store, flags.org)),
    { readOnly: true },
  );
  if (flags.json) out(rows.map((r) => JSON.stringify(r)).join("\n"));
  else if (!rows.length) out("no allow or block entry in force");
  else
    out(
      columns(
        ["ID", "KIND", "ORG", "MATCHES", "VALUE", "ADDED", "BY", "REASON"],
        rows.map((r) => [
          r.id,
          r.kind,
          r.organizationId ?? "(all)",
          r.field,
          forTerminal(r.value, 40),
          r.addedAt.slice(0, 10),
          forTerminal(r.addedBy, 20),
          forTerminal(r.reason, 60),
        ]),
      ),
    );
  return 0;
}
