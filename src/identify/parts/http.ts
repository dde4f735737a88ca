/** Parts of HTTP and RTSP replies: headers, realms, title, favicon hashes, and the APIs probes ask (ISAPI, RPC2, Axis, Dahua CGI). */
import { createHash } from "node:crypto";
import murmur from "murmurhash3js-revisited";
import { parseMessage } from "../../observations/message.js";
import type { MessageResponseT } from "../../observations/observation.js";
import { xmlLeaves } from "../xml.js";
import {
  findElement,
  leaves,
  named,
  PARSE_CAP,
  PART_CAP,
  safeJson,
  safeXml,
  str,
  type Push,
  type Why,
} from "./read.js";

/** Header part names memoised by the name as sent, so neither the lower-casing nor the name is redone per reply. */
const headerParts = { http: new Map<string, string>(), rtsp: new Map<string, string>() };
function headerPart(prefix: "http" | "rtsp", name: string): string {
  const memo = headerParts[prefix];
  let v = memo.get(name);
  if (v === undefined) {
    v = `${prefix}.header.${name.toLowerCase()}`;
    // Bounded: a hostile device could send endless distinct names.
    if (memo.size < 4096) memo.set(name, v);
  }
  return v;
}

export function realms(header: string): string[] {
  return [...header.matchAll(/realm="([^"]*)"/gi)].map((m) => m[1] as string);
}

export function messageParts(prefix: "http" | "rtsp", res: MessageResponseT, push: Push): string {
  push(named(prefix, "status"), String(res.status));
  let block = "";
  for (const [name, value] of res.headers.slice(0, 200)) {
    const part = headerPart(prefix, name);
    push(part, value);
    // A megabyte header must not make the block a megabyte: parts are capped anyway.
    if (block.length < PART_CAP)
      block += `${name}: ${value.length > PART_CAP ? value.slice(0, PART_CAP) : value}\n`;
    if (part.endsWith(".www-authenticate")) for (const r of realms(value)) push(named(prefix, "realm"), r);
  }
  push(named(prefix, "headers"), block);
  const body =
    res.bodyEncoding === "base64"
      ? Buffer.from(res.body.slice(0, PARSE_CAP * 2), "base64").toString("latin1")
      : res.body;
  if (body) push(named(prefix, "body"), body);
  return body;
}

/** Dahua's RPC2 login challenge (HTTP /RPC2_Login, or a DHIP frame on TCP 37777). */
export function rpc2Parts(v: unknown, push: Push): void {
  if (!v || typeof v !== "object") return;
  const j = v as { params?: Record<string, unknown>; error?: Record<string, unknown> };
  const realm = str(j.params?.realm);
  const mac = str(j.params?.mac);
  const msg = str(j.error?.message);
  if (realm) push("dahua.rpc2.realm", realm);
  if (mac) push("dahua.rpc2.mac", mac);
  if (msg) push("dahua.rpc2.message", msg);
}

export function faviconParts(res: MessageResponseT, push: Push): void {
  const bytes =
    res.bodyEncoding === "base64" ? Buffer.from(res.body, "base64") : Buffer.from(res.body, "utf8");
  // A truncated icon would hash to nothing anyone published.
  if (bytes.length === 0 || res.truncated) return;
  const h = faviconHashes(bytes);
  push("http.favicon.md5", h.md5);
  push("http.favicon.mmh3", h.mmh3);
}

