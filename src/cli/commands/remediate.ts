import { open, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import {
  type DeviceWorkflow,
  type EvidenceFile,
  MAX_EVIDENCE_BYTES,
  openInventory,
  type StepRequest,
} from "../../inventory/index.js";
import { forTerminal } from "../../report/escape.js";
import {
  STORAGE_KINDS,
  type Storage,
  WORKFLOW_STATES,
  type WorkflowState,
} from "../../remediation/states.js";
import { columns } from "../../shared/columns.js";
import { todayUtc } from "../../shared/dates.js";
import { InputError, UsageError } from "../../shared/errors.js";
import { resolveDataDir } from "../../shared/paths.js";
import { auditContext, type AuditFlags } from "../audit-flags.js";
import { out } from "../output.js";

/**
 * `camsweep remediate <step>`: the removal workflow from the command line. The store guards every step (all or
 * nothing for named devices); this reads the evidence files, and says what happened.
 */

export interface WorkflowFlags extends AuditFlags {
  dataDir?: string;
  /** the day it happened (default today) */
  date?: string;
}

/** Reads evidence files whole, refusing an unreadable, empty or oversized one by name before anything is written. */
export async function readEvidence(paths: readonly string[] = []): Promise<EvidenceFile[]> {
  const files: EvidenceFile[] = [];
  for (const path of paths) {
    let content: Buffer;
    try {
      const handle = await open(path, "r");
      try {
        const { size } = await handle.stat();
        if (size > MAX_EVIDENCE_BYTES)
          throw new InputError(`evidence is larger than ${MAX_EVIDENCE_BYTES / 1024 / 1024} MiB`, path);
        content = await handle.readFile();
      } finally {
        await handle.close();
      }
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`evidence file cannot be read: ${(e as Error).message}`, path);
    }
    if (!content.byteLength) throw new InputError("evidence file is empty", path);
    files.push({ name: basename(path), content });
  }
  return files;
}

function storageFlag(v: string | undefined): Storage | undefined {
  if (v === undefined) return undefined;
  if (!(STORAGE_KINDS as readonly string[]).includes(v))
    throw new UsageError(`--storage ${v}: one of ${STORAGE_KINDS.join(", ")}`);
  return v as Storage;
}

function stateFlag(v: string | undefined): WorkflowState | undefined {
  if (v === undefined) return undefined;
  if (!(WORKFLOW_STATES as readonly string[]).includes(v))
    throw new UsageError(`--state ${v}: one of ${WORKFLOW_STATES.join(", ")}`);
  return v as WorkflowState;
}

const STEP_OF: Record<string, StepRequest["step"]> = {
  confirm: "confirmed",
  schedule: "scheduled",
  isolate: "isolated",
  remove: "removed",
  close: "closed",
};

export async function stepCommand(
  verb: string,
  names: string[],
  flags: WorkflowFlags & {
    site?: string;
    org?: string;
    manufacturer?: string;
    type?: string;
    state?: string;
    on?: string;
    storage?: string;
    evidence?: string[];
  },
): Promise<number> {
  const step = STEP_OF[verb];
  if (!step) throw new UsageError(`${verb}: not a step (${Object.keys(STEP_OF).join(", ")})`);
  const state = stateFlag(flags.state);
  if (names.length && (flags.manufacturer || flags.type || state))
    throw new UsageError("name devices or select them with --manufacturer, --type or --state, not both");
  const today = todayUtc();
  const evidence = await readEvidence(flags.evidence);
  const storage = storageFlag(flags.storage);
  const inv = await openInventory(resolveDataDir(flags.dataDir), { audit: auditContext(flags) });
  try {
    const r = await inv.workflow.takeStep(today, {
      step,
      names,
      ...(flags.site ? { site: flags.site } : {}),
      ...(flags.org ? { organization: flags.org } : {}),
      ...(flags.manufacturer ? { manufacturer: flags.manufacturer } : {}),
      ...(flags.type ? { deviceType: flags.type } : {}),
      ...(state ? { state } : {}),
      date: step === "scheduled" ? (flags.on ?? null) : (flags.date ?? null),
      ...(storage ? { storage } : {}),
      evidence,
    });
    out(
      `${r.moved.length} device(s) ${step}${evidence.length ? `, with ${evidence.length} evidence file(s)` : ""}`,
    );
    if (r.skipped.length) {
      out(`${r.skipped.length} device(s) selected could not be ${step}:`);
      for (const s of r.skipped.slice(0, 20)) out(`  ${s.deviceId}: ${s.why}`);
      if (r.skipped.length > 20) out(`  ... and ${r.skipped.length - 20} more`);
    }
    return 0;
  } finally {
    await inv.close();
  }
}

