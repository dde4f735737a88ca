import type { LineFields } from "./evidence.js";
import { fold } from "./names.js";
import type { ScreenEvidence, ScreenResult } from "./screen.js";

/**
 * An organization's own allow and block entries: its approved products, and what it has decided never to buy. They
 * override the screen's reading for the lines they match, and the line says which entry did, who added it and
 * why. A block entry wins over an allow entry. Pure; the inventory stores them (src/inventory/procurement-lists.ts).
 */

export const LIST_KINDS = ["allow", "block"] as const;
export const LIST_FIELDS = ["model", "sku", "maker", "text"] as const;
export type ListKind = (typeof LIST_KINDS)[number];
export type ListField = (typeof LIST_FIELDS)[number];

export interface ListEntry {
  id: string;
  organizationId: string | null;
  kind: ListKind;
  /** model: the model column or a model number in the text, exactly; sku: the SKU column; maker: the maker the
   * screen found or the maker column; text: these words anywhere in the line */
  field: ListField;
  value: string;
  reason: string;
  addedBy: string;
  addedAt: string;
}

/** The form entries and lines are compared in: case, accents, spaces and punctuation ignored ("DS-2CD 2143" = "ds2cd2143"). */
export const listKey = (value: string) => fold(value).replace(/ /g, "");

/** Who the screen found behind the line: the maker slug and the brand, when any. */
export interface Found {
  maker: string | null;
  brand: string | null;
}

function matches(e: ListEntry, line: LineFields, found: Found): boolean {
  const key = listKey(e.value);
  if (!key) return false;
  const whole = (v: string | undefined) => v !== undefined && listKey(v) === key;
  switch (e.field) {
    case "model":
      return (
        whole(line.model) ||
        [line.description, line.text].some((t) => t?.split(/\s+/).some((w) => whole(w)) ?? false)
      );
    case "sku":
      return whole(line.sku);
    case "maker":
      return (
        [found.maker, found.brand].some((v) => v !== null && listKey(v) === key) ||
        whole(line.manufacturer) ||
        whole(line.brand)
      );
    case "text":
      return Object.values(line).some((v) => typeof v === "string" && listKey(v).includes(key));
  }
}

export function listMatch(
  entries: readonly ListEntry[],
  line: LineFields,
  found: Found,
): {
  result: Omit<ScreenResult, "notes" | "evidence" | "policies"> & { policies: [] };
  evidence: ScreenEvidence;
} | null {
  const hit =
    entries.find((e) => e.kind === "block" && matches(e, line, found)) ??
    entries.find((e) => e.kind === "allow" && matches(e, line, found));
  if (!hit) return null;
  const whose = hit.organizationId ? `organization ${hit.organizationId}'s` : "the inventory's";
  const says = `${whose} ${hit.kind} list, entry ${hit.id} (${hit.field} "${hit.value}"), added by ${hit.addedBy} on ${hit.addedAt.slice(0, 10)}: ${hit.reason}`;
  return {
    result: {
      verdict: hit.kind === "block" ? "prohibited" : "clear",
      reason: `on ${says}`,
      maker: found.maker,
      brand: found.brand,
      relation: "list",
      confidence: 1,
      policies: [],
    },
    evidence: { kind: "list", field: hit.field, text: hit.value, says, sources: [] },
  };
}
