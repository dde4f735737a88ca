import { parseMessage } from "../message.js";
import type { ObservationInput } from "../observation.js";

/**
 * nmap's service fingerprint: the replies nmap -sV got from a port it could not name, as printed in
 * normal output (`SF-Port554-TCP:V=7.93%I=7%D=...%r(GetRequest,1F4,"HTTP/1\.0\x20200...")`, wrapped
 * on `SF:` lines) and in the XML `servicefp` attribute. Each `r(Probe,hexlen,"escaped bytes")` entry is
 * one probe's reply. Decoding turns those replies back into camsweep observations (http, rtsp or
 * banner), so every camsweep fingerprint applies to what nmap captured.
 *
 * All of it is device-controlled text: sizes are capped, nothing here throws.
 */

/** One `r(...)` entry of a service fingerprint. */
export interface FpReply {
  probe: string;
  /** the reply bytes nmap kept */
  bytes: Buffer;
  /** the length nmap declared (hex field), which may exceed what it kept */
  declared: number;
}

export interface ServiceFingerprint {
  port?: number;
  transport?: string;
  /** `V=` nmap version that wrote it */
  nmapVersion?: string;
  replies: FpReply[];
}

const MAX_FP_CHARS = 1024 * 1024;
const MAX_REPLIES = 64;
/** nmap itself keeps far less per probe; this only bounds hostile input */
const MAX_REPLY_BYTES = 64 * 1024;

/** What nmap sends for the probes whose replies become HTTP or RTSP observations (nmap-service-probes). */
const HTTP_PROBES: Record<string, { method: string; path: string }> = {
  GetRequest: { method: "GET", path: "/" },
  HTTPOptions: { method: "OPTIONS", path: "/" },
  FourOhFourRequest: { method: "GET", path: "/nice%20ports%2C/Tri%6Eity.txt%2ebak" },
};
const RTSP_PROBE = "RTSPRequest";

/**
 * Joins the wrapped lines of a fingerprint (`SF-Port...` then `SF:...` lines, or the XML attribute's
 * text with newlines) into one string without the `SF:` continuation prefixes.
 */
export function unwrapFingerprint(text: string): string {
  const lines = text.slice(0, MAX_FP_CHARS).split(/\r?\n/);
  let out = "";
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    out += line.startsWith("SF:") ? line.slice(3) : line;
  }
  return out;
}

/** nmap's one-letter escapes (C's), by the letter after the backslash. */
const ESCAPES: Record<string, number> = { "0": 0, r: 13, n: 10, t: 9, a: 7, f: 12, v: 11 };

/** Decodes one nmap-escaped string body (without the quotes). Stops at `max` bytes. */
export function unescapeFp(s: string, max = MAX_REPLY_BYTES): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length && out.length < max; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x5c /* \ */ || i + 1 >= s.length) {
      // Printable ASCII as nmap wrote it; anything else is kept as its UTF-8 bytes.
      if (c < 0x80) out.push(c);
      else for (const b of Buffer.from(s[i] as string, "utf8")) out.push(b);
      continue;
    }
    const n = s[i + 1] as string;
    i++;
    const simple = ESCAPES[n];
    if (simple !== undefined) out.push(simple);
    else if (n === "x") {
      const hex = s.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
      } else out.push(0x78);
    }
    // `\.`, `\\`, `\"`, `\(` ...: the character itself.
    else out.push(n.charCodeAt(0) & 0xff);
  }
  return Buffer.from(out);
}

/**
 * Parses a fingerprint into its header fields and replies. Malformed entries are skipped; a text that
 * holds no `r(` entry yields no replies.
 */
export function parseServiceFingerprint(text: string): ServiceFingerprint {
  const s = unwrapFingerprint(text);
  const fp: ServiceFingerprint = { replies: [] };
  const head = /^SF-Port(\d{1,5})-(TCP|UDP|SCTP):/i.exec(s);
  if (head) {
    const port = Number(head[1]);
    if (port <= 65535) fp.port = port;
    fp.transport = (head[2] as string).toLowerCase();
  }
  const v = /(?:^|[:%])V=([\w.]{1,20})/.exec(s.slice(0, 200));
  if (v) fp.nmapVersion = v[1];
  let pos = 0;
  while (fp.replies.length < MAX_REPLIES) {
    const at = s.indexOf("r(", pos);
    if (at < 0) break;
    pos = at + 2;
    // Only an entry start: `%r(` or the very beginning.
    if (at > 0 && s[at - 1] !== "%") continue;
    const m = /^([A-Za-z0-9_-]{1,40}),([0-9A-Fa-f]{1,8}),"/.exec(s.slice(pos, pos + 60));
    if (!m) continue;
    const start = pos + m[0].length;
    // The body ends at the first unescaped quote.
    let i = start;
    while (i < s.length) {
      const ch = s[i];
      if (ch === "\\") i += 2;
      else if (ch === '"') break;
      else i++;
    }
    const body = s.slice(start, Math.min(i, s.length));
    fp.replies.push({
      probe: m[1] as string,
      declared: parseInt(m[2] as string, 16),
      bytes: unescapeFp(body),
    });
    pos = i + 1;
  }
  return fp;
}

