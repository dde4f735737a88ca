import { z } from "zod";

/**
 * An observation is one probe's request and what came back, exactly as seen.
 * It is the only input identification sees, so saved observations (or another tool's output)
 * give the same verdicts as a live scan. See docs/observation.md.
 */
export const PROTOCOLS = [
  "http",
  "rtsp",
  "sadp",
  "onvif-probe",
  "onvif-devinfo",
  "dahua-dhip",
  "ssdp",
  "tls",
  "banner",
  "nmap",
  /** an entry of a neighbour table (ip neigh, /proc/net/arp, an imported `arp -a`): the address's MAC */
  "neighbour",
  /** a DHCP lease or log line: request {hostname, vendorClass, clientId, ...} */
  "dhcp",
  /** a DNS query a device made (a resolver's log): request {query, qtype, answers?} */
  "dns",
  /** a row of an asset list (a CMDB export): request {manufacturer, model, serial, ...} as the organization wrote them */
  "asset",
] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** A whole number a hand-made or converted capture may write as a string ("80", "401"). */
const wholeNumber = (max: number) =>
  z
    .union([
      z.number().int(),
      z
        .string()
        .regex(/^\d{1,5}$/)
        .transform(Number),
    ])
    .pipe(z.number().int().min(0).max(max));

/** Header list in wire order and case: Dahua's UPPERCASE names are themselves evidence. */
const Headers = z.union([
  z.array(z.tuple([z.string(), z.string()])),
  // Header lines as a capture prints them ("Server: App-webs/") are split at the first colon.
  z.array(z.string().regex(/^[^:\r\n]{1,200}:/, "a header line is Name: value")).transform((lines) =>
    lines.map((l) => {
      const i = l.indexOf(":");
      return [l.slice(0, i).trim(), l.slice(i + 1).trim()] as [string, string];
    }),
  ),
  // Hand-written observations may give an object; it is normalised to pairs.
  z
    .record(z.string(), z.union([z.string(), z.array(z.string())]))
    .transform((o) =>
      Object.entries(o).flatMap(([k, v]) =>
        Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]],
      ),
    ),
]);

export const MessageResponse = z.object({
  // A status written as a string ("401") by a hand-made or converted capture is read as the number it is.
  status: wholeNumber(999),
  /** e.g. "HTTP/1.0", "RTSP/1.0" */
  version: z.string().optional(),
  reason: z.string().optional(),
  headers: Headers.default([]),
  body: z.string().default(""),
  /** "base64" when the body was not valid UTF-8 */
  bodyEncoding: z.enum(["utf8", "base64"]).optional(),
  /** true when the body was cut at the size cap */
  truncated: z.boolean().optional(),
});

export const RawResponse = z.object({
  raw: z.string(),
  encoding: z.enum(["utf8", "base64"]).optional(),
  truncated: z.boolean().optional(),
});

export const CertResponse = z.object({
  cert: z.object({
    subject: z.string(),
    issuer: z.string().optional(),
    subjectAltName: z.string().optional(),
    validFrom: z.string().optional(),
    validTo: z.string().optional(),
    fingerprint256: z.string().optional(),
    selfSigned: z.boolean().optional(),
  }),
});

export const ObservationSchema = z.object({
  /** address or hostname the probe went to; observations sharing a target are one device */
  target: z.string().min(1).max(255).optional(),
  port: wholeNumber(65535).optional(),
  /** link-layer address of the device when known (local segment, neighbour table, DHCP lease, nmap) */
  mac: z.string().max(64).optional(),
  protocol: z.enum(PROTOCOLS),
  /** what was sent: {method, path} for http/rtsp, {payload} for udp, free for imports */
  request: z.record(z.string(), z.unknown()).optional(),
  response: z.union([MessageResponse, CertResponse, RawResponse]).optional(),
  /** set when the probe failed (timeout, refused, reset, parse error) */
  error: z.string().max(500).optional(),
  time: z.string().default(() => new Date().toISOString()),
});

export type Observation = z.output<typeof ObservationSchema>;
export type ObservationInput = z.input<typeof ObservationSchema>;
export type MessageResponseT = z.output<typeof MessageResponse>;

export function isMessage(r: Observation["response"]): r is MessageResponseT {
  return !!r && "status" in r;
}
export function isRaw(r: Observation["response"]): r is z.output<typeof RawResponse> {
  return !!r && "raw" in r;
}
export function isCert(r: Observation["response"]): r is z.output<typeof CertResponse> {
  return !!r && "cert" in r;
}

/** First header value by case-insensitive name. */
export function header(r: MessageResponseT, name: string): string | undefined {
  const n = name.toLowerCase();
  return r.headers.find(([k]) => k.toLowerCase() === n)?.[1];
}
export function headers(r: MessageResponseT, name: string): string[] {
  const n = name.toLowerCase();
  return r.headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
}
