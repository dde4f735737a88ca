import { open } from "node:fs/promises";
import { basename } from "node:path";
import { InputError } from "../../shared/errors.js";
import type { NeighbourParse } from "./entry.js";
import {
  looksLikeIpNeigh,
  parseIpNeigh,
  parseIpNeighJson,
  parseProcNetArp,
  PROC_ARP_HEADER,
} from "./linux.js";
import { ARP_A_BLOCK, GET_NETNEIGHBOR_HEADER, parseGetNetNeighbor, parseWindowsArp } from "./windows.js";

export type NeighbourFormat =
  "proc-net-arp" | "ip-neigh" | "ip-neigh-json" | "windows-arp" | "get-netneighbor";

/** Largest neighbour-table file read: a table of a million entries is under 100 bytes a row. */
const MIB = 1024 * 1024;
export const MAX_FILE_BYTES = 64 * MIB;

const PARSERS: Record<NeighbourFormat, (text: string) => NeighbourParse> = {
  "proc-net-arp": parseProcNetArp,
  "ip-neigh": parseIpNeigh,
  "ip-neigh-json": parseIpNeighJson,
  "windows-arp": parseWindowsArp,
  "get-netneighbor": parseGetNetNeighbor,
};

/** Lines looked at to recognise a format (a pasted capture may start with a prompt or a blank line or two). */
const SNIFF_LINES = 20;

/** The format of a table, from its first lines; undefined when it is none of the known ones. */
export function detectNeighbourFormat(text: string): NeighbourFormat | undefined {
  const t = text.replace(/^\uFEFF/, "");
  if (/^\s*\[/.test(t)) return "ip-neigh-json";
  const lines: string[] = [];
  for (const l of t.slice(0, 64 * 1024).split("\n")) {
    if (l.trim()) lines.push(l.replace(/\r$/, ""));
    if (lines.length >= SNIFF_LINES) break;
  }
  if (lines[0] !== undefined && PROC_ARP_HEADER.test(lines[0])) return "proc-net-arp";
  if (lines.some((l) => GET_NETNEIGHBOR_HEADER.test(l))) return "get-netneighbor";
  if (lines.some((l) => ARP_A_BLOCK.test(l))) return "windows-arp";
  if (lines[0] !== undefined && looksLikeIpNeigh(lines[0])) return "ip-neigh";
  return undefined;
}

export interface ParsedTable extends NeighbourParse {
  format: NeighbourFormat;
}

/**
 * Reads a neighbour table in whichever known format it is. `file` names the input in the error when the text
 * is none of them (an InputError: a wrong file is the user's to fix, exit 2).
 */
export function parseNeighbourTable(text: string, opts: { file: string }): ParsedTable {
  if (!text.trim()) throw new InputError("empty: no neighbour table in it", opts.file);
  const format = detectNeighbourFormat(text);
  if (!format)
    throw new InputError(
      "not a neighbour table: expected /proc/net/arp, `ip neigh` or `ip -j neigh` output, Windows `arp -a` " +
        "or PowerShell `Get-NetNeighbor` output",
      opts.file,
    );
  return { format, ...PARSERS[format](text) };
}

/**
 * Reads at most `max` bytes of a file, streaming (a /proc file reports size 0, a FIFO has none).
 * `truncated` is true when there was more.
 */
export async function readCapped(path: string, max: number): Promise<{ data: Buffer; truncated: boolean }> {
  const fh = await open(path, "r");
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(1 << 20, max + 1 - total);
      if (want <= 0) break;
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await fh.read(buf, 0, want, null);
      if (!bytesRead) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
    }
    const data = Buffer.concat(chunks, total);
    return total > max ? { data: data.subarray(0, max), truncated: true } : { data, truncated: false };
  } finally {
    await fh.close();
  }
}

/**
 * Bytes -> text. PowerShell 5 redirection (`arp -a > arp.txt`) writes UTF-16LE with a byte-order mark, so the
 * marks of UTF-16 (both orders) and UTF-8 are honoured; anything else is read as UTF-8.
 */
export function decodeTable(data: Buffer): string {
  if (data[0] === 0xff && data[1] === 0xfe) return data.subarray(2).toString("utf16le");
  if (data[0] === 0xfe && data[1] === 0xff) {
    const swapped = Buffer.from(data.subarray(2, data.length - (data.length % 2)));
    return swapped.swap16().toString("utf16le");
  }
  return data.toString("utf8").replace(/^\uFEFF/, "");
}

/**
 * An exported neighbour table file -> its entries. Refuses files over `maxBytes` (64 MiB) with a message naming
 * the file rather than reading part of a table. The source name for observations is `file:<basename>`.
 */
export async function readNeighbourFile(
  path: string,
  opts: { maxBytes?: number } = {},
): Promise<ParsedTable & { source: `file:${string}` }> {
  const max = opts.maxBytes ?? MAX_FILE_BYTES;
  let read: { data: Buffer; truncated: boolean };
  try {
    read = await readCapped(path, max);
  } catch (e) {
    throw new InputError(`cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, path);
  }
  if (read.truncated)
    throw new InputError(
      `larger than ${max % MIB === 0 ? `${max / MIB} MiB` : `${max} bytes`}: ` +
        "not a neighbour table export (ip neigh, arp -a)",
      path,
    );
  const parsed = parseNeighbourTable(decodeTable(read.data), { file: path });
  return { ...parsed, source: `file:${basename(path)}` };
}
