import { createWriteStream, existsSync, fchmodSync, openSync, renameSync, rmSync } from "node:fs";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { formatHead } from "../../inventory/audit.js";
import { exportInventory, type ExportResult } from "../../inventory/export.js";
import { CamsweepError, InputError, UsageError } from "../../shared/errors.js";
import { err } from "../output.js";
import { withInventoryDb } from "./inventory-db.js";

/**
 * `camsweep export [FILE|-]`: the whole inventory as JSON Lines (src/inventory/export-format.ts), to FILE or
 * standard output. A file is written beside its name and renamed into place when complete, readable by its owner
 * only (it holds every device and where it is); an existing FILE is kept unless --force.
 */
export async function exportCommand(
  file: string | undefined,
  flags: { force?: boolean; dataDir?: string },
): Promise<number> {
  const toStdout = file === undefined || file === "-";
  if (!toStdout && existsSync(file) && !flags.force)
    throw new UsageError(`${file} exists: give another name, or --force to replace it`);
  const result = toStdout
    ? await withInventoryDb(flags.dataDir, (db) => exportInventory(db, writer(process.stdout)), {
        readOnly: true,
      })
    : await exportToFile(file, (write) =>
        withInventoryDb(flags.dataDir, (db) => exportInventory(db, write), { readOnly: true }),
      );
  const total = Object.values(result.rows).reduce((a, b) => a + b, 0);
  const tables = Object.entries(result.rows)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${n} ${t}`)
    .join(", ");
  const where = toStdout ? "standard output" : file;
  err(`exported ${total} rows (${tables}) to ${where}; audit head ${formatHead(result.header.auditHead)}`);
  return 0;
}

/** Writes FILE.partial (opened first: an unwritable place is said before the inventory is opened), then renames it. */
async function exportToFile(
  file: string,
  run: (write: (chunk: string) => Promise<void>) => Promise<ExportResult>,
): Promise<ExportResult> {
  const partial = `${file}.partial`;
  let fd: number;
  try {
    fd = openSync(partial, "w", 0o600);
    fchmodSync(fd, 0o600); // a .partial left by an earlier run keeps its mode otherwise
  } catch (e) {
    throw new InputError(`cannot write: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, partial);
  }
  const stream = createWriteStream("", { fd });
  try {
    const result = await run(writer(stream));
    stream.end();
    await finished(stream);
    renameSync(partial, file);
    return result;
  } catch (e) {
    stream.destroy();
    rmSync(partial, { force: true });
    throw e;
  }
}

/** Each chunk resolves once the stream has taken it: memory holds one page, however slow the reader. */
function writer(stream: Writable): (chunk: string) => Promise<void> {
  // The error also reaches each write's callback; unheard as an event, it would end the process.
  stream.on("error", () => undefined);
  return (chunk) =>
    new Promise((resolve, reject) =>
      stream.write(chunk, (e) =>
        e
          ? reject(
              (e as NodeJS.ErrnoException).code === "EPIPE"
                ? new CamsweepError("the reader closed the output before the export was complete")
                : e,
            )
          : resolve(),
      ),
    );
}
