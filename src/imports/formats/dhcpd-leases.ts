import type { ImportFormat, ImportItem, ImportReadOptions, ImportRecord } from "../record.js";
import { InputError } from "../../shared/errors.js";
import { canonicalAddress, canonicalMac, cap, colonHex, observation, quote, rowError } from "./common.js";
import { readLines } from "./read-lines.js";

/**
 * ISC dhcpd's lease database (dhcpd.leases(5)): one `lease ADDRESS { … }` block per lease event, appended as they
 * happen (the last block for an address is the current one; every block is a sighting, so each is yielded), and
 * `host NAME { … }` blocks for reservations made over OMAPI. dhcpd writes one statement a line:
 *
 *   lease 192.168.2.102 {
 *     starts 0 2018/02/25 21:36:16;            (UTC; or `starts epoch 1519594576; # …` with db-time-format local)
 *     cltt 0 2018/02/25 21:36:16;
 *     binding state active;
 *     hardware ethernet b8:27:eb:42:c9:e9;
 *     uid "\001\270'\353B\311\351";            (option 61, C-style octal escapes; or colon hex)
 *     set vendor-class-identifier = "dhcpcd-6.11.5:Linux-4.9.59-v7+:armv7l:BCM2835";   (option 60)
 *     client-hostname "red01";                 (option 12)
 *   }
 *
 * Each block becomes a record (address, MAC, hostname) with one `dhcp` observation: request {source, line,
 * hostname, vendorClass, clientId, state, starts, ends}. Nested blocks (`on commit { … }`), DHCPv6 `ia-na` blocks,
 * `server-duid`, `failover` and comments are skipped.
 */

/** Statements dhcpd writes at the top level of its lease file. */
const FIRST = /^(lease|host|server-duid|authoring-byte-order|failover|ia-na|ia-ta|ia-pd)\b/;

interface Block {
  kind: "lease" | "host";
  line: number;
  /** the address text as written (lease) or the host's declared name */
  head: string;
  mac?: string;
  macText?: string;
  hostname?: string;
  vendorClass?: string;
  clientId?: string;
  state?: string;
  starts?: string;
  ends?: string;
  cltt?: string;
  fixed?: string;
  deleted?: boolean;
  /** depth of nested blocks inside this one */
  nested: number;
  /** a statement could not be read (named as the row's error): the block gives no record */
  bad?: boolean;
}

/** A dhcpd quoted string: C escapes (\ooo octal, \" \\ \n \t), as bytes. */
export function dhcpdStringBytes(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length && out.length < 4096; i++) {
    const c = s[i] as string;
    if (c !== "\\") {
      const code = s.charCodeAt(i);
      // dhcpd writes bytes; anything above 0xff (the file read as UTF-8) is kept as its UTF-8 bytes.
      if (code < 0x80) out.push(code);
      else out.push(...Buffer.from(c, "utf8"));
      continue;
    }
    const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4));
    if (oct) {
      out.push(parseInt(oct[0], 8) & 0xff);
      i += oct[0].length;
      continue;
    }
    const e = s[i + 1];
    i++;
    out.push(e === "n" ? 10 : e === "t" ? 9 : e === "r" ? 13 : (e ?? "\\").charCodeAt(0) & 0xff);
  }
  return Uint8Array.from(out);
}

/** The value of a statement: a quoted string (decoded) or the bare word(s) before `;`. */
function value(rest: string): { text: string; quoted: boolean } {
  const r = rest.trim().replace(/;\s*(#.*)?$/, "");
  const m = /^"((?:[^"\\]|\\.)*)"$/.exec(r);
  if (m) return { text: Buffer.from(dhcpdStringBytes(m[1] as string)).toString("utf8"), quoted: true };
  return { text: r, quoted: false };
}

