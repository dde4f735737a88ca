import { foldHeader } from "../../imports/formats/asset-columns.js";
import { quote } from "../../imports/formats/common.js";
import { InputError, UsageError } from "../../shared/errors.js";

/**
 * Which column of a procurement list (purchase order, catalogue, bill of materials) holds which field the screening
 * reads, from the header's wording in English or French, or from a `--columns` mapping.
 */

/** The fields the screening reads, the keys of `--columns`. */
export const ROLES = ["manufacturer", "brand", "model", "sku", "description"] as const;
export type Role = (typeof ROLES)[number];

/** Role -> header, as the file spells it. */
export type ColumnMap = Partial<Record<Role, string>>;

/**
 * A header in a comparable form: case, accents, spaces and punctuation ignored (asset-columns' foldHeader), but "#"
 * read as "no" first so "Item #" (a catalogue number) stays apart from "Item" (a description), and "Nº" as "No".
 */
export function fold(h: string): string {
  return foldHeader(h.replace(/#/g, "no").replace(/[º°]/g, "o"));
}

/**
 * Header spellings per role, folded, most specific first. Manufacturer part numbers are the model (what the
 * screening matches a model against); the seller's or the buyer's own numbers are the sku.
 */
const SYNONYMS: Record<Role, string[]> = {
  manufacturer: [
    "manufacturer",
    "manufacturername",
    "mfr",
    "mfrname",
    "mfg",
    "mfgname",
    "manuf",
    "make",
    "maker",
    "oem",
    "fabricant",
    "nomdufabricant",
    "nomfabricant",
    "manufacturier",
    "constructeur",
  ],
  brand: ["brand", "brandname", "marque", "nomdelamarque", "tradename", "marquedecommerce"],
  model: [
    "model",
    "modelno",
    "modelnumber",
    "modelname",
    "modele",
    "nodemodele",
    "numerodemodele",
    "mpn",
    "mfrpartno",
    "mfrpartnumber",
    "mfrpn",
    "mfgpartno",
    "mfgpartnumber",
    "mfgpn",
    "manufacturerpartno",
    "manufacturerpartnumber",
    "manufacturerpn",
    "partno",
    "partnumber",
    "pn",
    "numerodepiece",
    "nodepiece",
    "numerodepiecedufabricant",
    "referencefabricant",
    "reffabricant",
  ],
  sku: [
    "sku",
    "skuno",
    "skunumber",
    "ugs",
    "itemno",
    "itemnumber",
    "itemcode",
    "itemid",
    "catalogno",
    "catalognumber",
    "catalogueno",
    "cataloguenumber",
    "catno",
    "vendorpart",
    "vendorpartno",
    "vendorpartnumber",
    "vendoritemno",
    "supplierpartno",
    "supplierpartnumber",
    "supplieritemno",
    "productcode",
    "productno",
    "productid",
    "materialno",
    "material",
    "codearticle",
    "codedarticle",
    "noarticle",
    "numerodarticle",
    "referencearticle",
    "refarticle",
    "referencefournisseur",
    "reffournisseur",
    "nodecatalogue",
    "numerodecatalogue",
  ],
  description: [
    "description",
    "itemdescription",
    "productdescription",
    "materialdescription",
    "desc",
    "productname",
    "itemname",
    "shorttext",
    "designation",
    "libelle",
    "descriptiondelarticle",
    "descriptionarticle",
    "descriptionduproduit",
    "nomduproduit",
    "item",
    "product",
    "produit",
    "article",
  ],
};

/**
 * Seller columns: in procurement "Vendor" or "Supplier" is usually the reseller, not the maker, so such a column
 * stands for the manufacturer only when the file has no manufacturer or brand column (with a warning).
 */
const SELLER = ["vendor", "vendorname", "supplier", "suppliername", "fournisseur", "nomdufournisseur"];

/** The folded forms a header is compared by: as written, then without a parenthesised note or a trailing mark. */
function forms(h: string): string[] {
  const whole = fold(h);
  const bare = fold(h.replace(/\([^)]*\)|\[[^\]]*\]/g, " "));
  return bare && bare !== whole ? [whole, bare] : [whole];
}

export interface Detected {
  /** role -> column index */
  at: Partial<Record<Role, number>>;
  /** a note for the read's warnings (the seller fallback) */
  note?: string;
}

/**
 * Roles recognised in a row of headers, around the `mapped` ones (role -> index, kept as given). Each role takes the
 * column of its most specific spelling; a column serves one role (a mapped column is not reused by detection).
 */
