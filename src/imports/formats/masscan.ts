import type { ObservationInput } from "../../observations/observation.js";
import { InputError } from "../../shared/errors.js";
import type { ImportFormat, ImportItem, ImportReadOptions, ImportRecord } from "../record.js";
import { canonicalAddress, cap, epochSeconds, observation, quote, rowError } from "./common.js";
import { readLines, textChunks } from "./read-lines.js";

/**
 * masscan output: -oL (list) and -oJ (JSON). One record per row (masscan writes one line per port found, in the
 * random order it scans, so a host's ports are merged by the importer, not here, which keeps memory bounded).
 *
 * The shapes are masscan's own writers (robertdavidgraham/masscan src/out-text.c and src/out-json.c):
 *   -oL  `#masscan`, then `open tcp 80 192.0.2.1 1390289900` (status proto port ip time) and, with --banners,
 *        `banner tcp 80 192.0.2.1 1390289900 http HTTP/1.0 200 OK\x0d\x0a…` (non-printable bytes as \xNN), `# end`
 *   -oJ  `[`, `{   "ip": "…",   "timestamp": "…", "ports": [ {"port": 80, "proto": "tcp", "status": "open",
 *        "reason": "syn-ack", "ttl": 64} ] }` one object a line, a comma before each but the first (older
 *        versions after each, and a last `{finished: 1}` that is not JSON), `]`; banners as
 *        `"service": {"name": "http", "banner": "…"}` with \u00NN escapes.
 * An open port becomes an `nmap`-protocol observation with request.source "masscan" (the scanner's verdict on a
 * port, like nmap's without -sV); a banner becomes a `banner` observation whose raw text is what the service sent,
 * so the HTTP banner rules apply (docs/knowledge.md, banner parts).
 */

const TRANSPORTS = new Set(["tcp", "udp", "sctp", "icmp", "arp", "oproto"]);
const STATUS = /^(open|closed|banner)$/;
/** Largest JSON object taken as one row: masscan's own banner buffer is 64 KiB, escaped up to six times larger. */
const MAX_OBJECT = 512 * 1024;

interface Finding {
  port: number;
  transport: string;
  status?: string;
  reason?: string;
  ttl?: number;
  service?: string;
  banner?: string;
}

