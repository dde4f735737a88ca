import { formatHead, listAudit, parseHead, verifyAudit } from "../../inventory/audit.js";
import { forTerminal } from "../../report/escape.js";
import { UsageError } from "../../shared/errors.js";
import { columns } from "../../shared/columns.js";
import { err, out } from "../output.js";
import { withInventoryDb } from "./inventory-db.js";

/**
 * `camsweep audit verify`: walks the hash chain and says where it first breaks. Exit 0 when it holds, 1 when not.
 * The head it prints (SEQ:HASH) is worth noting outside the inventory: only a head kept elsewhere shows a log whose
 * newest entries were cut off, or rewritten whole (--expect-head).
 */
export async function auditVerifyCommand(flags: {
  json?: boolean;
  expectHead?: string;
  dataDir?: string;
}): Promise<number> {
  const expectHead = flags.expectHead === undefined ? null : parseHead(flags.expectHead);
  if (flags.expectHead !== undefined && !expectHead)
    throw new UsageError(
      `--expect-head takes SEQ:HASH as audit verify prints it (got "${flags.expectHead}")`,
    );
  const v = await withInventoryDb(flags.dataDir, (db) => verifyAudit(db, { expectHead }), { readOnly: true });
  if (flags.json) out(JSON.stringify({ ...v, head: v.head && formatHead(v.head) }));
  else if (v.ok)
    out(
      v.head
        ? `audit log verified: ${v.entries} entries, head ${formatHead(v.head)}` +
            (expectHead ? ` (the expected head ${expectHead.seq} is in the chain)` : "")
        : "audit log verified: no entries yet",
    );
  else err(`audit log BROKEN (${v.break!.kind}) at entry ${v.break!.seq}: ${v.break!.message}`);
  return v.ok ? 0 : 1;
}

/** `camsweep audit log`: the newest entries, newest first. */
export async function auditLogCommand(flags: {
  json?: boolean;
  limit?: number;
  dataDir?: string;
}): Promise<number> {
  const entries = await withInventoryDb(flags.dataDir, (db) => listAudit(db, flags.limit ?? 50), {
    readOnly: true,
  });
  if (flags.json) {
    out(entries.map((e) => JSON.stringify(e)).join("\n"));
    return 0;
  }
  if (!entries.length) {
    out("no audit entries");
    return 0;
  }
  // actor, ids and reasons may hold text from devices or users: escaped for the terminal.
  const rows = entries.map((e) => [
    String(e.seq),
    e.at.replace("T", " ").replace(/\.\d+Z$/, "Z"),
    forTerminal(e.actor, 24),
    forTerminal(e.entity, 16),
    forTerminal(e.action, 12),
    forTerminal(e.entityId, 40),
    forTerminal(e.reason, 50),
  ]);
  out(columns(["SEQ", "AT", "ACTOR", "ENTITY", "ACTION", "ID", "REASON"], rows));
  return 0;
}
