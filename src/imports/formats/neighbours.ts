import { basename } from "node:path";
import {
  decodeTable,
  MAX_FILE_BYTES,
  parseNeighbourTable,
  readCapped,
} from "../../probes/neighbours/detect.js";
import { normaliseAddress, normaliseMac, type NeighbourEntry } from "../../probes/neighbours/entry.js";
import { neighbourObservations } from "../../probes/neighbours/observe.js";
import { InputError } from "../../shared/errors.js";
import type { ImportFormat, ImportItem, ImportReadOptions } from "../record.js";
import { rowError } from "./common.js";
import { unreadable } from "./read-lines.js";

/**
 * A neighbour table (`ip neigh`, `ip -j neigh`, /proc/net/arp, Windows `arp -a`, PowerShell Get-NetNeighbor) as an
 * import, read by the scanner's own parsers (src/probes/neighbours): one record per usable entry (address and MAC)
 * with its `neighbour` observation, and each line that could not be read as a row error. A table is small (the
 * kernel keeps about a thousand entries), so the file is read whole, up to 64 MiB, as the scanner reads it.
 */

/**
 * The line each entry came from. The parsers return entries in file order without their line, so each entry is
 * matched to the next line that holds both its address and its MAC (in any spelling); a JSON table is one line.
 */
export function entryLines(text: string, entries: readonly NeighbourEntry[]): number[] {
  const lines = text.split("\n");
  const out: number[] = [];
  let at = 0;
  for (const e of entries) {
    let found = -1;
    for (let i = at; i < lines.length; i++) {
      const tokens = (lines[i] as string).split(/[\s,"{}[\]]+/);
      const hasMac = tokens.some((t) => normaliseMac(t) === e.mac);
      if (
        hasMac &&
        tokens.some((t) => (t.includes(".") || t.includes(":") ? normaliseAddress(t) === e.address : false))
      ) {
        found = i;
        break;
      }
    }
    if (found >= 0) at = found;
    out.push((found >= 0 ? found : at) + 1);
    // A JSON table holds every entry on one line: stay there; a text table has one entry a line: move on.
    if (found >= 0 && !/^\s*\[/.test(lines[found] as string)) at = found + 1;
  }
  return out;
}

export const neighbourTable: ImportFormat = {
  id: "neighbours",
  description: "neighbour table: ip neigh, ip -j neigh, /proc/net/arp, Windows arp -a, Get-NetNeighbor",
  async *read(file: string, opts: ImportReadOptions = {}): AsyncIterable<ImportItem> {
    let data: { data: Buffer; truncated: boolean };
    try {
      data = await readCapped(file, MAX_FILE_BYTES);
    } catch (e) {
      throw unreadable(file, e);
    }
    if (data.truncated)
      throw new InputError(`larger than ${MAX_FILE_BYTES / 1048576} MiB: not a neighbour table export`, file);
    opts.signal?.throwIfAborted();
    const text = decodeTable(data.data);
    const table = parseNeighbourTable(text, { file });
    const lines = entryLines(text, table.entries);
    const source = `file:${basename(file)}` as const;
    const time = new Date().toISOString();
    // Errors and records in file order, as every format yields them.
    const items: { line: number; item: ImportItem }[] = table.errors.map((e) => ({
      line: e.line,
      item: rowError(e.line, e.message),
    }));
    table.entries.forEach((e, i) => {
      const line = lines[i] as number;
      const [o] = neighbourObservations([e], { hosts: () => true, source, time });
      if (!o) return;
      o.request = { ...(o.request ?? {}), line, format: table.format };
      items.push({ line, item: { record: { line, address: e.address, mac: e.mac, observations: [o] } } });
    });
    items.sort((a, b) => a.line - b.line);
    for (const { item } of items) yield item;
  },
};
