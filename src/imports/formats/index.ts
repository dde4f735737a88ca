import type { ImportFormat } from "../record.js";
import { dhcpdLeases } from "./dhcpd-leases.js";
import { dnsmasqLeases } from "./dnsmasq-leases.js";
import { masscanJson, masscanList } from "./masscan.js";
import { neighbourTable } from "./neighbours.js";
import { nmapXml } from "./nmap-xml.js";
import { windowsDhcp } from "./windows-dhcp.js";
import { assetCsv } from "./csv.js";
import { assetXlsx } from "./xlsx.js";
import { bindQueryLog } from "./dns-bind.js";
import { dnsmasqLog } from "./dns-dnsmasq.js";
import { zeekDns } from "./dns-zeek.js";

/**
 * Every format `camsweep import FORMAT FILE` reads, by its FORMAT word. Each one streams its file and yields
 * records and row errors (src/imports/record.ts).
 */
export const FORMATS: ImportFormat[] = [
  // Scanners and network sources (E2).
  nmapXml,
  masscanJson,
  masscanList,
  dhcpdLeases,
  dnsmasqLeases,
  windowsDhcp,
  neighbourTable,
  // Asset lists and DNS logs (E3): append below.
  assetCsv,
  assetXlsx,
  zeekDns,
  bindQueryLog,
  dnsmasqLog,
];

/** The format named `id`, or undefined. */
export function importFormat(id: string): ImportFormat | undefined {
  return FORMATS.find((f) => f.id === id);
}
