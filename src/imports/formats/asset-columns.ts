import { InputError } from "../../shared/errors.js";
import type { ImportItem, ImportRecord } from "../record.js";
import { canonicalAddress, canonicalMac, observation, quote, rowError } from "./common.js";

/**
 * Asset lists (CMDB exports as CSV or XLSX): which column holds which field, and a row as an import record.
 * Shared by csv.ts and xlsx.ts, so both read the same headers the same way.
 */

/** camsweep's field names, the keys of `--columns` (`{address: "IP Addr"}`). */
export const ASSET_COLUMNS = [
  "address",
  "mac",
  "hostname",
  "serial",
  "manufacturer",
  "brand",
  "model",
  "firmware",
  "type",
  "location",
  "assetTag",
] as const;
export type AssetColumn = (typeof ASSET_COLUMNS)[number];

/** Fields that tie a row to a device (the importer merges on them). */
const IDENTITY: AssetColumn[] = ["address", "mac", "serial", "hostname"];

/**
 * Header spellings per field, most specific first, in the folded form of `foldHeader` (lower case, accents and
 * everything but letters and digits removed: "Adresse IP" -> "adresseip", "Numéro de série" -> "numerodeserie").
 * English and French, as Canadian federal exports come in both.
 */
const SYNONYMS: Record<AssetColumn, string[]> = {
  address: [
    "ipaddress",
    "ipaddr",
    "ipv4address",
    "ipv6address",
    "ip",
    "ipv4",
    "adresseip",
    "adresseipv4",
    "address",
    "adresse",
  ],
  mac: [
    "macaddress",
    "macaddr",
    "mac",
    "adressemac",
    "physicaladdress",
    "adressephysique",
    "hardwareaddress",
  ],
  hostname: [
    "hostname",
    "hostnames",
    "host",
    "dnsname",
    "fqdn",
    "devicename",
    "nomdhote",
    "nomhote",
    "name",
    "nom",
  ],
  serial: ["serialnumber", "serialno", "serial", "sn", "numerodeserie", "nodeserie", "numeroserie"],
  manufacturer: ["manufacturer", "make", "vendor", "maker", "fabricant", "constructeur", "manufacturier"],
  brand: ["brand", "marque"],
  model: ["model", "modelnumber", "modelname", "modele", "numerodemodele"],
  firmware: [
    "firmware",
    "firmwareversion",
    "fwversion",
    "micrologiciel",
    "versiondumicrologiciel",
    "versionmicrologiciel",
  ],
  type: ["devicetype", "assettype", "type", "category", "categorie", "typedappareil", "typedequipement"],
  location: ["location", "emplacement", "localisation", "lieu"],
  assetTag: [
    "assettag",
    "assetnumber",
    "assetid",
    "tag",
    "numerodinventaire",
    "noinventaire",
    "etiquette",
    "etiquettedinventaire",
  ],
};

/** "Numéro de série" -> "numerodeserie": case, accents, spaces and punctuation ignored. */
export function foldHeader(h: string): string {
  return h
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/** Column index per field. */
export type ColumnMap = Partial<Record<AssetColumn, number>>;

/** Longest header shown in an error. */
const HEADER_SHOWN = 60;

function headerList(headers: string[]): string {
  const shown = headers.slice(0, 40).map((h) => quote(h, HEADER_SHOWN));
  return shown.join(", ") + (headers.length > 40 ? `, … (${headers.length} columns)` : "");
}

/**
 * Which column holds which field. A `columns` mapping names the file's header for a field (exactly, else ignoring
 * case, accents, spaces and punctuation); a mapped header that is not there is an error naming it and the headers
 * found. Fields the mapping leaves out are recognised from common headers. Throws InputError when no column ties a
 * row to a device.
 */
export function mapColumns(
  headers: string[],
  file: string,
  columns?: Record<string, string>,
  line = 1,
): ColumnMap {
  const map: ColumnMap = {};
  const used = new Set<number>();
  const folded = headers.map(foldHeader);
  for (const [field, header] of Object.entries(columns ?? {})) {
    if (!(ASSET_COLUMNS as readonly string[]).includes(field))
      throw new InputError(
        `unknown field "${field}" in the column mapping (fields: ${ASSET_COLUMNS.join(", ")})`,
        file,
      );
    let at = headers.indexOf(header);
    if (at < 0) at = folded.indexOf(foldHeader(header));
    if (at < 0)
      throw new InputError(
        `column ${quote(header, HEADER_SHOWN)} (mapped to ${field}) is not in the header; headers found: ${headerList(headers)}`,
        file,
        line,
      );
    map[field as AssetColumn] = at;
    used.add(at);
  }
  for (const field of ASSET_COLUMNS) {
    if (map[field] !== undefined) continue;
    for (const syn of SYNONYMS[field]) {
      const at = folded.findIndex((f, i) => f === syn && !used.has(i));
      if (at >= 0) {
        map[field] = at;
        used.add(at);
        break;
      }
    }
  }
  if (!IDENTITY.some((f) => map[f] !== undefined))
    throw new InputError(
      `no column for an address, MAC, serial or hostname (map one with --columns address=HEADER); headers found: ${headerList(headers)}`,
      file,
      line,
    );
  return map;
}

/** Longest value kept from a cell; a longer one is the row's error (a CMDB field is never this long). */
export const CELL_CAP = 1024;

/** A row's cells (undefined: empty) -> a record with one `asset` observation, or the row's first error. */
export function assetItem(
  cells: (string | undefined)[],
  map: ColumnMap,
  line: number,
  source: string,
): ImportItem | undefined {
  const fields: Partial<Record<AssetColumn, string>> = {};
  for (const f of ASSET_COLUMNS) {
    const at = map[f];
    if (at === undefined) continue;
    const v = cells[at]?.trim();
    if (!v) continue;
    if (v.length > CELL_CAP) return rowError(line, `value of ${v.length} characters (over ${CELL_CAP})`, f);
    fields[f] = v;
  }
  // A row with nothing in the mapped columns (a blank or spacer row) is not a row.
  if (Object.keys(fields).length === 0) return undefined;
  const record: ImportRecord = { line, observations: [] };
  if (fields.address !== undefined) {
    const a = canonicalAddress(fields.address);
    if (!a) return rowError(line, `not an IP address: ${quote(fields.address)}`, "address");
    record.address = a;
  }
  if (fields.mac !== undefined) {
    const m = canonicalMac(fields.mac);
    if (!m) return rowError(line, `not a MAC address: ${quote(fields.mac)}`, "mac");
    record.mac = m;
  }
  if (fields.hostname !== undefined) {
    if (fields.hostname.length > 255) return rowError(line, "hostname over 255 characters", "hostname");
    record.hostname = fields.hostname;
  }
  if (fields.serial !== undefined) record.serial = fields.serial;
  if (!record.address && !record.mac && !record.serial && !record.hostname)
    return rowError(line, "no address, MAC, serial or hostname: nothing to tie the row to a device");
  const o = observation({
    protocol: "asset",
    target: record.address ?? record.hostname,
    ...(record.mac ? { mac: record.mac } : {}),
    // The mapped fields as the organization wrote them (identity keys too: the row is the evidence).
    request: { source, line, ...fields },
  });
  if ("why" in o) return rowError(line, o.why);
  record.observations.push(o.ok);
  return { record };
}
