import { createRequire } from "node:module";

/**
 * MAC -> organization name from the IEEE registry (MA-L, MA-M, MA-S), through the maintained `oui-data`
 * package. Which organization names mean which maker is knowledge (knowledge/fingerprints/oui.yaml), not code.
 */
type Registry = Record<string, string>;
let registry: Registry | undefined;

function load(): Registry {
  // 5.6 MB of JSON: read on the first MAC only, never at start-up.
  registry ??= createRequire(import.meta.url)("oui-data") as Registry;
  return registry;
}

export interface OuiEntry {
  /** the assignment that matched: 6, 7 or 9 hex digits */
  prefix: string;
  /** the organization's name as registered (first line of the registry entry) */
  organization: string;
}

/** The registry entry of a MAC, or undefined (unassigned, locally administered, not a MAC). */
export function lookupOui(mac: string): OuiEntry | undefined {
  const hex = mac.replace(/[\s:.-]/g, "").toUpperCase();
  if (!/^[0-9A-F]{12}$/.test(hex)) return undefined;
  // Locally administered (randomised, virtual) and group (multicast) addresses are nobody's registration.
  if (parseInt(hex[1] as string, 16) & 3) return undefined;
  const reg = load();
  // Longest assignment first: an MA-S block inside an MA-L is registered to someone else.
  for (const len of [9, 7, 6]) {
    const prefix = hex.slice(0, len);
    const v = reg[prefix];
    if (v) return { prefix, organization: organizationOf(prefix, v) };
  }
  return undefined;
}

/** The first line of a registry entry (the name; the rest is the address), cut once per block. */
const names = new Map<string, string>();
function organizationOf(prefix: string, entry: string): string {
  let name = names.get(prefix);
  if (name === undefined) {
    name = (entry.split("\n")[0] as string).trim();
    names.set(prefix, name);
  }
  return name;
}

/** True when a MAC's second-least-significant bit of the first octet marks it locally administered. */
export function isLocallyAdministered(mac: string): boolean {
  const hex = mac.replace(/[\s:.-]/g, "");
  return /^[0-9a-f]{12}$/i.test(hex) && (parseInt(hex[1] as string, 16) & 2) !== 0;
}
