// The estate of the overview benchmark: organizations (large to tiny), their sites with a segment sized to each, and
// the maker mix of the devices, each row carrying a real identification (what `identify` concludes from a capture of
// corpus/ for that maker), so a device row is as wide as an imported one. Addresses are text in 10.0.0.0/8 only.
import { caseObservations, loadCorpus } from "../../dist/accuracy/index.js";
import { identify, loadKnowledge } from "../../dist/identify/index.js";
import { packagePath } from "../../dist/shared/paths.js";
import { siteCounts } from "../estate.mjs";

const CRITICALITY = ["critical", "high", "normal", "normal", "low"];

/**
 * Sites with their device count (bench/estate.mjs), criticality and one IPv4 segment just large enough for their
 * devices with a quarter spare (at least a /24), laid out one after another in 10.0.0.0/8; then the devices on no
 * site. Deterministic: the same plan for the same N.
 */
export function sitePlan(devices) {
  const sites = siteCounts(devices).map(({ id, org, n, k }) => ({
    id,
    org,
    n,
    criticality: k === null ? null : CRITICALITY[k % 5],
  }));
  let base = 0; // offset in 10.0.0.0/8
  let start = 0; // first device index
  for (const s of sites) {
    let prefix = 24;
    while (2 ** (32 - prefix) - 2 < Math.ceil(s.n * 1.25)) prefix--;
    const size = 2 ** (32 - prefix);
    base = Math.ceil(base / size) * size;
    if (base + size > 2 ** 24) throw new Error(`--devices ${devices}: 10.0.0.0/8 is too small`);
    const ip = (x) => `10.${(x >> 16) & 255}.${(x >> 8) & 255}.${x & 255}`;
    Object.assign(s, { base, start, prefix, cidr: `${ip(base)}/${prefix}` });
    base += size;
    start += s.n;
  }
  return sites;
}

/**
 * The maker mix: slug, share (percent, sum 100), brand, device type, restricted, models. 40% restricted:
 * Hikvision and its brands 26%, Dahua and its relabels 14%, as the estate would be.
 */
const MAKERS = [
  ["hikvision", 17, null, "camera", true, ["DS-2CD2142FWD-I", "DS-2CD2043G2-I", "DS-2DE4425IW-DE"]],
  ["hikvision", 3, null, "nvr", true, ["DS-7616NI-K2", "DS-7608NI-I2"]],
  ["hikvision", 3, "HiWatch", "camera", true, ["IPC-B140H", "IPC-T240H"]],
  ["hikvision", 3, "HiLook", "camera", true, ["IPC-B120H"]],
  ["dahua", 9, null, "camera", true, ["IPC-HFW2431S-S-S2", "IPC-HDW5442TM-AS"]],
  ["dahua", 2, "Lorex", "camera", true, ["LNB4321B"]],
  ["dahua", 2, "Amcrest", "camera", true, ["IP8M-2496EB"]],
  ["dahua", 1, "Imou", "camera", true, ["IPC-F42"]],
  ["axis", 12, null, "camera", false, ["P3245-LVE", "M3106-L Mk II", "Q6135-LE"]],
  ["hanwha", 6, null, "camera", false, ["XNV-6080R", "QNO-6012R"]],
  ["bosch", 5, null, "camera", false, ["FLEXIDOME IP 5000i"]],
  ["uniview", 4, null, "camera", false, ["IPC2122LB-SF28-A"]],
  ["vivotek", 4, null, "camera", false, ["FD9387-HTV"]],
  ["mobotix", 2, null, "camera", false, ["M16B"]],
  ["verkada", 3, null, "camera", false, ["CD42"]],
  ["reolink", 4, null, "camera", false, ["RLC-810A"]],
  ["hp", 5, null, "other", false, ["LaserJet M507"]],
  ["brother", 3, null, "other", false, ["HL-L6200DW"]],
  ["lexmark", 2, null, "other", false, ["MS621"]],
  ["cisco", 5, null, "other", false, ["C9200-24P"]],
  [null, 5, null, "unknown", false, []],
];

/** At most this many real identifications per maker (rows pick one by their hash). */
const TEMPLATES = 6;

/** JSONB holds no NUL character (a capture may): dropped, as text a device sent is capped anyway. */
const withoutNul = (v) =>
  JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "string" ? x.replace(/\0/g, "") : x)));

/** The mix with each maker's identifications to copy (a maker the corpus lacks borrows the unnamed ones). */
export function deviceMix() {
  const sum = MAKERS.reduce((n, m) => n + m[1], 0);
  if (sum !== 100) throw new Error(`the mix's shares sum to ${sum}, not 100`);
  const kb = loadKnowledge();
  const by = new Map();
  for (const c of loadCorpus([packagePath("corpus")])) {
    const id = identify(caseObservations(c), kb);
    const list = by.get(id.manufacturer ?? "") ?? [];
    if (list.length < TEMPLATES) list.push(withoutNul({ ...id, suspected: [] }));
    by.set(id.manufacturer ?? "", list);
  }
  const fallback = by.get("") ?? [{}];
  return MAKERS.map(([manufacturer, share, brand, deviceType, restricted, models]) => ({
    manufacturer,
    share,
    brand,
    deviceType,
    restricted,
    models: models.length ? models : [null],
    templates: (manufacturer && by.get(manufacturer)?.length ? by.get(manufacturer) : fallback).slice(),
  }));
}
