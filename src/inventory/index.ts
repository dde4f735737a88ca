import { lockDataDir } from "./lock.js";
import { migrate } from "./migrate.js";
import { openPglite } from "./pglite.js";
import { Store } from "./store.js";

export type { DeviceRecord, DeviceFilter, HostRecord, ScanSummary } from "./store.js";
export { Store } from "./store.js";

export interface OpenInventory {
  store: Store;
  close(): Promise<void>;
}

/**
 * Opens (creating and migrating as needed) the embedded inventory in dataDir, locked to this process.
 * The lock is taken synchronously (a held lock throws at once), so a caller may start other work while
 * the database starts up.
 */
export function openInventory(dataDir: string): Promise<OpenInventory> {
  return initInventory(dataDir, lockDataDir(dataDir));
}

async function initInventory(dataDir: string, unlock: () => void): Promise<OpenInventory> {
  try {
    const db = await openPglite(dataDir);
    await migrate(db);
    return {
      store: new Store(db),
      close: async () => {
        try {
          await db.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (e) {
    unlock();
    throw e;
  }
}
