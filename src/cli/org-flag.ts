import type { Store } from "../inventory/index.js";
import { UsageError } from "../shared/errors.js";

/** --org: the organization given, checked to be in the inventory; null (every organization) when none is given. */
export async function organizationFlag(store: Store, org: string | undefined): Promise<string | null> {
  if (org === undefined) return null;
  if (!(await store.organizationExists(org)))
    throw new UsageError(`--org ${org}: no such organization in the inventory (camsweep org list)`);
  return org;
}
