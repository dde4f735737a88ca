import { randomBytes, randomInt, randomUUID } from "node:crypto";

/** `{name}` placeholders in persona responses. JSON such as `{"a":1}` never matches (quote after the brace). */
export const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** Built-in placeholders, filled per request. `contentLength` is the byte length of the rendered body. */
export const BUILTINS = [
  "cseq",
  "httpDate",
  "rtspDateHik",
  "nonce",
  "uuid",
  "types",
  "contentLength",
  "address",
  "port",
  "randomDigits",
  "randomHex32",
  // discovery replies (udp-services.ts): echoed request values, a fresh message id, the device's HTTP address
  "relatesTo",
  "messageId",
  "st",
  "usn",
  "httpPort",
  "httpAuthority",
  // the lab clock in UTC, for ONVIF GetSystemDateAndTime
  "utcYear",
  "utcMonth",
  "utcDay",
  "utcHour",
  "utcMinute",
  "utcSecond",
] as const;

export type NonceStyle = "hikvision" | "hex32" | "onvif-base64";

/** Placeholders derived from vars.mac (aa:bb:cc:dd:ee:ff). */
export function deriveVars(vars: Record<string, string>): Record<string, string> {
  const out = { ...vars };
  const mac = vars.mac;
  if (mac) {
    out.macHyphenLower ??= mac.replace(/:/g, "-");
    out.macColonUpper ??= mac.toUpperCase();
    out.macHexUpper ??= mac.replace(/:/g, "").toUpperCase();
    out.macHexLower ??= mac.replace(/:/g, "");
  }
  return out;
}

export const DERIVED_FROM_MAC = ["macHyphenLower", "macColonUpper", "macHexUpper", "macHexLower"];

export function makeNonce(style: NonceStyle): string {
  switch (style) {
    case "hikvision": {
      // §2.5: the nonce is the hex of an ASCII base64 string; the sample decodes to "<8 hex>:<8 digits>".
      const inner = `${randomBytes(4).toString("hex")}:${String(randomInt(10_000_000, 99_999_999))}`;
      return Buffer.from(Buffer.from(inner, "ascii").toString("base64"), "ascii").toString("hex");
    }
    case "onvif-base64":
      return Buffer.from(`onvif-digest:${String(randomInt(1e10, 9e10))}`, "ascii").toString("base64");
    case "hex32":
      return randomBytes(16).toString("hex");
  }
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n: number) => String(n).padStart(2, "0");

/** Hikvision RTSP `Date:` order, §3: `Thu, May 14 2020 16:45:35 GMT` (zero-padded day is [U]). */
export function rtspDateHik(d: Date): string {
  return `${DAYS[d.getUTCDay()]}, ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} GMT`;
}

export interface RenderContext {
  vars: Record<string, string>;
  /** request values echoed back (already sanitised by the caller) */
  cseq?: string;
  uuid?: string;
  types?: string;
  address?: string;
  port?: number;
  /** WS-Discovery: the probe's MessageID; SSDP: the search target (or NT) and its USN */
  relatesTo?: string;
  st?: string;
  usn?: string;
  /** the actual port of the device's first HTTP service (after any port offset) */
  httpPort?: number;
  /** `{port<N>}`: where the persona's service declared on port N really listens (after any port offset) */
  portOf?: (nominal: number) => number;
  /** issues one nonce per rendered response */
  nonce?: () => string;
  now?: Date;
}

/** Per-response renderer: every {nonce} in one response is the same value. */
export function renderer(ctx: RenderContext): (template: string) => string {
  let nonce: string | undefined;
  let randomDigits: string | undefined;
  let randomHex32: string | undefined;
  let messageId: string | undefined;
  const now = ctx.now ?? new Date();
  return (template) =>
    template.replace(PLACEHOLDER, (whole, name: string) => {
      switch (name) {
        case "cseq":
          return ctx.cseq ?? "0";
        case "httpDate":
          return now.toUTCString();
        case "rtspDateHik":
          return rtspDateHik(now);
        case "nonce":
          return (nonce ??= ctx.nonce ? ctx.nonce() : makeNonce("hex32"));
        case "uuid":
          return ctx.uuid ?? "";
        case "types":
          return ctx.types ?? "inquiry";
        case "address":
          return ctx.address ?? "";
        case "port":
          return ctx.port === undefined ? "" : String(ctx.port);
        case "randomDigits":
          return (randomDigits ??= String(randomInt(1_000_000, 9_999_999)));
        case "randomHex32":
          return (randomHex32 ??= randomBytes(16).toString("hex"));
        case "relatesTo":
          return ctx.relatesTo ?? "";
        case "messageId":
          return (messageId ??= randomUUID());
        case "st":
          return ctx.st ?? "";
        case "usn":
          return ctx.usn ?? "";
        case "httpPort":
          return String(ctx.httpPort ?? 80);
        case "httpAuthority": {
          // Devices leave out ":80" in their URLs (XAddrs of §5.1); a moved port must be said.
          const a = ctx.address ?? "";
          return ctx.httpPort === undefined || ctx.httpPort === 80 ? a : `${a}:${ctx.httpPort}`;
        }
        case "utcYear":
          return String(now.getUTCFullYear());
        case "utcMonth":
          return String(now.getUTCMonth() + 1);
        case "utcDay":
          return String(now.getUTCDate());
        case "utcHour":
          return String(now.getUTCHours());
        case "utcMinute":
          return String(now.getUTCMinutes());
        case "utcSecond":
          return String(now.getUTCSeconds());
        case "contentLength":
          return whole; // filled after the body is rendered
        default: {
          const declared = DECLARED_PORT.exec(name);
          if (declared && ctx.vars[name] === undefined) {
            const n = Number(declared[1]);
            return String(ctx.portOf ? ctx.portOf(n) : n);
          }
          return ctx.vars[name] ?? whole;
        }
      }
    });
}

/** `{port<N>}` names the actual port of the persona's service declared on N (load.ts checks N exists). */
export const DECLARED_PORT = /^port(\d{1,5})$/;

/** Names used in a template, for load-time validation. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}