/** masscan's -oL banner text: \xNN escapes back to the bytes they stand for (read as latin1, one char a byte). */
export function unescapeMasscan(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function buildRecord(line: number, ip: string, time: string | undefined, findings: Finding[]): ImportItem[] {
  const address = canonicalAddress(ip);
  if (!address) return [rowError(line, `${quote(ip)}: not an IP address`, "ip")];
  const out: ImportItem[] = [];
  const record: ImportRecord = { line, address, observations: [] };
  for (const f of findings) {
    const base = { target: address, port: f.port, ...(time ? { time } : {}) };
    let o: ObservationInput;
    if (f.banner !== undefined) {
      o = {
        ...base,
        protocol: "banner",
        request: {
          source: "masscan",
          line,
          transport: f.transport,
          ...(f.service ? { service: f.service } : {}),
        },
        response: { raw: f.banner },
      };
    } else {
      // A closed port proves the host answered; it says nothing about what it is.
      if (f.status !== "open") continue;
      const request: Record<string, unknown> = {
        source: "masscan",
        line,
        transport: f.transport,
        state: "open",
      };
      if (f.reason) request.reason = cap(f.reason, 64);
      if (f.ttl !== undefined) request.ttl = f.ttl;
      o = { ...base, protocol: "nmap", request };
    }
    const r = observation(o);
    if ("ok" in r) record.observations.push(r.ok);
    else out.push(rowError(line, `port ${f.port}: ${r.why}`));
  }
  out.unshift({ record });
  return out;
}

function portOf(s: unknown): number | undefined {
  const n = typeof s === "number" ? s : typeof s === "string" && /^\d{1,5}$/.test(s) ? Number(s) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

/** One -oL line -> items (nothing for comments and blank lines). */
export function parseMasscanListLine(n: number, text: string): ImportItem[] {
  const t = text.trim();
  if (!t || t.startsWith("#")) return [];
  const m = /^(\S+) (\S+) (\S+) (\S+) (\S+)(?: (\S+)(?: (.*))?)?$/.exec(t);
  if (!m) return [rowError(n, `${quote(t)}: not a masscan list line (status proto port ip time)`)];
  const [, status, proto, portText, ip, ts, service, banner] = m as unknown as string[];
  if (!STATUS.test(status!)) return [rowError(n, `${quote(status!)}: not open, closed or banner`, "status")];
  if (!TRANSPORTS.has(proto!))
    return [rowError(n, `${quote(proto!)}: not a transport masscan writes`, "proto")];
  const port = portOf(portText);
  if (port === undefined) return [rowError(n, `${quote(portText!)}: not a port number`, "port")];
  const time = epochSeconds(ts);
  if (status === "banner") {
    if (!service) return [rowError(n, "banner line without a service name", "service")];
    return buildRecord(n, ip!, time, [
      {
        port,
        transport: proto!,
        service: cap(service, 64),
        banner: cap(unescapeMasscan(banner ?? ""), 64 * 1024),
      },
    ]);
  }
  return buildRecord(n, ip!, time, [{ port, transport: proto!, status }]);
}

export const masscanList: ImportFormat = {
  id: "masscan-list",
  description: "masscan -oL list output (open/closed/banner lines)",
  async *read(file: string, opts: ImportReadOptions = {}): AsyncIterable<ImportItem> {
    let seen = false;
    for await (const { n, text, tooLong } of readLines(file, opts.signal)) {
      if (!seen && text.trim()) {
        seen = true;
        // The first line says which file this is: masscan's header, or a row of its shape.
        if (!/^#masscan\b/.test(text.trim()) && !/^(open|closed|banner) [a-z]+ \d+ \S+ \d+/.test(text.trim()))
          throw new InputError("not masscan -oL output (expected #masscan or `open tcp PORT IP TIME`)", file);
      }
      if (tooLong) {
        yield rowError(n, "line longer than 64 KiB: not read");
        continue;
      }
      yield* parseMasscanListLine(n, text);
    }
  },
};

/** One -oJ object -> items. */
export function masscanJsonObject(n: number, o: unknown): ImportItem[] {
  if (!o || typeof o !== "object" || Array.isArray(o)) return [rowError(n, "not a JSON object")];
  const obj = o as Record<string, unknown>;
  if (typeof obj.ip !== "string") return [rowError(n, 'no "ip" member', "ip")];
  const time = epochSeconds(obj.timestamp as string | number | undefined);
  // -oJ nests ports in a list; an -oD (ndjson) row carries one port at the top level.
  const ports = Array.isArray(obj.ports) ? obj.ports : obj.port !== undefined ? [obj] : [];
  const findings: Finding[] = [];
  const errors: ImportItem[] = [];
  for (const p of ports.slice(0, 1024)) {
    if (!p || typeof p !== "object") continue;
    const q = p as Record<string, unknown>;
    const port = portOf(q.port);
    if (port === undefined) {
      errors.push(rowError(n, `${quote(String(q.port))}: not a port number`, "port"));
      continue;
    }
    const transport = typeof q.proto === "string" ? cap(q.proto, 16) : "tcp";
    const svc = q.service as Record<string, unknown> | undefined;
    if (svc && typeof svc === "object") {
      findings.push({
        port,
        transport,
        service: typeof svc.name === "string" ? cap(svc.name, 64) : undefined,
        banner: typeof svc.banner === "string" ? cap(svc.banner, 64 * 1024) : "",
      });
    } else {
      const data = (q.data as Record<string, unknown> | undefined) ?? q;
      findings.push({
        port,
        transport,
        status: typeof data.status === "string" ? data.status : undefined,
        reason: typeof data.reason === "string" ? data.reason : undefined,
        ttl: typeof data.ttl === "number" && Number.isInteger(data.ttl) ? data.ttl : undefined,
      });
    }
  }
  return [...buildRecord(n, obj.ip, time, findings), ...errors];
}

/**
 * Splits a JSON array (or a stream of objects, one or many a line) into its top-level objects with the line each
 * starts on, in bounded memory: an object over MAX_OBJECT is reported and skipped, never held whole.
 */
export async function* jsonObjects(
  chunks: AsyncIterable<string>,
): AsyncGenerator<{ line: number; text?: string; tooLong?: boolean; junk?: string }> {
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: string[] = [];
  let size = 0;
  let startLine = 0;
  let over = false;
  let outerArray = false;
  /** where the current object starts in this chunk (0 when it began in an earlier one), -1 between objects */
  let from = -1;
  for await (const chunk of chunks) {
    from = depth > 0 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) line++;
      if (depth === 0) {
        if (c === 0x7b /* { */) {
          depth = 1;
          startLine = line;
          from = i;
          parts = [];
          size = 0;
          over = false;
        } else if (c === 0x5b /* [ */ && !outerArray) outerArray = true;
        else if (c !== 0x20 && c !== 10 && c !== 13 && c !== 9 && c !== 0x2c && c !== 0x5d) {
          // Anything else between objects is not masscan's; name the line once and go on.
          const end = chunk.indexOf("\n", i);
          yield { line, junk: chunk.slice(i, end < 0 ? Math.min(chunk.length, i + 60) : end) };
          if (end < 0) break;
          i = end - 1;
        }
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
        continue;
      }
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) {
          if (!over) parts.push(chunk.slice(from, i + 1));
          yield over ? { line: startLine, tooLong: true } : { line: startLine, text: parts.join("") };
          parts = [];
          from = -1;
        }
      }
    }
    if (depth > 0 && from >= 0 && !over) {
      // The object goes on in the next chunk: keep this piece unless it grew past the cap.
      const piece = chunk.slice(from);
      size += piece.length;
      if (size > MAX_OBJECT) {
        over = true;
        parts = [];
      } else parts.push(piece);
    }
  }
  if (depth > 0) yield { line: startLine, junk: "(the file ends inside an object)" };
}