/** `starts 0 2018/02/25 21:36:16;` (UTC) or `starts epoch 1519594576;` -> ISO time; `never` -> undefined. */
export function dhcpdTime(rest: string): string | undefined {
  const r = rest.trim().replace(/;\s*(#.*)?$/, "");
  let m = /^epoch (\d{1,12})$/.exec(r);
  if (m) return new Date(Number(m[1]) * 1000).toISOString();
  m = /^\d (\d{4})\/(\d{1,2})\/(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(r);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function statement(b: Block, text: string, n: number): ImportItem | undefined {
  let m = /^hardware\s+(\S+)\s+([^;\s]+)\s*;/.exec(text);
  if (m) {
    b.macText = m[2];
    const mac = m[1] === "ethernet" ? canonicalMac(m[2] as string) : undefined;
    if (m[1] === "ethernet" && !mac) {
      b.bad = true;
      return rowError(n, `${b.kind} ${b.head}: ${quote(m[2] as string)} is not a MAC address`, "mac");
    }
    b.mac = mac;
    return undefined;
  }
  m = /^uid\s+(.*)$/.exec(text);
  if (m) {
    const v = value(m[1] as string);
    if (v.quoted)
      b.clientId = colonHex(
        dhcpdStringBytes(/^"((?:[^"\\]|\\.)*)"/.exec((m[1] as string).trim())?.[1] ?? ""),
      );
    else if (/^[0-9a-f]{1,2}(?::[0-9a-f]{1,2}){0,255}$/i.test(v.text))
      b.clientId = v.text.toLowerCase().replace(/\b([0-9a-f])\b/g, "0$1");
    return undefined;
  }
  m = /^client-hostname\s+(.*)$/.exec(text);
  if (m) {
    b.hostname = cap(value(m[1] as string).text, 255);
    return undefined;
  }
  m = /^(?:set\s+vendor-class-identifier|option\s+vendor-class-identifier)\s*=?\s*(.*)$/.exec(text);
  if (m) {
    b.vendorClass = cap(value(m[1] as string).text);
    return undefined;
  }
  m = /^supersede\s+host-name\s*=\s*(.*)$/.exec(text);
  if (m) {
    b.hostname = cap(value(m[1] as string).text, 255);
    return undefined;
  }
  m = /^binding\s+state\s+([\w-]+)\s*;/.exec(text);
  if (m) {
    b.state = (m[1] as string).toLowerCase();
    return undefined;
  }
  m = /^(starts|ends|cltt)\s+(.*)$/.exec(text);
  if (m) {
    b[m[1] as "starts" | "ends" | "cltt"] = dhcpdTime(m[2] as string);
    return undefined;
  }
  m = /^fixed-address\s+([^;\s]+)\s*;/.exec(text);
  if (m) b.fixed = m[1];
  else if (/^deleted\s*;/.test(text)) b.deleted = true;
  return undefined;
}

function finish(b: Block, source: string): ImportItem[] {
  if (b.bad) return [];
  if (b.kind === "host" && (b.deleted || (!b.fixed && !b.mac))) return [];
  const addrText = b.kind === "lease" ? b.head : b.fixed;
  const address = addrText ? canonicalAddress(addrText) : undefined;
  if (addrText && !address) {
    // A host may name its fixed address by DNS name: kept as the hostname's, not an error.
    if (b.kind === "lease") return [rowError(b.line, `lease ${addrText}: not an IPv4 address`, "address")];
    if (/^[\d.:]+$/.test(addrText))
      return [rowError(b.line, `host ${b.head}: fixed-address ${addrText}: not an IP address`, "address")];
  }
  if (!address && !b.mac) return [];
  const record: ImportRecord = { line: b.line, observations: [] };
  if (address) record.address = address;
  if (b.mac) record.mac = b.mac;
  if (b.hostname) record.hostname = b.hostname;
  const request: Record<string, unknown> = { source, line: b.line, kind: b.kind };
  if (b.hostname) request.hostname = b.hostname;
  if (b.vendorClass) request.vendorClass = b.vendorClass;
  if (b.clientId) request.clientId = b.clientId;
  if (b.state) request.state = b.state;
  if (b.starts) request.starts = b.starts;
  if (b.ends) request.ends = b.ends;
  if (b.kind === "host") request.name = cap(b.head, 255);
  const time = b.cltt ?? b.starts;
  const r = observation({
    target: address ?? b.mac,
    ...(b.mac ? { mac: b.mac } : {}),
    protocol: "dhcp",
    request,
    ...(time ? { time } : {}),
  });
  if ("why" in r) return [rowError(b.line, `${b.kind} ${b.head}: ${r.why}`)];
  record.observations.push(r.ok);
  return [{ record }];
}

export const dhcpdLeases: ImportFormat = {
  id: "dhcpd-leases",
  description: "ISC dhcpd lease database (dhcpd.leases)",
  async *read(file: string, opts: ImportReadOptions = {}): AsyncIterable<ImportItem> {
    const source = "dhcpd-leases";
    let block: Block | undefined;
    /** depth of a top-level block that is not a lease or host (failover, ia-na …) */
    let other = 0;
    let statements = 0;
    for await (const { n, text: raw, tooLong } of readLines(file, opts.signal)) {
      if (tooLong) {
        yield rowError(n, "line longer than 64 KiB: not read");
        continue;
      }
      const text = raw.trim();
      if (!text || text.startsWith("#")) continue;
      // dhcpd starts the file with comments, then one of its own statements: anything else is another format.
      if (!statements++ && !FIRST.test(text))
        throw new InputError(
          `not an ISC dhcpd leases file (first statement ${quote(text, 40)}; expected lease, host, ` +
            "authoring-byte-order or server-duid)",
          file,
        );
      if (other) {
        other += (text.match(/\{/g)?.length ?? 0) - (text.match(/\}/g)?.length ?? 0);
        if (other < 0) other = 0;
        continue;
      }
      if (!block) {
        const m = /^(lease|host)\s+("?)([^\s{"]+)\2\s*\{\s*(.*)$/.exec(text);
        if (m) {
          block = { kind: m[1] as "lease" | "host", line: n, head: cap(m[3] as string, 255), nested: 0 };
          // A one-line block (`host x { hardware ethernet …; fixed-address …; }`) is read statement by statement.
          const rest = (m[4] as string).trim();
          if (rest) {
            for (const s of rest.split(/(?<=;)\s*/)) {
              if (s.trim() === "}") {
                yield* finish(block, source);
                block = undefined;
                break;
              }
              const e = statement(block, s.trim(), n);
              if (e) yield e;
            }
          }
          continue;
        }
        if (/\{\s*$/.test(text)) {
          other = 1;
          continue;
        }
        if (/^[\w-]+(\s.*)?;\s*(#.*)?$/.test(text)) continue;
        yield rowError(n, `${quote(text)}: not a dhcpd leases statement`);
        continue;
      }
      if (block.nested) {
        block.nested += (text.match(/\{/g)?.length ?? 0) - (text.match(/\}/g)?.length ?? 0);
        if (block.nested < 0) block.nested = 0;
        continue;
      }
      if (text === "}") {
        yield* finish(block, source);
        block = undefined;
        continue;
      }
      if (/\{\s*$/.test(text)) {
        block.nested = 1;
        continue;
      }
      const e = statement(block, text, n);
      if (e) yield e;
    }
    if (block) yield rowError(block.line, `${block.kind} ${block.head}: the file ends inside this block`);
  },
};
