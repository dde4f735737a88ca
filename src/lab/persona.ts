import { z } from "zod";

/**
 * A lab persona: one simulated device described as data (lab/personas/<id>.yaml).
 * Responses are written to the wire verbatim (header case and order included), after
 * `{placeholder}` substitution (see template.ts for the list).
 */

const HeaderPair = z.tuple([
  z.string().regex(/^[^\r\n:]+$/, "header name must not contain ':' or CR/LF"),
  z.string(),
]);

const hex = z.string().regex(/^(?:[0-9a-fA-F]{2})*$/, "must be an even-length hex string");

/** One canned reply. Header values are written as `Name: value`; start a value with a space for `Name:  value`. */
const responseShape = {
  status: z.number().int().min(100).max(999),
  reason: z.string().regex(/^[^\r\n]*$/),
  /** "HTTP/1.0", "HTTP/1.1" or "RTSP/1.0"; default HTTP/1.1 (http) or RTSP/1.0 (rtsp) */
  version: z.enum(["HTTP/1.0", "HTTP/1.1", "RTSP/1.0"]).optional(),
  headers: z.array(HeaderPair).default([]),
  /** text body, templated; YAML "\uFEFF" gives a UTF-8 BOM */
  body: z.string().optional(),
  /** raw body bytes as hex (not templated) */
  bodyHex: hex.optional(),
  /** free text: why this shape, or what is [U] about it */
  note: z.string().optional(),
};
const oneBody = { message: "give body or bodyHex, not both" };

export const ResponseSchema = z
  .object(responseShape)
  .refine((r) => r.body === undefined || r.bodyHex === undefined, oneBody);

export const RouteSchema = z
  .object({
    ...responseShape,
    method: z
      .string()
      .regex(/^(?:\*|[A-Z_]+)$/, "method must be upper-case or *")
      .default("GET"),
    /** exact path (query string ignored unless the pattern has one), or "*" for any */
    path: z.string().default("*"),
    /** "digest" (HTTP Digest) or "wsse" (ONVIF WS-UsernameToken in the SOAP body): the response above is sent only
     * with valid credentials (vars.username/password); otherwise `unauthorized` */
    auth: z.enum(["digest", "wsse"]).optional(),
    unauthorized: ResponseSchema.optional(),
    /** SOAP operation (local name of the first element in the request's Body, e.g. GetSystemDateAndTime): the
     * route matches only that operation; routes without `soap` match any body */
    soap: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/, "soap is an operation name")
      .optional(),
  })
  .refine((r) => r.body === undefined || r.bodyHex === undefined, oneBody)
  .refine((r) => r.auth === undefined || r.unauthorized !== undefined, {
    message: "a route with auth: digest needs an `unauthorized` response",
    path: ["unauthorized"],
  });

const port = z.number().int().min(1).max(65535);

const HttpService = z.object({
  port,
  protocol: z.enum(["http", "https"]),
  /** reuse the routes of another port of this persona (e.g. 443 -> 80) */
  routesFrom: port.optional(),
  routes: z.array(RouteSchema).default([]),
  /** unknown path */
  default: ResponseSchema.optional(),
  /** certificate base name under lab/certs (<name>.cert.pem + <name>.key.pem); https only */
  cert: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
  note: z.string().optional(),
});

const RtspService = z.object({
  port,
  protocol: z.literal("rtsp"),
  /** routes match on method (path "*" or the URI path) */
  routes: z.array(RouteSchema).default([]),
  default: ResponseSchema.optional(),
  /** reply to an HTTP/1.x request sent to this port (Dahua: 405); connection closes after it */
  httpResponse: ResponseSchema.optional(),
  note: z.string().optional(),
});

const TcpService = z.object({
  port,
  protocol: z.literal("tcp"),
  /** bytes sent right after accept (a banner); absent = say nothing */
  onConnectHex: hex.optional(),
  /** bytes sent once after the first data arrives; absent = stay silent */
  replyHex: hex.optional(),
  note: z.string().optional(),
});

/** A device built to misbehave (faults.ts): what a scanner must survive without hanging or buffering without bound. */
export const FAULT_BEHAVIOURS = [
  "reset", // RST (SO_LINGER 0): at accept, or after the first bytes of the request
  "tarpit", // accept, read and discard, never answer, never close
  "half-reply", // send `text` (the start of a reply), then silence forever
  "close-silent", // FIN without a byte: at accept, or after the request
  "flood", // `text`, then `fill` repeated until the client closes (rate-capped, honours backpressure)
  "garbage", // `bytes` random bytes, then close
  "drip", // `text` one byte every `intervalMs`, then close
] as const;

