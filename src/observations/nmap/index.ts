import { InputError } from "../../shared/errors.js";
import { ObservationSchema, type Observation } from "../observation.js";
import { CAP, hostObservations, type NmapHost } from "./model.js";
import { looksLikeNmapNormal, parseNmapNormal } from "./parse-normal.js";
import { looksLikeNmapXml, parseNmapXml } from "./parse-xml.js";

/**
 * nmap output as observations (docs/observation.md "Observations from nmap"): XML (-oX) and normal
 * output (-oN or what nmap prints). Inventory import (issue 6) reuses parseNmapXml / parseNmapNormal
 * for the host list and nmapObservations for what identification sees.
 */
export type { NmapHost, NmapPort, NmapService } from "./model.js";
export { parseNmapXml, looksLikeNmapXml, decodeXmlText } from "./parse-xml.js";
export { parseNmapNormal, looksLikeNmapNormal, splitVersionColumn } from "./parse-normal.js";
export {
  parseServiceFingerprint,
  fingerprintStringsReplies,
  repliesToObservations,
  unescapeFp,
} from "./service-fp.js";

export type NmapFormat = "nmap-xml" | "nmap-normal";

/** Which nmap format a text is, if any. JSON (observations) is never taken for nmap. */
export function detectNmapFormat(text: string): NmapFormat | undefined {
  const head = text.replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("{") || head.startsWith("[")) return undefined;
  if (looksLikeNmapXml(head)) return "nmap-xml";
  if (head.startsWith("<")) return undefined;
  return looksLikeNmapNormal(head) ? "nmap-normal" : undefined;
}

/** Hosts -> observations, validated like any other input. */
export function hostsToObservations(hosts: NmapHost[], name: string): Observation[] {
  const out: Observation[] = [];
  for (const h of hosts) {
    for (const o of hostObservations(h)) {
      if (out.length >= CAP.observations) {
        throw new InputError(`more than ${CAP.observations} observations in one nmap file`, name);
      }
      const r = ObservationSchema.safeParse(o);
      if (!r.success) {
        const where = [o.target, o.port].filter((x) => x !== undefined).join(":");
        throw new InputError(`nmap ${where}: ${r.error.issues[0]?.message ?? "invalid observation"}`, name);
      }
      out.push(r.data);
    }
  }
  return out;
}

/** Parses nmap output of the given (or detected) format into observations. */
export function parseNmapObservations(text: string, name: string, format?: NmapFormat): Observation[] {
  const f = format ?? detectNmapFormat(text);
  if (!f) throw new InputError("not nmap output", name);
  const hosts = f === "nmap-xml" ? parseNmapXml(text, name) : parseNmapNormal(text, name);
  return hostsToObservations(hosts, name);
}
