import { hostObservations, type NmapHost } from "../../observations/nmap/model.js";
import { NmapXmlStream } from "../../observations/nmap/stream-xml.js";
import { InputError } from "../../shared/errors.js";
import type { ImportFormat, ImportItem, ImportReadOptions, ImportRecord } from "../record.js";
import { canonicalAddress, canonicalMac, cap, observation, rowError } from "./common.js";
import { textChunks } from "./read-lines.js";

/**
 * nmap XML (-oX) as an import: one record per `<host>` nmap found up, with the observations `camsweep identify`
 * builds from the same file (docs/observation.md "Observations from nmap": an `nmap` observation per open port,
 * http/rtsp/banner observations decoded from service fingerprints, the MAC). Read as a stream (stream-xml.ts).
 */

/** The first bytes must show an nmap document; anything else is another format (the whole file is refused). */
function looksLikeXmlStart(head: string): boolean {
  return head.trimStart().startsWith("<");
}

export const nmapXml: ImportFormat = {
  id: "nmap-xml",
  description: "nmap XML output (-oX)",
  async *read(file: string, opts: ImportReadOptions = {}): AsyncIterable<ImportItem> {
    const stream = new NmapXmlStream(file);
    let first = true;
    for await (const chunk of textChunks(file, opts.signal)) {
      if (first && chunk.trim()) {
        first = false;
        if (!looksLikeXmlStart(chunk)) throw new InputError("not XML: expected nmap -oX output", file);
      }
      for (const h of stream.write(chunk)) yield* hostItems(h.line, h.host, h.status);
      if (stream.error) break;
    }
    if (first) throw new InputError("empty: no nmap XML in it", file);
    for (const h of stream.end()) yield* hostItems(h.line, h.host, h.status);
    const err = stream.error;
    if (err) {
      // Hosts before the damage were yielded; the rest of the file cannot be read.
      yield rowError(
        err.line,
        `not well-formed XML (${cap(err.message, 160)}): the rest of the file was not read`,
      );
    } else if (!stream.complete) {
      yield rowError(
        stream.line,
        "the file ends before </nmaprun>: an interrupted scan? Hosts up to there were read",
      );
    }
  },
};

function* hostItems(line: number, host: NmapHost, status?: string): Generator<ImportItem> {
  // nmap lists down hosts with -v, and every listed address with -sL (status "unknown"): neither is a device seen.
  if (status && status !== "up") return;
  const address = host.address ? canonicalAddress(host.address) : undefined;
  if (host.address && !address) {
    yield rowError(line, `host ${JSON.stringify(host.address.slice(0, 60))}: not an IP address`, "address");
    return;
  }
  const mac = host.mac ? canonicalMac(host.mac) : undefined;
  if (!address && !mac && !host.hostname) {
    yield rowError(line, "host without an address, MAC or name", "address");
    return;
  }
  const record: ImportRecord = { line, observations: [] };
  if (address) record.address = address;
  if (mac) record.mac = mac;
  if (host.hostname) record.hostname = host.hostname;
  // The record's canonical forms are what observations carry too, so they group with other sources' rows.
  const canonical = { ...host, ...(address ? { address } : {}), ...(mac ? { mac } : {}) };
  for (const o of hostObservations(canonical)) {
    o.request = { ...(o.request ?? {}), line };
    const r = observation(o);
    if ("ok" in r) record.observations.push(r.ok);
    else yield rowError(line, `${o.protocol}${o.port !== undefined ? ` port ${o.port}` : ""}: ${r.why}`);
  }
  yield { record };
}