const FaultService = z.object({
  port,
  protocol: z.literal("fault"),
  behaviour: z.enum(FAULT_BEHAVIOURS),
  /** "connect": misbehave at accept; "request" (default): after the first bytes arrive */
  start: z.enum(["connect", "request"]).default("request"),
  /** bytes said first (escapes such as \r\n in YAML double quotes); not templated */
  text: z
    .string()
    .max(16 * 1024)
    .optional(),
  /** flood: the repeated filler */
  fill: z.string().min(1).max(1024).optional(),
  /** garbage: how many random bytes */
  bytes: z
    .number()
    .int()
    .min(1)
    .max(1024 * 1024)
    .optional(),
  /** drip: pause between bytes */
  intervalMs: z.number().int().min(10).max(60_000).optional(),
  /** flood: bytes per second per connection; the cap keeps a fast reader from spinning the lab's CPU */
  bytesPerSecond: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .optional(),
  note: z.string().optional(),
});

const SadpService = z.object({
  port,
  protocol: z.literal("sadp"),
  /** ProbeMatch XML template ({uuid}, {types} echo the probe) */
  reply: z.string().min(1),
  note: z.string().optional(),
});

const DhipService = z.object({
  port,
  protocol: z.literal("dhip"),
  /** JSON body template; the 32-byte DHIP header is added by the lab */
  reply: z.string().min(1),
  note: z.string().optional(),
});

/** Header lines of an SSDP message, written in this order as `Name: value` after templating (CR/LF stripped). */
const SsdpHeaders = z.array(HeaderPair).min(1).max(32);

const WsdService = z.object({
  port,
  protocol: z.literal("wsd"),
  /** ProbeMatches envelope template ({relatesTo} echoes the probe's MessageID, {messageId} is fresh) */
  reply: z.string().min(1),
  /** Hello envelope template, multicast at start and every announceEveryMs (multicast mode only) */
  hello: z.string().min(1).optional(),
  note: z.string().optional(),
});

const SsdpService = z.object({
  port,
  protocol: z.literal("ssdp"),
  /** the root device's UDN ("uuid:..."): {usn} is this alone for the uuid target, else `<udn>::<target>` */
  udn: z.string().regex(/^uuid:/, "udn starts with uuid:"),
  /** search targets answered (besides ssdp:all, which gets one reply per target), in reply order */
  targets: z.array(z.string().min(1)).min(1).max(8),
  /** 200 OK reply headers ({st} = the target answered, {usn}) */
  reply: SsdpHeaders,
  /** NOTIFY ssdp:alive headers, one datagram per target ({st} = the NT), multicast mode only */
  notify: SsdpHeaders.optional(),
  note: z.string().optional(),
});

/** Dahua's older discovery (§6.2): a fixed 0xb3 struct; the IPv4 address is the device's own. */
const ipv4 = z
  .string()
  .regex(/^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/, "an IPv4 address");
const DhipLegacyService = z.object({
  port,
  protocol: z.literal("dhip-legacy"),
  /** ASCII device type at 0x28 (templated, cut to 16 bytes) */
  deviceType: z.string().min(1),
  mask: ipv4.default("255.255.255.0"),
  gateway: ipv4.default("0.0.0.0"),
  dns: ipv4.default("0.0.0.0"),
  note: z.string().optional(),
});

export const ServiceSchema = z.discriminatedUnion("protocol", [
  HttpService,
  RtspService,
  TcpService,
  SadpService,
  DhipService,
  WsdService,
  SsdpService,
  DhipLegacyService,
  FaultService,
]);

/** Services answered over UDP (the rest listen on TCP). */
export const UDP_PROTOCOLS = ["sadp", "dhip", "wsd", "ssdp", "dhip-legacy"] as const;
export type UdpProtocol = (typeof UDP_PROTOCOLS)[number];
export const isUdpProtocol = (p: string): p is UdpProtocol =>
  (UDP_PROTOCOLS as readonly string[]).includes(p);

export const DEVICE_TYPES = ["camera", "nvr", "dvr", "other", "unknown"] as const;