export function detect(headers: readonly string[], mapped: Partial<Record<Role, number>> = {}): Detected {
  const folded = headers.map(forms);
  const used = new Set(Object.values(mapped));
  const at: Partial<Record<Role, number>> = { ...mapped };
  const find = (syns: readonly string[]): number => {
    for (const syn of syns) {
      const i = folded.findIndex((f, i) => !used.has(i) && f.includes(syn));
      if (i >= 0) return i;
    }
    return -1;
  };
  for (const role of ROLES) {
    if (at[role] !== undefined) continue;
    const i = find(SYNONYMS[role]);
    if (i >= 0) {
      at[role] = i;
      used.add(i);
    }
  }
  if (at.manufacturer !== undefined || at.brand !== undefined) return { at };
  const i = find(SELLER);
  if (i < 0) return { at };
  at.manufacturer = i;
  return {
    at,
    note: `no manufacturer or brand column: the seller column ${quote(headers[i] ?? "")} is screened as the manufacturer`,
  };
}

/** Longest header shown in a message, and how many headers are listed. */
const SHOWN = 60;
const LISTED = 40;

export function headerList(headers: readonly string[]): string {
  const named = headers.filter((h) => h.trim() !== "");
  if (named.length === 0) return "(none)";
  const shown = named.slice(0, LISTED).map((h) => quote(h, SHOWN));
  return shown.join(", ") + (named.length > LISTED ? `, … (${named.length} columns)` : "");
}

export const COLUMNS_SYNTAX = '--columns "model=Part No,manufacturer=Mfr,description=Item"';

/** The index of a mapped header in a row: exactly as written, else by its folded form; -1 when absent. */
export function findHeader(headers: readonly string[], header: string): number {
  const exact = headers.findIndex((h) => h.trim() === header.trim());
  if (exact >= 0) return exact;
  const f = fold(header);
  return f ? headers.findIndex((h) => fold(h) === f) : -1;
}

/** Role -> column index for a row known to be the header: the mapping first, detection for the other roles. */
export function resolve(
  headers: readonly string[],
  columns: ColumnMap | undefined,
  where: { file: string; line?: number; sheet?: string },
): Detected {
  const mapped: Partial<Record<Role, number>> = {};
  for (const [role, header] of Object.entries(columns ?? {}) as [Role, string][]) {
    const i = findHeader(headers, header);
    if (i < 0) throw missingMapped(role, header, headers, where);
    mapped[role] = i;
  }
  return detect(headers, mapped);
}

function inSheet(sheet?: string): string {
  return sheet === undefined ? "" : ` in sheet ${quote(sheet, SHOWN)}`;
}

export function missingMapped(
  role: Role,
  header: string,
  headers: readonly string[],
  where: { file: string; line?: number; sheet?: string },
): InputError {
  return new InputError(
    `column ${quote(header, SHOWN)} (mapped to ${role}) is not in the header${inSheet(where.sheet)}; headers found: ${headerList(headers)}`,
    where.file,
    where.line,
  );
}

export function noColumns(
  headers: readonly string[],
  where: { file: string; line?: number; sheet?: string },
): InputError {
  return new InputError(
    `no column to screen${inSheet(where.sheet)}: no header for a manufacturer, brand, model, SKU or description; headers found: ${headerList(headers)}; name them with ${COLUMNS_SYNTAX} (roles: ${ROLES.join(", ")})`,
    where.file,
    where.line,
  );
}

/**
 * `--columns "model=Part No,manufacturer=Mfr,description=Item"` -> {model: "Part No", …}. A header holding a comma
 * or an equals sign is written in double quotes (`model="Part No, rev"`). Roles are case-insensitive; a role given
 * twice, an unknown role or an empty header is a UsageError.
 */
export function parseColumnsFlag(flag: string): ColumnMap {
  const out: ColumnMap = {};
  const pairs = splitPairs(flag);
  if (pairs.length === 0) throw new UsageError(`--columns is empty; expected ${COLUMNS_SYNTAX}`);
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq < 0)
      throw new UsageError(`--columns: ${quote(pair)} is not ROLE=HEADER; expected ${COLUMNS_SYNTAX}`);
    const role = pair.slice(0, eq).trim().toLowerCase();
    let header = pair.slice(eq + 1).trim();
    if (/^".*"$/s.test(header)) header = header.slice(1, -1).replace(/""/g, '"');
    if (!(ROLES as readonly string[]).includes(role))
      throw new UsageError(`--columns: unknown role ${quote(role)} (roles: ${ROLES.join(", ")})`);
    if (!header.trim()) throw new UsageError(`--columns: no header given for ${role}`);
    if (out[role as Role] !== undefined) throw new UsageError(`--columns: ${role} is given twice`);
    out[role as Role] = header;
  }
  return out;
}

/** Splits on commas outside double quotes; empty pieces (a trailing comma) are dropped. */
function splitPairs(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (const c of s) {
    if (c === '"') quoted = !quoted;
    if (c === "," && !quoted) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  if (quoted) throw new UsageError(`--columns: unclosed double quote in ${quote(s)}`);
  out.push(cur);
  return out.map((p) => p.trim()).filter((p) => p !== "");
}
