import { createHash } from "node:crypto";
import murmur from "murmurhash3js-revisited";
import { parseMessage } from "../observations/message.js";
import { readXml } from "./xml.js";
import { splitDhip } from "../probes/dhip/parse.js";
import type { PartCtx } from "../knowledge/compile.js";
import {
  isCert,
  isMessage,
  isRaw,
  type MessageResponseT,
  type Observation,
} from "../observations/observation.js";

/**
 * Observation -> named parts. Everything here is device-controlled: values are capped, structured
 * formats are parsed with hard limits (XML without DTDs/entities) and nothing throws.
 */
export interface Part {
  name: string;
  value: string;
  ctx: PartCtx & { request?: string };
  obsIndex: number;
}

export const PART_CAP = 8 * 1024;
const PARSE_CAP = 64 * 1024;
const MAX_PARTS_PER_OBS = 400;

function cap(s: string): string {
  return s.length > PART_CAP ? s.slice(0, PART_CAP) : s;
}

function str(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** Why a structured body was not read; becomes a note on the identification. */
type Why = (reason: string) => void;
const ignore: Why = () => undefined;

/** Parse XML only when it is small, well-formed and carries no DTD (no entity expansion, ever). */
export function safeXml(text: string, why: Why = ignore): Record<string, unknown> | undefined {
  const r = readXml(text);
  if ("error" in r) {
    why(r.error);
    return undefined;
  }
  return r.tree;
}

function safeJson(text: string, why: Why = ignore): unknown {
  // A 404 page or a login form where JSON was asked for is simply not a JSON reply: no note, and no
  // exception thrown and caught for every such reply (costly at scan rates).
  if (!/^\s*[{[]/.test(text)) return undefined;
  if (text.length > PARSE_CAP) return (why(`JSON over ${PARSE_CAP / 1024} KiB not parsed`), undefined);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    why("malformed JSON");
    return undefined;
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

function decodeRaw(raw: string, encoding?: string): Buffer {
  return encoding === "base64"
    ? Buffer.from(raw.slice(0, PARSE_CAP * 2), "base64")
    : Buffer.from(raw.slice(0, PARSE_CAP), "utf8");
}

/** Raw text as a string: base64 is decoded (invalid UTF-8 becomes U+FFFD); text is only cut, not re-encoded. */
function rawText(raw: string, encoding?: string): string {
  return encoding === "base64" ? decodeRaw(raw, encoding).toString("utf8") : raw.slice(0, PARSE_CAP);
}

/** Find the first element with this local name anywhere in a parsed tree (bounded depth). */
function findElement(node: unknown, name: string, depth = 0): unknown {
  if (!node || typeof node !== "object" || depth > 12) return undefined;
  if (Array.isArray(node)) {
    for (const n of node) {
      const r = findElement(n, name, depth + 1);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(node)) {
    if (k === name) return Array.isArray(v) ? v[0] : v;
    const r = findElement(v, name, depth + 1);
    if (r !== undefined) return r;
  }
  return undefined;
}

/** Leaf children of an element as [localName, text]. */
function leaves(el: unknown): [string, string][] {
  if (!el || typeof el !== "object" || Array.isArray(el)) return [];
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(el)) {
    const s = str(Array.isArray(v) ? v[0] : v);
    if (s !== undefined) out.push([k, s.trim()]);
  }
  return out;
}

function realms(header: string): string[] {
  return [...header.matchAll(/realm="([^"]*)"/gi)].map((m) => m[1] as string);
}

function requestLine(obs: Observation): string | undefined {
  const r = obs.request ?? {};
  const method = str(r.method);
  const target = str(r.path) ?? str(r.uri);
  if (method && target) return `${method} ${target}`.slice(0, 200);
  const probe = str(r.probe);
  return probe ? probe.slice(0, 200) : undefined;
}

/** Part names of headers, memoised: the same few header names arrive millions of times in a large scan. */
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

function messageParts(
  prefix: "http" | "rtsp",
  res: MessageResponseT,
  push: (n: string, v: string) => void,
): string {
  push(`${prefix}.status`, String(res.status));
  let block = "";
  for (const [name, value] of res.headers.slice(0, 200)) {
    push(headerPart(prefix, name), value);
    // A megabyte header must not make the block a megabyte: parts are capped anyway.
    if (block.length < PART_CAP) block += `${name}: ${value.slice(0, PART_CAP)}\n`;
    if (name.toLowerCase() === "www-authenticate") for (const r of realms(value)) push(`${prefix}.realm`, r);
  }
  push(`${prefix}.headers`, block);
  const body =
    res.bodyEncoding === "base64"
      ? Buffer.from(res.body.slice(0, PARSE_CAP * 2), "base64").toString("latin1")
      : res.body;
  if (body) push(`${prefix}.body`, body);
  return body;
}

/** Dahua's RPC2 login challenge (HTTP /RPC2_Login, or a DHIP frame on TCP 37777). */
function rpc2Parts(v: unknown, push: (n: string, v: string) => void): void {
  if (!v || typeof v !== "object") return;
  const j = v as { params?: Record<string, unknown>; error?: Record<string, unknown> };
  const realm = str(j.params?.realm);
  const mac = str(j.params?.mac);
  const msg = str(j.error?.message);
  if (realm) push("dahua.rpc2.realm", realm);
  if (mac) push("dahua.rpc2.mac", mac);
  if (msg) push("dahua.rpc2.message", msg);
}

function faviconParts(res: MessageResponseT, push: (n: string, v: string) => void): void {
  const bytes =
    res.bodyEncoding === "base64" ? Buffer.from(res.body, "base64") : Buffer.from(res.body, "utf8");
  // A truncated icon would hash to nothing anyone published.
  if (bytes.length === 0 || res.truncated) return;
  const h = faviconHashes(bytes);
  push("http.favicon.md5", h.md5);
  push("http.favicon.mmh3", h.mmh3);
}

function httpApiParts(
  path: string,
  status: number,
  body: string,
  push: (n: string, v: string) => void,
  why: Why,
): void {
  if (status === 200 && /^\/ISAPI\/System\/deviceInfo\b/i.test(path)) {
    const tree = safeXml(body, why);
    const info = tree && findElement(tree, "DeviceInfo");
    if (info && typeof info === "object") {
      push("isapi.root", "DeviceInfo");
      const fields = new Map(leaves(info));
      for (const [k, v] of fields) push(`isapi.${k}`, v);
      // firmwareVersion + firmwareReleasedDate ("V5.8.3" + "build 240821") read as one version string.
      const fw = fields.get("firmwareVersion");
      if (fw) push("isapi.firmware", [fw, fields.get("firmwareReleasedDate")].filter(Boolean).join(" "));
    }
  }
  if (/^\/RPC2_Login\b/.test(path)) rpc2Parts(safeJson(body, why), push);
  // Dahua CGI text replies: "deviceType=IPC-HDW5231R-Z\r\n", "table.General.MachineName=..." per line.
  if (status === 200 && /^\/cgi-bin\/(?:magicBox|configManager)\.cgi\b/.test(path)) {
    for (const line of body.slice(0, PARSE_CAP).split(/\r?\n/, 200)) {
      const m = /^([A-Za-z][\w.[\]]{0,80})=(.*)$/.exec(line.trim());
      if (m) push(`dahua.cgi.${m[1] as string}`, (m[2] as string).trim());
    }
  }
  if (/^\/axis-cgi\/basicdeviceinfo\.cgi\b/.test(path)) {
    const j = safeJson(body, why) as { data?: { propertyList?: Record<string, unknown> } } | undefined;
    const props = j && typeof j === "object" ? j.data?.propertyList : undefined;
    if (props && typeof props === "object") {
      for (const [k, v] of Object.entries(props)) {
        const s = str(v);
        if (s !== undefined) push(`axis.${k}`, s);
      }
    }
  }
}

function dhipParts(buf: Buffer, push: (n: string, v: string) => void, why: Why): void {
  // Framed or plain JSON text (imports); a frame whose declared length overruns the datagram is read leniently.
  const frame = splitDhip(buf);
  const text = !frame.framed
    ? buf.toString("utf8", 0, Math.min(buf.length, PARSE_CAP))
    : (frame.json ?? buf.toString("utf8", 32, Math.min(buf.length, 32 + PARSE_CAP))).slice(0, PARSE_CAP);
  // Replies may end in "\n" or NUL; cut at the last closing brace.
  const end = text.lastIndexOf("}");
  const j = safeJson(end >= 0 ? text.slice(0, end + 1) : text, why) as
    | {
        mac?: unknown;
        method?: unknown;
        params?: { deviceInfo?: Record<string, unknown> };
      }
    | undefined;
  if (!j || typeof j !== "object") return;
  const method = str(j.method);
  const mac = str(j.mac);
  if (method) push("dhip.method", method);
  if (mac) push("dhip.mac", mac);
  // The same frame on TCP 37777 carries the RPC2 login challenge: read it as RPC2 over HTTP is read.
  rpc2Parts(j, push);
  const info = j.params?.deviceInfo;
  if (info && typeof info === "object") {
    for (const [k, v] of Object.entries(info)) {
      const s = str(v);
      if (s !== undefined) push(`dhip.${k}`, s);
    }
  }
}

function onvifScopes(text: string, push: (n: string, v: string) => void, why: Why): void {
  const tree = safeXml(text, why);
  // The endpoint address of a ProbeMatch (urn:uuid:...): a version-1 UUID carries the device's MAC.
  const endpoint = tree && findElement(tree, "EndpointReference");
  const address =
    endpoint && typeof endpoint === "object" ? str((endpoint as Record<string, unknown>).Address) : undefined;
  if (address) push("onvif.address", address.trim());
  const scopes = tree ? str(findElement(tree, "Scopes")) : undefined;
  if (!scopes) return;
  for (const s of scopes.split(/\s+/).slice(0, 100)) {
    const m = /^onvif:\/\/www\.onvif\.org\/([^/]+)\/(.+)$/i.exec(s);
    if (!m) continue;
    let v = m[2] as string;
    try {
      v = decodeURIComponent(v);
    } catch {
      /* keep the raw value */
    }
    push("onvif.scope", s);
    const key = (m[1] as string).toLowerCase();
    if (key === "name" || key === "hardware" || key === "mac") push(`onvif.scope.${key}`, v);
  }
}

function onvifDevinfo(text: string, push: (n: string, v: string) => void, why: Why): void {
  const tree = safeXml(text, why);
  const el = tree && findElement(tree, "GetDeviceInformationResponse");
  for (const [k, v] of leaves(el)) push(`onvif.${k}`, v);
}

/** The page title; the tag's attributes are bounded so a body of unclosed `<title` tags cannot backtrack. */
function titleOf(body: string): string | undefined {
  const m = /<title[^>]{0,200}>([\s\S]{0,512}?)<\/title>/i.exec(body.slice(0, PARSE_CAP));
  return m ? (m[1] as string).trim() : undefined;
}

/**
 * A banner another tool recorded (Shodan's `data`, masscan or zgrab banners, a pasted reply) that is an HTTP or
 * RTSP reply is read as one, so every header, realm and title rule applies to it too.
 */
function bannerMessageParts(bytes: Buffer, push: (n: string, v: string) => void): void {
  const msg = parseMessage(bytes, "HTTP") ?? parseMessage(bytes, "RTSP");
  if (!msg) return;
  const prefix = msg.version.startsWith("RTSP") ? "rtsp" : "http";
  const utf8 = msg.body.toString("utf8");
  const body = utf8.includes("\uFFFD") ? msg.body.toString("latin1") : utf8;
  const text = messageParts(prefix, { status: msg.status, headers: msg.headers, body }, push);
  if (prefix === "http") {
    const title = titleOf(text);
    if (title !== undefined) push("http.title", title);
  }
}

/**
 * NSE scripts that report what camsweep's own probes read: `http-title` and `http-server-header` become the
 * `http.title` and `http.header.server` parts, so the same rules apply to an nmap scan.
 */
function nmapScriptParts(scripts: unknown, push: (n: string, v: string) => void): void {
  if (!scripts || typeof scripts !== "object" || Array.isArray(scripts)) return;
  const s = scripts as Record<string, unknown>;
  const title = str(s["http-title"])?.split("\n")[0]?.trim();
  // nmap's own words when there is no title are not a title.
  if (
    title &&
    !/^Site doesn't have a title\b|^Did not follow redirect\b|^Requested resource was\b/.test(title)
  )
    push("http.title", title);
  for (const line of (str(s["http-server-header"]) ?? "").split("\n").slice(0, 10)) {
    const v = line.trim();
    if (v) push("http.header.server", v);
  }
}

/** Short label of an observation for notes: "http :80 GET /ISAPI/System/deviceInfo". */
function labelOf(obs: Observation, request: string | undefined): string {
  return [obs.protocol, obs.port !== undefined ? `:${obs.port}` : "", request ?? ""]
    .filter(Boolean)
    .join(" ");
}

/**
 * All parts of one observation. A malformed observation yields what could be read, possibly nothing;
 * what could not be read is said in `notes` (when given), so "unknown" comes with its reason.
 */
export function partsOf(obs: Observation, obsIndex: number, notes?: string[]): Part[] {
  const parts: Part[] = [];
  let request: string | undefined;
  // The label is built only when there is something to note.
  const why: Why = (reason) => notes?.push(`${labelOf(obs, request)}: ${reason}`);
  try {
    const r = obs.request ?? {};
    const res = obs.response;
    const ctx: Part["ctx"] = {
      protocol: obs.protocol,
      port: obs.port,
      method: str(r.method)?.toUpperCase(),
      path: str(r.path) ?? str(r.uri),
      scheme: str(r.scheme),
      status: isMessage(res) ? res.status : undefined,
      request: requestLine(obs),
    };
    request = ctx.request;
    let capped = false;
    const push = (name: string, value: string) => {
      if (parts.length >= MAX_PARTS_PER_OBS) return;
      if (value.length > PART_CAP && !capped) {
        capped = true;
        why(`${name} longer than ${PART_CAP / 1024} KiB: only its start was read`);
      }
      parts.push({ name, value: cap(value), ctx, obsIndex });
    };
    if (obs.mac) push("link.mac", obs.mac);
    if (res && "truncated" in res && res.truncated) why("reply cut at the probe's size cap");
    switch (obs.protocol) {
      case "http":
      case "rtsp": {
        if (!isMessage(res)) break;
        const body = messageParts(obs.protocol, res, push);
        if (obs.protocol === "http") {
          const title = titleOf(body);
          if (title !== undefined) push("http.title", title);
          if (res.status === 200 && /^\/favicon\.ico\b/i.test(ctx.path ?? "")) faviconParts(res, push);
          httpApiParts(ctx.path ?? "", res.status, body, push, why);
        }
        break;
      }
      case "tls":
        if (isCert(res)) {
          push("tls.subject", res.cert.subject);
          if (res.cert.issuer) push("tls.issuer", res.cert.issuer);
        }
        break;
      case "sadp":
        if (isRaw(res)) {
          const text = rawText(res.raw, res.encoding);
          push("sadp.raw", text);
          const tree = safeXml(text, why);
          for (const [k, v] of leaves(tree && findElement(tree, "ProbeMatch"))) push(`sadp.${k}`, v);
        }
        break;
      case "dahua-dhip":
        if (isRaw(res)) dhipParts(decodeRaw(res.raw, res.encoding), push, why);
        break;
      case "onvif-probe":
      case "onvif-devinfo": {
        const text = isRaw(res) ? rawText(res.raw, res.encoding) : isMessage(res) ? res.body : "";
        if (obs.protocol === "onvif-probe") onvifScopes(text, push, why);
        else onvifDevinfo(text, push, why);
        break;
      }
      case "banner":
        if (isRaw(res)) {
          const full = decodeRaw(res.raw, res.encoding);
          const buf = full.subarray(0, PART_CAP);
          push("banner.raw", buf.toString("latin1"));
          push("banner.hex", buf.toString("hex"));
          bannerMessageParts(full, push);
        }
        break;
      case "nmap": {
        for (const k of ["product", "service", "version", "devicetype", "extrainfo", "ostype", "hostname"]) {
          const v = str(r[k]);
          if (v) push(`nmap.${k}`, v);
        }
        // NSE script output by script id (http-title, rtsp-methods, ssl-cert, ...).
        const scripts = r.scripts;
        if (scripts && typeof scripts === "object" && !Array.isArray(scripts))
          for (const [id, out] of Object.entries(scripts).slice(0, 50)) {
            const v = str(out);
            if (v && /^[\w.-]{1,64}$/.test(id)) push(`nmap.script.${id}`, v);
          }
        nmapScriptParts(scripts, push);
        if (isRaw(res)) push("nmap.raw", rawText(res.raw, res.encoding));
        break;
      }
    }
  } catch (e) {
    // Hostile or malformed input: keep whatever was extracted before the failure.
    why(`not fully read (${String((e as Error)?.message ?? e).slice(0, 120)})`);
  }
  return parts;
}