function isUtf8Text(b: Buffer): boolean {
  const s = b.toString("utf8");
  return !s.includes("\uFFFD") && !/[\x00-\x08\x0e-\x1f\x7f]/.test(s);
}

function bodyOf(b: Buffer): { body: string; bodyEncoding?: "base64" } {
  return isUtf8Text(b)
    ? { body: b.toString("utf8") }
    : { body: b.toString("base64"), bodyEncoding: "base64" };
}

/** Base context every observation of one port carries. */
export interface PortContext {
  target?: string;
  port?: number;
  time?: string;
  /** the host's link-layer address */
  mac?: string;
  /** extra request fields (e.g. macVendor) */
  extra?: Record<string, unknown>;
}

/**
 * The observations one reply stands for: an HTTP reply to one of nmap's HTTP probes (or any reply
 * that is an HTTP message) is an `http` observation, an RTSP reply an `rtsp` observation, anything else
 * a `banner` with the probe's name. Identical banners are kept once.
 */
export function repliesToObservations(replies: FpReply[], ctx: PortContext): ObservationInput[] {
  const out: ObservationInput[] = [];
  const banners = new Map<string, ObservationInput & { request: Record<string, unknown> }>();
  const base = {
    ...(ctx.target !== undefined ? { target: ctx.target } : {}),
    ...(ctx.port !== undefined ? { port: ctx.port } : {}),
    ...(ctx.mac !== undefined ? { mac: ctx.mac } : {}),
    ...(ctx.time !== undefined ? { time: ctx.time } : {}),
  };
  for (const r of replies) {
    const truncated = r.declared > r.bytes.length ? { truncated: true } : {};
    const http = parseMessage(r.bytes, "HTTP");
    const rtsp = http ? undefined : parseMessage(r.bytes, "RTSP");
    const msg = http ?? rtsp;
    if (msg) {
      const known = HTTP_PROBES[r.probe];
      const request: Record<string, unknown> = http
        ? known
          ? { method: known.method, path: known.path, scheme: "http" }
          : r.probe === RTSP_PROBE
            ? { method: "OPTIONS", path: "/", probe: r.probe }
            : { probe: r.probe }
        : r.probe === RTSP_PROBE
          ? { method: "OPTIONS", uri: "/" }
          : { probe: r.probe };
      out.push({
        ...base,
        protocol: http ? "http" : "rtsp",
        request: { ...request, source: "nmap", ...(ctx.extra ?? {}) },
        response: {
          status: msg.status,
          version: msg.version,
          ...(msg.reason ? { reason: msg.reason } : {}),
          headers: msg.headers,
          ...bodyOf(msg.body),
          ...truncated,
        },
      });
      continue;
    }
    if (r.bytes.length === 0) continue;
    const key = r.bytes.toString("base64");
    const seen = banners.get(key);
    if (seen) {
      seen.request.probe = `${String(seen.request.probe)},${r.probe}`;
      continue;
    }
    const raw = isUtf8Text(r.bytes)
      ? { raw: r.bytes.toString("utf8") }
      : { raw: key, encoding: "base64" as const };
    const obs = {
      ...base,
      protocol: "banner" as const,
      request: { probe: r.probe, source: "nmap", ...(ctx.extra ?? {}) },
      response: { ...raw, ...truncated },
    };
    banners.set(key, obs);
    out.push(obs);
  }
  return out;
}

/**
 * The `fingerprint-strings` script's output (nmap -sC): for each group of probes, the readable strings
 * of the reply, one per line. It is lossy (control bytes and blank lines are gone), so an HTTP or RTSP
 * reply is rebuilt as status line, the `Name: value` lines that follow it as headers, and the rest as
 * body. Used only for a port whose service fingerprint itself was not given.
 */
export function fingerprintStringsReplies(output: string): FpReply[] {
  const groups: { probes: string[]; lines: string[] }[] = [];
  for (const raw of output.slice(0, MAX_FP_CHARS).split(/\r?\n/)) {
    const key = /^ {2}([A-Za-z0-9_-]{1,40}(?:, ?[A-Za-z0-9_-]{1,40}){0,40}):\s*$/.exec(raw);
    if (key) {
      if (groups.length >= MAX_REPLIES) break;
      groups.push({ probes: (key[1] as string).split(/, ?/), lines: [] });
      continue;
    }
    const g = groups[groups.length - 1];
    if (g && /^ {3,}/.test(raw)) g.lines.push(raw.replace(/^ {4}/, ""));
  }
  const out: FpReply[] = [];
  for (const g of groups) {
    const lines = g.lines.map((l) => l.replace(/\s+$/, ""));
    let text: string;
    if (/^(?:HTTP|RTSP)\/\d\.\d \d{3}\b/.test(lines[0] ?? "")) {
      let i = 1;
      while (i < lines.length && /^[A-Za-z0-9_-]{1,64}:(?: |$)/.test(lines[i] as string)) i++;
      text = `${lines.slice(0, i).join("\r\n")}\r\n\r\n${lines.slice(i).join("\n")}`;
    } else text = lines.join("\n");
    const bytes = Buffer.from(text, "utf8").subarray(0, MAX_REPLY_BYTES);
    for (const probe of g.probes) {
      if (out.length >= MAX_REPLIES) break;
      out.push({ probe, bytes, declared: bytes.length });
    }
  }
  return out;
}