export function httpApiParts(path: string, status: number, body: string, push: Push, why: Why): void {
  if (status === 200 && /^\/ISAPI\/System\/deviceInfo\b/i.test(path)) {
    const tree = safeXml(body, why);
    const info = tree && findElement(tree, "DeviceInfo");
    let fields: Map<string, string> | undefined;
    if (info && typeof info === "object") {
      push("isapi.root", "DeviceInfo");
      fields = new Map(leaves(info));
    } else if (!tree) {
      // A reply cut short (or a logged fragment) still says what it said before the cut. Its root is not taken as a
      // DeviceInfo document: a start tag alone is too little for what that part claims.
      fields = new Map(xmlLeaves(body));
      if (fields.size) why(`${fields.size} leaf elements read one by one from the unparsed XML`);
    }
    if (fields) {
      for (const [k, v] of fields) push(named("isapi", k), v);
      // firmwareVersion + firmwareReleasedDate ("V5.8.3" + "build 240821") read as one version string.
      const fw = fields.get("firmwareVersion");
      if (fw) push("isapi.firmware", [fw, fields.get("firmwareReleasedDate")].filter(Boolean).join(" "));
    }
  }
  if (/^\/RPC2_Login\b/.test(path)) rpc2Parts(safeJson(body, why), push);
  // Dahua CGI text replies: "deviceType=IPC-HDW5231R-Z\r\n", "table.General.MachineName=..." per line.
  const ok = status === 200;
  if (ok && /^\/cgi-bin\/(?:magicBox|configManager)\.cgi\b/.test(path)) keyValues(body, "dahua.cgi", push);
  // Other makers' own APIs, read the same way, so that their replies name them: Hanwha's SUNAPI (/stw-cgi/,
  // Model=...), VIVOTEK's getparam (system_info_modelname='IP8131W'), Uniview's LAPI (JSON).
  if (ok && /^\/stw-cgi\//.test(path)) keyValues(body, "sunapi", push);
  if (ok && /^\/cgi-bin\/(?:admin|viewer|operator)\/getparam(?:_cache)?\.cgi\b/.test(path))
    keyValues(body, "vivotek", push);
  if (ok && /^\/LAPI\//.test(path)) {
    // The members at the top (the corpus capture), or inside a {"Response": {..., "Data": {...}}} envelope, the form
    // other LAPI replies take (not yet in the corpus: read both).
    const top = safeJson(body, why) as { Response?: { Data?: unknown } } | undefined;
    const data = top && typeof top === "object" ? (top.Response?.Data ?? top) : undefined;
    if (data && typeof data === "object" && !Array.isArray(data))
      for (const [k, v] of Object.entries(data).slice(0, 100)) {
        const s = str(v);
        if (s !== undefined && /^[A-Za-z][\w]{0,63}$/.test(k)) push(named("lapi", k), s);
      }
  }
  if (/^\/axis-cgi\/basicdeviceinfo\.cgi\b/.test(path)) {
    const j = safeJson(body, why) as { data?: { propertyList?: Record<string, unknown> } } | undefined;
    const props = j && typeof j === "object" ? j.data?.propertyList : undefined;
    if (props && typeof props === "object") {
      for (const [k, v] of Object.entries(props)) {
        const s = str(v);
        if (s !== undefined) push(named("axis", k), s);
      }
    }
  }
}
/** `key=value` lines (at most 200) as `<prefix>.<key>` parts; a value in single quotes loses them. */
function keyValues(body: string, prefix: string, push: Push): void {
  for (const line of body.slice(0, PARSE_CAP).split(/\r?\n/, 200)) {
    const m = /^([A-Za-z][\w.[\]]{0,80})=(.*)$/.exec(line.trim());
    if (m) push(named(prefix, m[1] as string), (m[2] as string).trim().replace(/^'(.*)'$/, "$1"));
  }
}

/**
 * Favicon hashes as fingerprint databases publish them: MD5 of the bytes, and Shodan's
 * `http.favicon.hash` (signed MurmurHash3 x86-32 of the base64 text with a newline every 76 characters).
 */
export function faviconHashes(bytes: Buffer): { md5: string; mmh3: string } {
  const b64 = bytes.toString("base64").replace(/.{1,76}/g, "$&\n");
  const h = murmur.x86.hash32(Buffer.from(b64, "latin1"), 0) | 0;
  return { md5: createHash("md5").update(bytes).digest("hex"), mmh3: String(h) };
}

/** The page title; the tag's attributes are bounded so a body of unclosed `<title` tags cannot backtrack. */
export function titleOf(body: string): string | undefined {
  const m = /<title[^>]{0,200}>([\s\S]{0,512}?)<\/title>/i.exec(body.slice(0, PARSE_CAP));
  return m ? (m[1] as string).trim() : undefined;
}

/**
 * A banner another tool recorded (Shodan's `data`, masscan or zgrab banners, a pasted reply) that is an HTTP or
 * RTSP reply is read as one, so every header, realm and title rule applies to it too.
 */
export function bannerMessageParts(bytes: Buffer, push: Push): void {
  const msg = rawMessage(bytes);
  if (!msg) return;
  const prefix = msg.version.startsWith("RTSP") ? "rtsp" : "http";
  const text = messageParts(prefix, msg, push);
  if (prefix === "http") {
    const title = titleOf(text);
    if (title !== undefined) push("http.title", title);
  }
}

/** A reply kept whole as bytes (status line, headers, body) read back as a message; the body as UTF-8, else Latin-1. */
export function rawMessage(bytes: Buffer): (MessageResponseT & { version: string }) | undefined {
  const msg = parseMessage(bytes, "HTTP") ?? parseMessage(bytes, "RTSP");
  if (!msg) return undefined;
  const utf8 = msg.body.toString("utf8");
  const body = utf8.includes("\uFFFD") ? msg.body.toString("latin1") : utf8;
  return { status: msg.status, version: msg.version, reason: msg.reason, headers: msg.headers, body };
}
