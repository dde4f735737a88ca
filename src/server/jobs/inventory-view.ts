import { Store, Workflow, type OpenInventory } from "../../inventory/index.js";
import type { Principal } from "../../inventory/users.js";
import { apiActor } from "../auth.js";

/**
 * The server's inventory as a job sees it: its writes audited under the user ("dana (api)"), and a close() that
 * closes nothing, since runRecordedScan closes the inventory it is given and the server's must stay open.
 * `onScan` hears the id of the run the job's store begins (a scan or an import), as soon as it exists.
 */
export function jobInventory(
  inv: OpenInventory,
  p: Pick<Principal, "name">,
  onScan?: (id: string) => void,
): OpenInventory {
  const ctx = apiActor(p);
  class JobStore extends Store {
    override async beginScan(...a: Parameters<Store["beginScan"]>): Promise<string> {
      const id = await super.beginScan(...a);
      onScan?.(id);
      return id;
    }
    override async beginImport(...a: Parameters<Store["beginImport"]>): Promise<string> {
      const id = await super.beginImport(...a);
      onScan?.(id);
      return id;
    }
  }
  return {
    store: new JobStore(inv.db, ctx),
    workflow: new Workflow(inv.db, ctx),
    db: inv.db,
    backend: inv.backend,
    where: inv.where,
    close: async () => undefined,
  };
}
