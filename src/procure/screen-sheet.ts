import type { VerdictOrganization } from "../assess/verdict.js";
import type { OpenInventory } from "../inventory/index.js";
import { listEntries } from "../inventory/procurement-lists.js";
import type { ListEntry } from "./lists.js";
import type { LineFields } from "./evidence.js";
import type { ScreenedLine } from "./output.js";
import { screenLine, type ScreenContext } from "./screen.js";
import { ROLES, type SheetRead } from "./sheet/index.js";

/** The buyer and its own allow and block lists, from the inventory (null organization: no buyer named). */
export async function buyerOf(
  inv: OpenInventory,
  organizationId: string | null,
): Promise<{ organization: VerdictOrganization | null; lists: ListEntry[]; name: string | null }> {
  let organization: VerdictOrganization | null = null;
  let name: string | null = null;
  if (organizationId) {
    const o = (await inv.store.listOrganizations()).find((x) => x.id === organizationId);
    if (!o) return { organization: null, lists: [], name: null };
    organization = { id: o.id, type: o.type, jurisdiction: o.jurisdiction, sectors: o.sectors };
    name = o.name;
  }
  return { organization, lists: await listEntries(inv.db, organizationId), name };
}

/** Each line of a read purchase order with its verdict: the columns the reader found, by role. */
export function screenSheet(ctx: ScreenContext, sheet: SheetRead): ScreenedLine[] {
  return sheet.lines.map((l) => {
    // A role with no cell on this line is left out.
    const input: LineFields = Object.fromEntries(ROLES.flatMap((r) => (l[r] ? [[r, l[r]]] : [])));
    return {
      line: l.line,
      ...(l.sheet ? { sheet: l.sheet } : {}),
      input,
      cells: l.cells,
      result: screenLine(ctx, input),
    };
  });
}
