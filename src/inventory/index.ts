import { lockDataDir } from "./lock.js";
import { migrate } from "./migrate.js";
import { openPglite } from "./pglite.js";
import { lockSchema } from "./pg-lock.js";
import { maskUrl, openPostgres, openSession } from "./postgres.js";
import { Store } from "./store.js";
import { Workflow } from "./workflow.js";
import { CamsweepError } from "../shared/errors.js";
import type { Db } from "./db.js";
import type { AuditContext } from "./audit.js";

export type { Db, Queryable } from "./db.js";

export type {
  DeviceRecord,
  DeviceFilter,
  DeviceSource,
  HostRecord,
  IdentityConflict,
  ScanSummary,
} from "./store.js";
export { Store } from "./store.js";
export { Workflow, type DeviceWorkflow } from "./workflow.js";
export type { StepRequest, StepResult, SanitizationInput, Reopened } from "./remediation.js";
export { SANITIZATION_METHODS } from "./remediation.js";
export type { ExceptionRecord, ExceptionDecision } from "./exceptions.js";
export { MAX_EVIDENCE_BYTES, type EvidenceFile } from "./evidence.js";
export type { SiteClearance } from "./clearance.js";
export type { ManufacturerCount, SiteCompliance } from "./compliance.js";
export type {
  AssessedDeviceRow,
  AssessmentRun,
  AssessmentSummary,
  DeviceToAssess,
  StoredAssessment,
  StoredStatus,
} from "./assessments.js";
export { CRITICALITIES, ORGANIZATION_SECTORS, ORGANIZATION_TYPES } from "./organizations.js";
export type { Criticality } from "./organizations.js";

export interface OpenInventory {
  store: Store;
  /** the removal workflow: steps, sanitization, exceptions, evidence */
  workflow: Workflow;
  /** the database under the store, for what works below it (audit, export, restore) */
  db: Db;
  /** which database: embedded PGlite in a data directory, or a PostgreSQL server */
  backend: "pglite" | "postgres";
  /** where it is, safe to print (a PostgreSQL URL has its password masked) */
  where: string;
  close(): Promise<void>;
}

export interface InventoryOptions {
  /**
   * A PostgreSQL URL to hold the inventory instead of the data directory. Unset: $DATABASE_URL, if set and not
   * empty. null or "": the embedded PGlite in dataDir, whatever the environment says.
   */
  databaseUrl?: string | null;
  /**
   * The caller only reads. On PostgreSQL it then takes no writer lock, so it may run beside a scan (the server keeps
   * each query consistent). PGlite's files admit one process at a time: there it locks all the same.
   */
  readOnly?: boolean;
  /** who acts and why: written into every audit entry the store appends (default actor: the OS user) */
  audit?: AuditContext;
}

/** The PostgreSQL URL the options and environment choose, or null for the embedded inventory. */
export function inventoryUrl(opts: InventoryOptions = {}): string | null {
  const url = opts.databaseUrl === undefined ? process.env["DATABASE_URL"] : opts.databaseUrl;
  return url ? url : null;
}

/**
 * Opens (creating and migrating as needed) the inventory: on PostgreSQL when a URL is given or DATABASE_URL is set
 * (the data directory is then unused), else the embedded one in dataDir, locked to this process.
 * The data directory's lock is taken synchronously (a held lock throws at once), so a caller may start other work
 * while the database starts up. PostgreSQL's writer lock is taken before migrating, and refuses at once too.
 */
export function openInventory(dataDir: string, opts: InventoryOptions = {}): Promise<OpenInventory> {
  const url = inventoryUrl(opts);
  if (url) return openPostgresInventory(url, opts);
  return initInventory(dataDir, lockDataDir(dataDir), opts);
}

async function initInventory(
  dataDir: string,
  unlock: () => void,
  opts: InventoryOptions,
): Promise<OpenInventory> {
  try {
    const db = await openPglite(dataDir);
    return await ready(db, "pglite", dataDir, unlock, opts.audit);
  } catch (e) {
    unlock();
    throw e;
  }
}

async function openPostgresInventory(url: string, opts: InventoryOptions): Promise<OpenInventory> {
  const readOnly = opts.readOnly ?? false;
  const where = `PostgreSQL ${maskUrl(url)}`;
  const session = readOnly ? undefined : await openSession(url);
  // Awaited by close(): once the session has ended the server has freed its lock, and a next writer may open.
  const unlock = async () => {
    await session?.end().catch(() => undefined);
  };
  try {
    if (session) await lockSchema(session, where);
    const db = await openPostgres(url);
    if ((await db.schema().catch(() => null)) === null) {
      await db.close();
      throw new CamsweepError(
        `the inventory in ${where} has no schema to create its tables in: the search_path names none that exists; ` +
          "create it (CREATE SCHEMA ...) or set another (options=-c search_path=...)",
      );
    }
    return await ready(db, "postgres", where, unlock, opts.audit);
  } catch (e) {
    await unlock();
    throw e;
  }
}

/** Migrates db and wraps it; closes db (not the lock: the caller frees that) when migrating fails. */
async function ready(
  db: Db,
  backend: OpenInventory["backend"],
  where: string,
  unlock: () => void | Promise<void>,
  audit: AuditContext = {},
): Promise<OpenInventory> {
  try {
    await migrate(db);
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
  return {
    store: new Store(db, audit),
    workflow: new Workflow(db, audit),
    db,
    backend,
    where,
    close: async () => {
      try {
        await db.close();
      } finally {
        await unlock();
      }
    },
  };
}
export type { AuditContext } from "./audit.js";
