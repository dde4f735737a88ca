import { Option } from "commander";
import { defaultActor } from "../inventory/audit.js";
import type { AuditContext } from "../inventory/index.js";
import { UsageError } from "../shared/errors.js";

/** Flags every command that changes the inventory takes: who acts, and why (the audit log's actor and reason). */
export interface AuditFlags {
  actor?: string;
  reason?: string;
}

/** A reason is a sentence or a ticket reference, not a document. */
const MAX_REASON = 2000;
const MAX_ACTOR = 200;

export function auditOptions(): [reason: Option, actor: Option] {
  return [
    new Option(
      "--reason <text>",
      'why, in the audit log: a ticket or an order ("CHG-1234: Canada 2025 order, phase 1")',
    ),
    new Option("--actor <name>", "who, in the audit log, when not the OS user (recorded with the OS user)"),
  ];
}

/**
 * The audit context of a command. A given actor is recorded beside the OS account that ran camsweep
 * ("j.tremblay via root"), so naming someone else never hides who typed the command.
 */
export function auditContext(flags: AuditFlags): AuditContext {
  const os = defaultActor();
  const actor = flags.actor === undefined ? undefined : clean("--actor", flags.actor, MAX_ACTOR);
  const reason = flags.reason === undefined ? undefined : clean("--reason", flags.reason, MAX_REASON);
  return {
    actor: actor && actor !== os ? `${actor} via ${os}` : os,
    ...(reason ? { reason } : {}),
  };
}

function clean(flag: string, value: string, max: number): string {
  const v = value.trim();
  if (!v) throw new UsageError(`${flag} is empty`);
  if (v.length > max) throw new UsageError(`${flag} is ${v.length} characters; at most ${max}`);
  if (/[\u0000-\u001f\u007f]/.test(v)) throw new UsageError(`${flag} holds a control character`);
  return v;
}
