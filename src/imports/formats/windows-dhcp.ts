import { Readable } from "node:stream";
import { parse } from "csv-parse";
import type { ImportFormat, ImportItem, ImportReadOptions, ImportRecord } from "../record.js";
import { InputError } from "../../shared/errors.js";
import { canonicalAddress, canonicalMac, cap, observation, quote, rowError } from "./common.js";
import { textChunks } from "./read-lines.js";

/**
 * The Windows DHCP server's lease list, in its two export forms:
 *
 * - PowerShell: `Get-DhcpServerv4Lease … | Export-Csv` (Windows PowerShell 5 writes a first line
 *   `#TYPE Microsoft.Management.Infrastructure.CimInstance#root/Microsoft/Windows/DHCP/DhcpServerv4Lease` unless
 *   -NoTypeInformation; `-Delimiter ';'` or -UseCulture gives semicolons). Columns are the DhcpServerv4Lease class's
 *   properties (Microsoft Learn, "DhcpServerv4Lease class": IPAddress, ScopeId, AddressState, ClientId, HostName,
 *   LeaseExpiryTime, Description, ClientType, ServerIP, …), in any order, any subset (Select-Object).
 *   ClientId is the MAC for Ethernet clients, with dashes (`00-24-d7-c5-25-f0`).
 * - The DHCP console (dhcpmgmt.msc), Address Leases, "Export List…": tab-separated (or comma) text with the
 *   columns `Client IP Address, Name, Lease Expiration, Type, Unique ID, Description, Network Access Protection,
 *   Probation Expiration, Filter Profile, Policy`; Unique ID is the MAC as bare hex (`001122334455`), and
 *   Lease Expiration a date or "Reservation (active)". "Unicode text" exports are UTF-16LE with a byte-order mark.
 *
 * Each row becomes a record with one `dhcp` observation: request {source, line, hostname, clientId, state, …}.
 * `columns` (camsweep field -> header) names other headers: address, mac, hostname.
 */

const SOURCE = "windows-dhcp";

/** camsweep field -> the headers (lower case) each export form uses for it, first match wins. */
const HEADERS: Record<string, string[]> = {
  address: ["ipaddress", "client ip address"],
  mac: ["clientid", "unique id"],
  hostname: ["hostname", "name"],
  state: ["addressstate"],
  expires: ["leaseexpirytime", "lease expiration"],
  type: ["clienttype", "type"],
  description: ["description"],
  scope: ["scopeid"],
  server: ["serverip"],
  policy: ["policyname", "policy"],
};

/** The delimiter the header uses: tab (console export), semicolon (-UseCulture in many locales) or comma. */
function delimiterOf(header: string): string {
  const count = (c: string) => header.split(c).length - 1;
  const [best] = ["\t", ";", ","].sort((a, b) => count(b) - count(a));
  return best ?? ",";
}

/** Chunks with the head (already read) put back in front. */
async function* prepend(head: string, rest: AsyncIterator<string>): AsyncGenerator<string> {
  if (head) yield head;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}

