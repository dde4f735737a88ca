import type { ExceptionDecision, ExceptionRecord } from "../../inventory/index.js";
import { openInventory } from "../../inventory/index.js";
import { forTerminal } from "../../report/escape.js";
import { columns } from "../../shared/columns.js";
import { dayFlag, todayUtc } from "../../shared/dates.js";
import { UsageError } from "../../shared/errors.js";
import { resolveDataDir } from "../../shared/paths.js";
import { auditContext, type AuditFlags } from "../audit-flags.js";
import { out } from "../output.js";
import { readEvidence } from "./remediate.js";

/** `camsweep exception request|approve|reject|revoke|list`: exceptions with expiry, decided by a second person. */
export async function requestCommand(
  name: string,
  flags: AuditFlags & {
    site?: string;
    justification?: string;
    control?: string[];
    until?: string;
    evidence?: string[];
    dataDir?: string;
  },
): Promise<number> {
  if (!flags.until) throw new UsageError("--until YYYY-MM-DD: the last day the exception covers");
  const evidence = await readEvidence(flags.evidence);
  const inv = await openInventory(resolveDataDir(flags.dataDir), { audit: auditContext(flags) });
  try {
    const id = await inv.workflow.requestException(todayUtc(), {
      device: name,
      ...(flags.site ? { site: flags.site } : {}),
      justification: flags.justification ?? "",
      controls: flags.control ?? [],
      until: flags.until,
      evidence,
    });
    out(
      `exception ${id} requested until ${flags.until}; another person approves it (camsweep exception approve ${id})`,
    );
    return 0;
  } finally {
    await inv.close();
  }
}

export async function decideCommand(
  decision: ExceptionDecision,
  id: string,
  flags: AuditFlags & { note?: string; until?: string; dataDir?: string },
): Promise<number> {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${id}: an exception's number (camsweep exception list)`);
  const inv = await openInventory(resolveDataDir(flags.dataDir), { audit: auditContext(flags) });
  try {
    const e = await inv.workflow.decideException(todayUtc(), n, decision, {
      note: flags.note ?? "",
      ...(flags.until ? { until: flags.until } : {}),
    });
    out(`exception ${e.id}: ${e.state}${e.state === "approved" ? ` until ${e.expiresOn}` : ""}`);
    return 0;
  } finally {
    await inv.close();
  }
}

export async function listExceptionsCommand(flags: {
  all?: boolean;
  asOf?: string;
  json?: boolean;
  dataDir?: string;
}): Promise<number> {
  const inv = await openInventory(resolveDataDir(flags.dataDir), { readOnly: true });
  try {
    const list = await inv.workflow.listExceptions(dayFlag(flags.asOf), { all: !!flags.all });
    if (flags.json) out(list.map((e) => JSON.stringify(e)).join("\n"));
    else out(list.length ? formatExceptions(list) : `no ${flags.all ? "" : "open "}exception`);
    return 0;
  } finally {
    await inv.close();
  }
}

function formatExceptions(list: readonly ExceptionRecord[]): string {
  const t = (s: string | null, max = 60) => forTerminal(s ?? "", max);
  return columns(
    ["#", "STATE", "UNTIL", "ADDRESS", "REQUESTED BY", "DECIDED BY", "CONTROLS", "JUSTIFICATION", "DEVICE"],
    list.map((e) => [
      String(e.id),
      e.state,
      e.expiresOn,
      t(e.address),
      t(e.requestedBy, 30),
      t(e.decidedBy, 30),
      t(e.controls.join("; "), 60),
      t(e.justification, 60),
      e.deviceId,
    ]),
  );
}