export async function sanitizeCommand(
  name: string,
  flags: WorkflowFlags & {
    site?: string;
    medium?: string;
    method?: string;
    technique?: string;
    by?: string;
    certificate?: string;
    evidence?: string[];
  },
): Promise<number> {
  const today = todayUtc();
  const evidence = await readEvidence(flags.evidence);
  const inv = await openInventory(resolveDataDir(flags.dataDir), { audit: auditContext(flags) });
  try {
    const r = await inv.workflow.sanitize(today, {
      device: name,
      ...(flags.site ? { site: flags.site } : {}),
      medium: flags.medium ?? "",
      method: (flags.method ?? "") as "clear",
      technique: flags.technique ?? null,
      date: flags.date ?? today,
      by: flags.by ?? "",
      certificate: flags.certificate ?? null,
      evidence,
    });
    out(`${r.deviceId}: sanitization ${r.sanitizationId} recorded; the device is ${r.state}`);
    return 0;
  } finally {
    await inv.close();
  }
}

export async function showCommand(
  name: string,
  flags: { site?: string; json?: boolean; dataDir?: string },
): Promise<number> {
  const inv = await openInventory(resolveDataDir(flags.dataDir), { readOnly: true });
  try {
    const found = await inv.workflow.history(name, todayUtc(), flags.site);
    out(flags.json ? JSON.stringify(found) : found.map(formatHistory).join("\n\n"));
    return 0;
  } finally {
    await inv.close();
  }
}

function formatHistory(w: DeviceWorkflow): string {
  const t = (s: string | null | undefined) => forTerminal(s ?? "", 200);
  const lines = [
    `${w.deviceId}: ${w.state}` +
      (w.storage ? `, storage ${w.storage}` : "") +
      (w.scheduledFor ? `, scheduled for ${w.scheduledFor}` : "") +
      (w.removedAt ? `, removed ${w.removedAt}` : ""),
  ];
  for (const s of w.steps)
    lines.push(
      `  ${s.at}  ${s.from} -> ${s.to}  by ${t(s.actor)}${s.reason ? ` (${t(s.reason)})` : ""}` +
        (s.data["scan"] ? `  seen again by run ${t(String(s.data["scan"]))}` : ""),
    );
  for (const s of w.sanitizations)
    lines.push(
      `  sanitization ${s.id}: ${t(s.medium)}, ${s.method}${s.technique ? ` (${t(s.technique)})` : ""} on ${s.date} by ` +
        `${t(s.by)}${s.certificate ? `, certificate ${t(s.certificate)}` : ""}`,
    );
  for (const e of w.evidence) {
    const of = e.stepId
      ? `step ${e.stepId}`
      : e.sanitizationId
        ? `sanitization ${e.sanitizationId}`
        : `exception ${e.exceptionId}`;
    lines.push(`  evidence ${e.sha256}  ${t(e.name)} (${e.size} bytes, ${of})`);
  }
  for (const x of w.exceptions)
    lines.push(`  exception ${x.id}: ${x.state} until ${x.expiresOn}, requested by ${t(x.requestedBy)}`);
  return lines.join("\n");
}

export async function listCommand(flags: {
  state?: string;
  site?: string;
  org?: string;
  limit?: number;
  json?: boolean;
  dataDir?: string;
}): Promise<number> {
  const state = stateFlag(flags.state);
  const inv = await openInventory(resolveDataDir(flags.dataDir), { readOnly: true });
  try {
    const rows = await inv.workflow.list({
      ...(state ? { state } : {}),
      ...(flags.site ? { site: flags.site } : {}),
      ...(flags.org ? { organization: flags.org } : {}),
      ...(flags.limit ? { limit: flags.limit } : {}),
    });
    if (flags.json) out(rows.map((r) => JSON.stringify(r)).join("\n"));
    else if (!rows.length) out("no device in the workflow matches");
    else
      out(
        columns(
          [
            "STATE",
            "ADDRESS",
            "MANUFACTURER",
            "MODEL",
            "TYPE",
            "SITE",
            "VERDICT",
            "RISK",
            "SCHEDULED",
            "DEVICE",
          ],
          rows.map((r) => [
            r.state,
            forTerminal(r.address),
            forTerminal(r.manufacturer),
            forTerminal(r.model, 30),
            r.deviceType,
            forTerminal(r.siteId),
            r.status ?? "",
            r.risk === null ? "" : String(r.risk),
            r.scheduledFor ?? "",
            r.deviceId,
          ]),
        ),
      );
    return 0;
  } finally {
    await inv.close();
  }
}

/** `camsweep evidence get SHA256 --out FILE`: a stored file back, its hash checked. */
export async function evidenceGetCommand(
  sha256: string,
  flags: { out?: string; dataDir?: string },
): Promise<number> {
  if (!/^[0-9a-f]{64}$/.test(sha256))
    throw new UsageError(`${sha256}: not a SHA-256 (64 lower-case hex digits)`);
  if (!flags.out) throw new UsageError("--out FILE: where to write it");
  const inv = await openInventory(resolveDataDir(flags.dataDir), { readOnly: true });
  try {
    const content = await inv.workflow.evidence(sha256);
    if (!content) throw new UsageError(`${sha256}: no evidence file has this hash`);
    await writeFile(flags.out, content, { flag: "wx" });
    out(`${content.byteLength} bytes written to ${flags.out}`);
    return 0;
  } finally {
    await inv.close();
  }
}
