import type { MessageResponseT } from "../../observations/observation.js";
import { decodeBytes } from "../observe.js";

export const RTSP_MAX_HEADER_BYTES = 16 * 1024;

/** Position just past the blank line ending the head (CRLF or bare LF), or -1. */
export function headEnd(buf: Buffer): number {
  const s = buf.toString("latin1", 0, Math.min(buf.length, RTSP_MAX_HEADER_BYTES + 4));
  const m = /\r?\n\r?\n/.exec(s);
  return m ? m.index + m[0].length : -1;
}

export interface ParsedHead {
  version: string;
  status: number;
  reason: string;
  headers: [string, string][];
  contentLength: number | undefined;
}

/**
 * Parses a status line and headers leniently: LF-only line ends, missing CSeq, folded lines.
 * Header values lose exactly one separator space after the colon; any further leading space is kept
 * (Hikvision's `Date:  Thu, ...` two-space quirk is evidence, see protocols.md §3). Bytes are read as latin1.
 */
export function parseHead(head: string): ParsedHead | undefined {
  const lines = head.split(/\r?\n/);
  const status = /^(RTSP\/\d\.\d)\s+(\d{3})(?:\s(.*))?$/.exec(lines[0] ?? "");
  if (!status) return undefined;
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    if (line === "") break;
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last[1] += ` ${line.trim()}`;
      continue;
    }
    const i = line.indexOf(":");
    if (i <= 0) continue; // junk line: skip, keep parsing
    const value = line
      .slice(i + 1)
      .replace(/^ /, "")
      .replace(/\s+$/, "");
    headers.push([line.slice(0, i).trim(), value]);
  }
  const cl = headers.find(([k]) => k.toLowerCase() === "content-length")?.[1].trim();
  const contentLength = cl !== undefined && /^\d{1,10}$/.test(cl) ? Number(cl) : undefined;
  return {
    version: status[1] as string,
    status: Number(status[2]),
    reason: (status[3] ?? "").trim(),
    headers,
    contentLength,
  };
}

/** Builds the observation response from a parsed head and the body bytes actually read. */
export function toResponse(h: ParsedHead, body: Buffer, truncated: boolean): MessageResponseT {
  const { text, encoding } = decodeBytes(body, truncated);
  return {
    status: h.status,
    version: h.version,
    reason: h.reason,
    headers: h.headers,
    body: text,
    ...(encoding === "base64" ? { bodyEncoding: "base64" as const } : {}),
    ...(truncated ? { truncated: true } : {}),
  };
}
