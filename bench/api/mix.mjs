// The device mix of the API benchmark: the import benchmark's makers (bench/import/makers.mjs: models, firmware, NIC
// blocks, ports), reweighted so that 40% are restricted, written as the inventory stores a device (a lower-case
// maker slug, the relabel as brand), each with real identifications to copy: what `identify` concludes from the
// captures of corpus/ for that maker, so a row carries the JSONB (evidence and all) that a real one does.
import { MAKERS } from "../import/makers.mjs";
import { caseObservations, identify, loadCorpus, loadKnowledge, packagePath } from "./camsweep.mjs";

/**
 * key (bench/import/makers.mjs), share in percent (the shares sum to 100), and the row's own columns. Hikvision and
 * its brands 26%, Dahua and its relabels 14%: 40% restricted, as the estate would be.
 */
const STORED = [
  ["hikvision", 17, "hikvision", null, "camera"],
  ["hikvision-nvr", 3, "hikvision", null, "nvr"],
  ["hiwatch", 3, "hikvision", "HiWatch", "camera"],
  ["lts", 1, "hikvision", "LTS", "camera"],
  ["ezviz", 1, "hikvision", "EZVIZ", "camera"],
  ["hilook", 1, "hikvision", "HiLook", "camera"],
  ["dahua", 9, "dahua", null, "camera"],
  ["lorex", 2, "dahua", "Lorex", "camera"],
  ["amcrest", 2, "dahua", "Amcrest", "camera"],
  ["imou", 1, "dahua", "Imou", "camera"],
  ["axis", 12, "axis", null, "camera"],
  ["hanwha", 6, "hanwha", null, "camera"],
  ["bosch", 5, "bosch", null, "camera"],
  ["uniview", 4, "uniview", null, "camera"],
  ["vivotek", 4, "vivotek", null, "camera"],
  ["mobotix", 2, "mobotix", null, "camera"],
  ["verkada", 3, "verkada", null, "camera"],
  ["reolink", 4, "reolink", null, "camera"],
  ["hp", 5, "hp", null, "other"],
  ["brother", 3, "brother", null, "other"],
  ["lexmark", 2, "lexmark", null, "other"],
  ["cisco", 5, "cisco", null, "other"],
  // Seen, never named: a host that answered with nothing a rule reads.
  ["unknown", 5, null, null, "unknown"],
];

/** At most this many real identifications per maker (rows pick one by their hash). */
const TEMPLATES_PER_MAKER = 8;

/** Real identifications from the corpus, by manufacturer slug ("" for the unnamed). */
function corpusIdentifications() {
  const kb = loadKnowledge();
  const by = new Map();
  for (const c of loadCorpus([packagePath("corpus")])) {
    const id = identify(caseObservations(c), kb);
    const m = id.manufacturer ?? "";
    const list = by.get(m) ?? [];
    if (list.length < TEMPLATES_PER_MAKER) list.push(id);
    by.set(m, list);
  }
  return by;
}

/** JSONB holds no NUL character (a capture may): the template drops them, as text a device sent is capped anyway. */
const withoutNul = (v) =>
  JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "string" ? x.replace(/\0/g, "") : x)));

/**
 * One row per maker of the mix, for the fill's bench_mix table: its share, stored columns, models, firmware forms,
 * NIC blocks, ports, and identification templates (a maker the corpus lacks borrows the unnamed ones; the row's own
 * fields are written over them anyway).
 */
export function deviceMix() {
  const sum = STORED.reduce((n, s) => n + s[1], 0);
  if (sum !== 100) throw new Error(`the mix's shares sum to ${sum}, not 100`);
  const ids = corpusIdentifications();
  const fallback = ids.get("") ?? [];
  return STORED.map(([key, share, manufacturer, brand, deviceType]) => {
    const m = MAKERS.find((x) => x.key === key);
    const templates = (manufacturer && ids.get(manufacturer)?.length ? ids.get(manufacturer) : fallback).map(
      (id) => withoutNul({ ...id, suspected: [] }),
    );
    if (!templates.length) throw new Error(`no identification to copy for ${key}`);
    const restricted = m?.restricted ?? false;
    const policies = restricted
      ? ([...ids.get(manufacturer).map((i) => i.policies)].find((p) => p.length) ?? [])
      : [];
    return {
      key,
      share,
      manufacturer,
      brand,
      deviceType,
      restricted,
      policies,
      models: m?.models ?? [],
      firmware: m?.firmware?.length ? m.firmware : [""],
      ouis: (m?.nic ?? [["020000", ""]]).map(([oui]) => oui.toLowerCase()),
      ports: (m?.ports ?? [[80]]).map(([p]) => p),
      host: m?.host ?? "host",
      templates,
    };
  });
}