export const masscanJson: ImportFormat = {
  id: "masscan-json",
  description: "masscan -oJ JSON output (also -oD JSON lines)",
  async *read(file: string, opts: ImportReadOptions = {}): AsyncIterable<ImportItem> {
    let first = true;
    async function* checked(): AsyncGenerator<string> {
      for await (const c of textChunks(file, opts.signal)) {
        if (first) {
          const head = c.trimStart();
          if (!head) continue;
          first = false;
          if (!head.startsWith("[") && !head.startsWith("{"))
            throw new InputError("not masscan -oJ output (expected a JSON array of host objects)", file);
        }
        yield c;
      }
    }
    for await (const o of jsonObjects(checked())) {
      if (o.tooLong) yield rowError(o.line, `object longer than ${MAX_OBJECT / 1024} KiB: not read`);
      else if (o.junk !== undefined) yield rowError(o.line, `${quote(o.junk.trim())}: not a JSON object`);
      else if (o.text !== undefined) {
        let v: unknown;
        try {
          v = JSON.parse(o.text);
        } catch (e) {
          // masscan before 1.0.4 ended its JSON with `{finished: 1}`: the end marker, not a row.
          if (/^\{\s*finished\s*:\s*1\s*\}$/.test(o.text)) continue;
          yield rowError(o.line, `not valid JSON (${(e as Error).message.slice(0, 100)})`);
          continue;
        }
        yield* masscanJsonObject(o.line, v);
      }
    }
  },
};
