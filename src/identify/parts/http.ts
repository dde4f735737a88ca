/** Parts of HTTP and RTSP replies: headers, realms, title, favicon hashes, replies kept whole as bytes. */
import { createHash } from "node:crypto";
import murmur from "murmurhash3js-revisited";
import { parseMessage } from "../../observations/message.js";
import type { MessageResponseT } from "../../observations/observation.js";
import { decodeRaw, named, PARSE_CAP, PART_CAP, type Push } from "./read.js";

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
  const body = res.bodyEncoding === "base64" ? decodeRaw(res.body, "base64").toString("latin1") : res.body;
  if (body) push(named(prefix, "body"), body);
  if (prefix === "http") {
    const title = titleOf(body);
    if (title !== undefined) push("http.title", title);
  }
  return body;
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
  if (msg) messageParts(msg.version.startsWith("RTSP") ? "rtsp" : "http", msg, push);
}

/** A reply kept whole as bytes (status line, headers, body) read back as a message; the body as UTF-8, else Latin-1. */
export function rawMessage(bytes: Buffer): (MessageResponseT & { version: string }) | undefined {
  const msg = parseMessage(bytes, "HTTP") ?? parseMessage(bytes, "RTSP");
  if (!msg) return undefined;
  const utf8 = msg.body.toString("utf8");
  const body = utf8.includes("\uFFFD") ? msg.body.toString("latin1") : utf8;
  return { status: msg.status, version: msg.version, reason: msg.reason, headers: msg.headers, body };
}
