import { XMLParser } from "fast-xml-parser";
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

const xml = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

function cap(s: string): string {
  return s.length > PART_CAP ? s.slice(0, PART_CAP) : s;
}

function str(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** Parse XML only when it is small and carries no DTD (no entity expansion, ever). */
export function safeXml(text: string): Record<string, unknown> | undefined {
  if (text.length > PARSE_CAP || /<!DOCTYPE|<!ENTITY/i.test(text)) return undefined;
  try {
    const v: unknown = xml.parse(text);
    return v && typeof v === "object" ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function safeJson(text: string): unknown {
  if (text.length > PARSE_CAP) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function decodeRaw(raw: string, encoding?: string): Buffer {
  return encoding === "base64"
    ? Buffer.from(raw.slice(0, PARSE_CAP * 2), "base64")
    : Buffer.from(raw.slice(0, PARSE_CAP), "utf8");
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

function messageParts(
  prefix: "http" | "rtsp",
  res: MessageResponseT,
  push: (n: string, v: string) => void,
): string {
  push(`${prefix}.status`, String(res.status));
  let block = "";
  for (const [name, value] of res.headers.slice(0, 200)) {
    push(`${prefix}.header.${name.toLowerCase()}`, value);
    block += `${name}: ${value}\n`;
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

function httpApiParts(
  path: string,
  status: number,
  body: string,
  push: (n: string, v: string) => void,
): void {
  if (status === 200 && /^\/ISAPI\/System\/deviceInfo\b/i.test(path)) {
    const tree = safeXml(body);
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
  if (/^\/RPC2_Login\b/.test(path)) {
    const j = safeJson(body) as
      { params?: Record<string, unknown>; error?: Record<string, unknown> } | undefined;
    if (j && typeof j === "object") {
      const realm = str(j.params?.realm);
      const mac = str(j.params?.mac);
      const msg = str(j.error?.message);
      if (realm) push("dahua.rpc2.realm", realm);
      if (mac) push("dahua.rpc2.mac", mac);
      if (msg) push("dahua.rpc2.message", msg);
    }
  }
  if (/^\/axis-cgi\/basicdeviceinfo\.cgi\b/.test(path)) {
    const j = safeJson(body) as { data?: { propertyList?: Record<string, unknown> } } | undefined;
    const props = j && typeof j === "object" ? j.data?.propertyList : undefined;
    if (props && typeof props === "object") {
      for (const [k, v] of Object.entries(props)) {
        const s = str(v);
        if (s !== undefined) push(`axis.${k}`, s);
      }
    }
  }
}

function dhipParts(buf: Buffer, push: (n: string, v: string) => void): void {
  // Framed or plain JSON text (imports); a frame whose declared length overruns the datagram is read leniently.
  const frame = splitDhip(buf);
  const text = !frame.framed
    ? buf.toString("utf8", 0, Math.min(buf.length, PARSE_CAP))
    : (frame.json ?? buf.toString("utf8", 32, Math.min(buf.length, 32 + PARSE_CAP))).slice(0, PARSE_CAP);
  // Replies may end in "\n" or NUL; cut at the last closing brace.
  const end = text.lastIndexOf("}");
  const j = safeJson(end >= 0 ? text.slice(0, end + 1) : text) as
    { mac?: unknown; method?: unknown; params?: { deviceInfo?: Record<string, unknown> } } | undefined;
  if (!j || typeof j !== "object") return;
  const method = str(j.method);
  const mac = str(j.mac);
  if (method) push("dhip.method", method);
  if (mac) push("dhip.mac", mac);
  const info = j.params?.deviceInfo;
  if (info && typeof info === "object") {
    for (const [k, v] of Object.entries(info)) {
      const s = str(v);
      if (s !== undefined) push(`dhip.${k}`, s);
    }
  }
}

function onvifScopes(text: string, push: (n: string, v: string) => void): void {
  const tree = safeXml(text);
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

function onvifDevinfo(text: string, push: (n: string, v: string) => void): void {
  const tree = safeXml(text);
  const el = tree && findElement(tree, "GetDeviceInformationResponse");
  for (const [k, v] of leaves(el)) push(`onvif.${k}`, v);
}

/** All parts of one observation. A malformed observation yields what could be read, possibly nothing. */
export function partsOf(obs: Observation, obsIndex: number): Part[] {
  const parts: Part[] = [];
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
    const push = (name: string, value: string) => {
      if (parts.length < MAX_PARTS_PER_OBS) parts.push({ name, value: cap(value), ctx, obsIndex });
    };
    switch (obs.protocol) {
      case "http":
      case "rtsp": {
        if (!isMessage(res)) break;
        const body = messageParts(obs.protocol, res, push);
        if (obs.protocol === "http") {
          const title = /<title[^>]*>([\s\S]{0,512}?)<\/title>/i.exec(body.slice(0, PARSE_CAP));
          if (title) push("http.title", (title[1] as string).trim());
          httpApiParts(ctx.path ?? "", res.status, body, push);
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
          const text = decodeRaw(res.raw, res.encoding).toString("utf8");
          push("sadp.raw", text);
          const tree = safeXml(text);
          for (const [k, v] of leaves(tree && findElement(tree, "ProbeMatch"))) push(`sadp.${k}`, v);
        }
        break;
      case "dahua-dhip":
        if (isRaw(res)) dhipParts(decodeRaw(res.raw, res.encoding), push);
        break;
      case "onvif-probe":
      case "onvif-devinfo": {
        const text = isRaw(res)
          ? decodeRaw(res.raw, res.encoding).toString("utf8")
          : isMessage(res)
            ? res.body
            : "";
        if (obs.protocol === "onvif-probe") onvifScopes(text, push);
        else onvifDevinfo(text, push);
        break;
      }
      case "banner":
        if (isRaw(res)) {
          const buf = decodeRaw(res.raw, res.encoding).subarray(0, PART_CAP);
          push("banner.raw", buf.toString("latin1"));
          push("banner.hex", buf.toString("hex"));
        }
        break;
      case "nmap": {
        for (const k of ["product", "service", "version", "devicetype"]) {
          const v = str(r[k]);
          if (v) push(`nmap.${k}`, v);
        }
        if (isRaw(res)) push("nmap.raw", decodeRaw(res.raw, res.encoding).toString("utf8"));
        break;
      }
    }
  } catch {
    // Hostile or malformed input: keep whatever was extracted before the failure.
  }
  return parts;
}
