import type { ImportFormat, ImportItem, ImportReadOptions, ImportRecord } from "../record.js";
import { InputError } from "../../shared/errors.js";
import { canonicalAddress, canonicalMac, cap, epochSeconds, observation, quote, rowError } from "./common.js";
import { readLines } from "./read-lines.js";

/**
 * dnsmasq's lease file (/var/lib/misc/dnsmasq.leases), one lease a line, fields separated by spaces, as described
 * by dnsmasq's lease_update_file() (src/lease.c; summarised on dnsmasq-discuss, 2016-06-09, "dnsmasq leases file
 * format specification"):
 *   DHCPv4: EXPIRY HWADDR IPV4 HOSTNAME CLIENT-ID    e.g. `1580550335 52:54:00:d1:23:c2 192.168.10.128 ubuntu ff:b5:…`
 *           (EXPIRY: Unix seconds, 0 = infinite; HWADDR `XX-YY:YY:…` with XX the ARP hardware type, omitted for
 *           Ethernet; HOSTNAME and CLIENT-ID `*` when none)
 *   DHCPv6: EXPIRY IAID IPV6 HOSTNAME DUID, after a line `duid SERVER-DUID`
 * Each lease becomes a record with one `dhcp` observation: request {source, line, hostname, clientId, expires}.
 */

const SOURCE = "dnsmasq-leases";

function hwMac(s: string): { mac?: string; bad?: boolean } {
  // "01-aa:bb:…" is hardware type 1 (Ethernet) written out; other types carry no 48-bit MAC.
  const typed = /^([0-9a-f]{1,2})-(.+)$/i.exec(s);
  if (typed) return parseInt(typed[1] as string, 16) === 1 ? hwMac(typed[2] as string) : {};
  const mac = canonicalMac(s);
  return mac ? { mac } : { bad: true };
}

export function parseDnsmasqLine(n: number, text: string): ImportItem[] {
  const t = text.trim();
  if (!t) return [];
  const f = t.split(/\s+/);
  if (f[0] === "duid") return f.length === 2 ? [] : [rowError(n, `${quote(t)}: a duid line has one field`)];
  if (f.length < 4 || f.length > 5)
    return [rowError(n, `${quote(t)}: expected EXPIRY HWADDR ADDRESS HOSTNAME [CLIENT-ID]`)];
  const [expiry, hw, ip, host, cid] = f as [string, string, string, string, string | undefined];
  if (!/^\d{1,12}$/.test(expiry)) return [rowError(n, `${quote(expiry)}: not an expiry time`, "expiry")];
  const address = canonicalAddress(ip);
  if (!address) return [rowError(n, `lease ${quote(ip)}: not an IP address`, "address")];
  const v6 = address.includes(":");
  let mac: string | undefined;
  if (!v6) {
    const m = hwMac(hw);
    if (m.bad) return [rowError(n, `lease ${address}: ${quote(hw)} is not a MAC address`, "mac")];
    mac = m.mac;
  } else if (!/^T?\d{1,10}$/.test(hw))
    return [rowError(n, `lease ${address}: ${quote(hw)} is not an IAID`, "iaid")];
  const hostname = host !== "*" ? cap(host, 255) : undefined;
  const clientId =
    cid && cid !== "*" && /^[0-9a-f]{2}(?::[0-9a-f]{2}){0,255}$/i.test(cid) ? cid.toLowerCase() : undefined;
  const request: Record<string, unknown> = { source: SOURCE, line: n };
  if (hostname) request.hostname = hostname;
  if (clientId) request[v6 ? "duid" : "clientId"] = clientId;
  if (v6) request.iaid = hw;
  const expires = epochSeconds(expiry);
  request.expires = expiry === "0" ? "never" : (expires ?? expiry);
  const r = observation({ target: address, ...(mac ? { mac } : {}), protocol: "dhcp", request });
  if ("why" in r) return [rowError(n, `lease ${address}: ${r.why}`)];
  const record: ImportRecord = { line: n, address, observations: [r.ok] };
  if (mac) record.mac = mac;
  if (hostname) record.hostname = hostname;
  return [{ record }];
}

export const dnsmasqLeases: ImportFormat = {
  id: "dnsmasq-leases",
  description: "dnsmasq lease file (dnsmasq.leases)",
  async *read(file: string, opts: ImportReadOptions = {}): AsyncIterable<ImportItem> {
    let first = true;
    for await (const { n, text, tooLong } of readLines(file, opts.signal)) {
      if (first && text.trim()) {
        first = false;
        // A lease line starts with a number of seconds (or `duid`); anything else is another file.
        if (!/^(\d{1,12}\s+\S+\s+\S+\s+\S+|duid\s+\S+\s*$)/.test(text.trim()))
          throw new InputError(
            "not a dnsmasq lease file (expected `EXPIRY MAC ADDRESS HOSTNAME CLIENT-ID` lines)",
            file,
          );
      }
      if (tooLong) {
        yield rowError(n, "line longer than 64 KiB: not read");
        continue;
      }
      yield* parseDnsmasqLine(n, text);
    }
  },
};