export const windowsDhcp: ImportFormat = {
  id: "windows-dhcp",
  description:
    "Windows DHCP server lease export (Get-DhcpServerv4Lease | Export-Csv, or the console's Export List)",
  async *read(file: string, opts: ImportReadOptions = {}): AsyncIterable<ImportItem> {
    const it = textChunks(file, opts.signal)[Symbol.asyncIterator]();
    // Read until the header line is whole (the #TYPE line, if any, comes first).
    let head = "";
    for (;;) {
      const lines = head.split("\n");
      const firstReal = lines.findIndex(
        (l, i) => i < lines.length - 1 && l.trim() && !/^#TYPE\b/.test(l.trim()),
      );
      if (firstReal >= 0 || head.length > 1024 * 1024) break;
      const r = await it.next();
      if (r.done) break;
      head += r.value;
    }
    const lines = head.split("\n");
    const headerIndex = lines.findIndex((l) => l.trim() && !/^#TYPE\b/.test(l.trim()));
    if (headerIndex < 0) throw new InputError("empty: no header line", file);
    const headerLine = (lines[headerIndex] as string).replace(/\r$/, "");
    const delimiter = delimiterOf(headerLine);
    const parser = parse({
      delimiter,
      from_line: headerIndex + 1,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      max_record_size: 64 * 1024,
      skip_records_with_error: true,
    });
    const skipped: { line: number; message: string }[] = [];
    parser.on("skip", (err: Error & { lines?: number }) => {
      skipped.push({ line: err.lines ?? 0, message: err.message });
    });
    Readable.from(prepend(head, it))
      .on("error", (e) => parser.destroy(e))
      .pipe(parser);

    let columns: Record<string, number> | undefined;
    for await (const row of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      while (skipped.length) {
        const s = skipped.shift() as { line: number; message: string };
        yield rowError(s.line, `not read (${cap(s.message, 120)})`);
      }
      const n = row.info.lines;
      const rec = row.record;
      if (!columns) {
        columns = mapColumns(rec, opts.columns);
        if (columns.address === undefined)
          throw new InputError(
            'not a Windows DHCP lease export: no IPAddress or "Client IP Address" column ' +
              `(header ${quote(headerLine, 80)})`,
            file,
          );
        continue;
      }
      yield* rowItems(n, rec, columns, rec.length);
    }
    for (const s of skipped) yield rowError(s.line, `not read (${cap(s.message, 120)})`);
    if (!columns) throw new InputError("empty: no header line", file);
  },
};

function mapColumns(header: string[], override: Record<string, string> | undefined): Record<string, number> {
  const names = header.map((h) =>
    h
      .replace(/^\uFEFF/, "")
      .trim()
      .toLowerCase(),
  );
  const out: Record<string, number> = {};
  for (const [field, candidates] of Object.entries(HEADERS)) {
    const wanted = override?.[field] ? [override[field].toLowerCase()] : candidates;
    for (const c of wanted) {
      const i = names.indexOf(c);
      if (i >= 0) {
        out[field] = i;
        break;
      }
    }
  }
  return out;
}

function rowItems(n: number, rec: string[], col: Record<string, number>, width: number): ImportItem[] {
  const get = (f: string) => {
    const i = col[f];
    if (i === undefined || i >= width) return undefined;
    const v = (rec[i] ?? "").trim();
    return v ? cap(v) : undefined;
  };
  const ip = get("address");
  if (!ip) return [rowError(n, "no client IP address", "address")];
  const address = canonicalAddress(ip);
  if (!address) return [rowError(n, `lease ${quote(ip)}: not an IP address`, "address")];
  const id = get("mac");
  let mac: string | undefined;
  let clientId: string | undefined;
  if (id) {
    mac = canonicalMac(id);
    // A non-Ethernet client's id is longer than a MAC: kept as its id, in dnsmasq's colon-hex spelling.
    const hex = id.replace(/[-:.\s]/g, "");
    if (!mac && !/^(?:[0-9a-f]{2}){1,64}$/i.test(hex))
      return [rowError(n, `lease ${address}: ${quote(id)} is not a client id (MAC or hex)`, "mac")];
    clientId = hex.toLowerCase().replace(/(..)(?!$)/g, "$1:");
  }
  const hostname = get("hostname");
  const request: Record<string, unknown> = { source: SOURCE, line: n };
  if (hostname) request.hostname = cap(hostname, 255);
  if (clientId) request.clientId = clientId;
  for (const f of ["state", "expires", "type", "description", "scope", "server", "policy"]) {
    const v = get(f);
    if (v) request[f] = v;
  }
  const r = observation({ target: address, ...(mac ? { mac } : {}), protocol: "dhcp", request });
  if ("why" in r) return [rowError(n, `lease ${address}: ${r.why}`)];
  const record: ImportRecord = { line: n, address, observations: [r.ok] };
  if (mac) record.mac = mac;
  if (hostname) record.hostname = cap(hostname, 255);
  return [{ record }];
}