export const ExpectSchema = z.object({
  manufacturer: z
    .string()
    .regex(/^[a-z0-9-]+$/, "manufacturer is a lower-case slug")
    .nullable(),
  brand: z.string().min(1).nullable(),
  model: z.string().min(1).nullable(),
  deviceType: z.enum(DEVICE_TYPES),
  restricted: z.boolean(),
  policies: z.array(z.string()),
});

/**
 * Flaws a persona can simulate, each answering only its harmless verification read (respond.ts legacyDeviceInfo):
 * CVE-2017-7921 serves the DeviceInfo document of GET /System/deviceInfo?auth=YWRtaW46MTEK without credentials.
 */
export const LAB_VULNERABILITIES = ["CVE-2017-7921"] as const;

export const PersonaSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, "id is lower-case letters, digits and '-'"),
    name: z.string().min(1),
    description: z.string().min(1),
    sources: z.array(z.string().min(1)).min(1, "cite at least one source"),
    expect: ExpectSchema,
    /** {name} placeholders; `mac` (aa:bb:cc:dd:ee:ff) also yields macHyphenLower, macHexUpper, macHexLower, macColonUpper */
    vars: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/), z.string()).default({}),
    /** how {nonce} is made and the realm that Digest auth checks against */
    digest: z
      .object({
        realm: z.string().min(1),
        /** hikvision: hex of an ASCII base64 string (§2.5); hex32: 32 hex digits; onvif-base64: base64("onvif-digest:<n>") */
        nonce: z.enum(["hikvision", "hex32", "onvif-base64"]).default("hex32"),
      })
      .optional(),
    services: z.array(ServiceSchema).min(1),
    /** flaws this device has (absent: none); each answers only where the persona has what it reads */
    vulnerable: z.array(z.enum(LAB_VULNERABILITIES)).optional(),
  })
  .superRefine((p, ctx) => {
    const ports = new Set<string>();
    p.services.forEach((s, i) => {
      const key = `${isUdpProtocol(s.protocol) ? "udp" : "tcp"}/${s.port}`;
      if (ports.has(key))
        ctx.addIssue({ code: "custom", path: ["services", i, "port"], message: `duplicate ${key}` });
      ports.add(key);
      if (s.protocol === "http" || s.protocol === "https") {
        if (
          s.routesFrom !== undefined &&
          !p.services.some(
            (o) => o.port === s.routesFrom && (o.protocol === "http" || o.protocol === "https"),
          )
        )
          ctx.addIssue({
            code: "custom",
            path: ["services", i, "routesFrom"],
            message: `no http(s) service on port ${s.routesFrom}`,
          });
        if (s.protocol === "https" && !s.cert)
          ctx.addIssue({ code: "custom", path: ["services", i, "cert"], message: "https needs a cert" });
      }
      if (
        (s.protocol === "http" || s.protocol === "https" || s.protocol === "rtsp") &&
        s.routes.some((r) => r.auth === "digest")
      ) {
        if (!p.digest)
          ctx.addIssue({
            code: "custom",
            path: ["digest"],
            message: "routes use auth: digest but the persona has no digest block",
          });
        if (p.vars.username === undefined || p.vars.password === undefined)
          ctx.addIssue({
            code: "custom",
            path: ["vars"],
            message: "auth: digest needs vars.username and vars.password",
          });
      }
    });
    if (p.vars.mac !== undefined && !/^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/.test(p.vars.mac))
      ctx.addIssue({
        code: "custom",
        path: ["vars", "mac"],
        message: "mac must be lower-case aa:bb:cc:dd:ee:ff",
      });
  });

/** The ISAPI deviceInfo route (Digest-protected) of a Hikvision-firmware persona: its PSIA-era alias answers from it. */
export function isapiDeviceInfo(routes: readonly PersonaRoute[]): PersonaRoute | undefined {
  return routes.find(
    (r) =>
      r.path === "/ISAPI/System/deviceInfo" &&
      r.auth === "digest" &&
      (r.method === "GET" || r.method === "*"),
  );
}

export type Persona = z.output<typeof PersonaSchema>;
export type PersonaService = z.output<typeof ServiceSchema>;
export type PersonaRoute = z.output<typeof RouteSchema>;
export type PersonaResponse = z.output<typeof ResponseSchema>;
export type PersonaExpect = z.output<typeof ExpectSchema>;
