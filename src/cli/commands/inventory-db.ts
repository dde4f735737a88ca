import type { Db } from "../../inventory/db.js";
import { openInventory, type OpenInventory } from "../../inventory/index.js";
import { resolveDataDir } from "../../shared/paths.js";

/** Opens the inventory (--data-dir, or DATABASE_URL), runs `fn` on its database, closes it. */
export async function withInventoryDb<T>(
  dataDir: string | undefined,
  fn: (db: Db, inv: OpenInventory) => Promise<T>,
  opts: { readOnly?: boolean } = {},
): Promise<T> {
  const inv = await openInventory(resolveDataDir(dataDir), opts);
  try {
    return await fn(inv.db, inv);
  } finally {
    await inv.close();
  }
}
