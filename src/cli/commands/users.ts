import {
  addUser,
  createToken,
  listUsers,
  revokeToken,
  type Role,
  type TokenScope,
} from "../../inventory/users.js";
import { forTerminal } from "../../report/escape.js";
import { columns } from "../../shared/columns.js";
import { isIsoDate } from "../../shared/dates.js";
import { UsageError } from "../../shared/errors.js";
import { auditContext, type AuditFlags } from "../audit-flags.js";
import { out } from "../output.js";
import { withInventoryDb } from "./inventory-db.js";

/**
 * `camsweep user` and `camsweep token`: the server's accounts, made from the command line (the first admin too).
 * A password is read from standard input, never from the command line, where other users and the shell history
 * would see it.
 */

type Flags = AuditFlags & { dataDir?: string };

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new UsageError(
      "give the password on standard input: printf '%s\\n' \"$PW\" | camsweep user add ...",
    );
  let text = "";
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.length > 4096) throw new UsageError("password: at most 1024 characters");
  }
  return text.replace(/\r?\n$/, "");
}

export async function userAdd(name: string, flags: Flags & { role?: string; org?: string }): Promise<number> {
  if (!flags.role) throw new UsageError("--role: admin, program-manager, auditor or viewer");
  const password = await readStdin();
  const u = await withInventoryDb(flags.dataDir, (db) =>
    db.transaction((tx) =>
      addUser(tx, auditContext(flags), {
        name,
        role: flags.role as Role,
        organizationId: flags.org ?? null,
        password,
      }),
    ),
  );
  out(
    `user ${u.name} added: ${u.role}${u.organizationId ? ` of ${u.organizationId}` : ", every organization"}`,
  );
  return 0;
}

export async function userList(flags: { dataDir?: string; json?: boolean }): Promise<number> {
  const users = await withInventoryDb(flags.dataDir, listUsers, { readOnly: true });
  if (flags.json) out(users.map((u) => JSON.stringify(u)).join("\n"));
  else if (!users.length) out("no user yet: camsweep user add NAME --role admin");
  else
    out(
      columns(
        ["NAME", "ROLE", "ORGANIZATION", "CREATED", "STATE"],
        users.map((u) => [
          forTerminal(u.name),
          u.role,
          u.organizationId ?? "(all)",
          u.createdAt.slice(0, 10),
          u.disabled ? "disabled" : "active",
        ]),
      ),
    );
  return 0;
}

export async function tokenCreate(
  flags: Flags & { user?: string; scope?: string; name?: string; expires?: string },
): Promise<number> {
  const user = flags.user;
  if (!user) throw new UsageError("--user: whose token");
  if (flags.expires !== undefined && !isIsoDate(flags.expires))
    throw new UsageError(`--expires ${flags.expires}: a day, YYYY-MM-DD`);
  const t = await withInventoryDb(flags.dataDir, (db) =>
    db.transaction((tx) =>
      createToken(tx, auditContext(flags), {
        user,
        name: flags.name ?? "cli",
        scope: (flags.scope ?? "read") as TokenScope,
        expiresAt: flags.expires ? `${flags.expires}T00:00:00Z` : null,
      }),
    ),
  );
  // The secret is shown this once: only its hash is kept.
  out(t.secret);
  process.stderr.write(`camsweep: token ${t.id} for ${user}; keep the line above, it is not shown again\n`);
  return 0;
}

export async function tokenRevoke(id: string, flags: Flags): Promise<number> {
  await withInventoryDb(flags.dataDir, (db) =>
    db.transaction((tx) => revokeToken(tx, auditContext(flags), id)),
  );
  out(`token ${id} revoked`);
  return 0;
}
