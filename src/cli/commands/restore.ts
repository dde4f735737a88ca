import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { formatHead } from "../../inventory/audit.js";
import { LineTooLong, numberedLines } from "../../inventory/lines.js";
import { restoreInventory } from "../../inventory/restore.js";
import { InputError } from "../../shared/errors.js";
import { err } from "../output.js";
import { withInventoryDb } from "./inventory-db.js";

/**
 * `camsweep restore FILE`: loads an export into an empty inventory (--data-dir, or DATABASE_URL), all or nothing.
 * The file is checked line by line; the first bad line is named and nothing is kept.
 */
export async function restoreCommand(file: string, flags: { dataDir?: string }): Promise<number> {
  const stdin = file === "-";
  if (!stdin) {
    // Opened first: a missing file is said before the inventory is touched.
    const fh = await open(file, "r").catch((e: NodeJS.ErrnoException) => {
      throw new InputError(`cannot read: ${e.code ?? e.message}`, file);
    });
    await fh.close();
  }
  const name = stdin ? "standard input" : file;
  const result = await withInventoryDb(flags.dataDir, async (db) => {
    const input = stdin ? process.stdin : createReadStream(file);
    try {
      return await restoreInventory(db, numberedLines(input), name);
    } catch (e) {
      if (e instanceof LineTooLong)
        throw new InputError(e.message.replace(/^line \d+ /, "this line "), name, e.line);
      throw e;
    } finally {
      if (!stdin) input.destroy();
    }
  });
  const total = Object.values(result.rows).reduce((a, b) => a + b, 0);
  err(
    `restored ${total} rows from ${name} (exported ${result.header.exportedAt}); audit log verified, head ${formatHead(
      result.header.auditHead,
    )}`,
  );
  return 0;
}
