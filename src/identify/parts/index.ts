import type { PartCtx } from "../../knowledge/compile.js";
import { isCert, isMessage, isRaw, type Observation } from "../../observations/observation.js";
import { dhipParts, onvifDevinfo, onvifScopes, ssdpParts, upnpDescriptionParts } from "./discovery.js";
import { canonicalDn } from "./dn.js";
import { httpApiParts } from "./apis.js";
import { bannerMessageParts, faviconParts, messageParts, rawMessage } from "./http.js";
import { nmapScriptParts } from "./nmap.js";
import { assetParts } from "./asset.js";
import { dnsParts } from "./dns.js";
import { dhcpParts } from "./dhcp.js";
import {
  cap,
  decodeRaw,
  findElement,
  leaves,
  MAX_PARTS_PER_OBS,
  memberParts,
  named,
  PART_CAP,
  rawText,
  safeXml,
  str,
  type Why,
} from "./read.js";

export { faviconHashes } from "./http.js";
export { PART_CAP, safeXml } from "./read.js";

/** An NSE script id (http-title, rtsp-methods, ssl-cert, ...). */
const SCRIPT_ID = /^[\w.-]{1,64}$/;

/**
 * Observation -> named parts. Everything here is device-controlled: values are capped, structured
 * formats are parsed with hard limits (XML without DTDs/entities) and nothing throws.
 */
export interface Part {
  name: string;
  value: string;
  ctx: PartCtx & { request?: string };
  obsIndex: number;
  /** the value in lower case, filled in by the matcher when a case-insensitive rule needs it */
  lower?: string;
}

function requestLine(obs: Observation): string | undefined {
  const r = obs.request ?? {};
  const method = str(r.method);
  const target = str(r.path) ?? str(r.uri);
  if (method && target) return `${method} ${target}`.slice(0, 200);
  const probe = str(r.probe);
  return probe ? probe.slice(0, 200) : undefined;
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
export function partsOf(obs: Observation, obsIndex: number, notes?: string[], into: Part[] = []): Part[] {
  // `into` lets a caller gather a device's parts in one array; the per-observation cap counts this one's parts only.
  const parts = into;
  const start = parts.length;
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
      if (parts.length - start >= MAX_PARTS_PER_OBS) return;
      if (value.length > PART_CAP && !capped) {
        capped = true;
        why(`${name} longer than ${PART_CAP / 1024} KiB: only its start was read`);
      }
      parts.push({ name, value: cap(value), ctx, obsIndex, lower: undefined });
    };
    if (obs.mac) push("link.mac", obs.mac);
    if (res && "truncated" in res && res.truncated) why("reply cut at the probe's size cap");
    switch (obs.protocol) {
      case "http":
      case "rtsp": {
        // A reply recorded whole as raw text (a capture, another tool's log) is read as the message it is.
        const msg = isMessage(res)
          ? res
          : isRaw(res)
            ? rawMessage(decodeRaw(res.raw, res.encoding))
            : undefined;
        if (!msg) {
          if (isRaw(res)) why("raw reply is not an HTTP or RTSP message: not read");
          break;
        }
        ctx.status = msg.status;
        const body = messageParts(obs.protocol, msg, push);
        if (obs.protocol === "http") {
          if (msg.status === 200 && /^\/favicon\.ico\b/i.test(ctx.path ?? "")) faviconParts(msg, push);
          httpApiParts(ctx.path ?? "", msg.status, body, push, why);
          // A UPnP description is known by its namespace, not its path (the device names the path in LOCATION).
          if (msg.status === 200) upnpDescriptionParts(body, push, why);
        }
        break;
      }
      case "tls":
        if (isCert(res)) {
          push("tls.subject", canonicalDn(res.cert.subject));
          if (res.cert.issuer) push("tls.issuer", canonicalDn(res.cert.issuer));
        }
        break;
      case "sadp":
        if (isRaw(res)) {
          const text = rawText(res.raw, res.encoding);
          push("sadp.raw", text);
          const tree = safeXml(text, why);
          for (const [k, v] of leaves(tree && findElement(tree, "ProbeMatch"))) push(named("sadp", k), v);
        }
        break;
      case "dahua-dhip":
        if (isRaw(res)) dhipParts(decodeRaw(res.raw, res.encoding), push, why);
        break;
      case "ssdp":
        if (isRaw(res)) ssdpParts(rawText(res.raw, res.encoding), push);
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
          if (v) push(named("nmap", k), v);
        }
        // NSE script output by script id (http-title, rtsp-methods, ssl-cert, ...).
        memberParts(r.scripts, "nmap.script", push, 50, SCRIPT_ID);
        nmapScriptParts(r.scripts, push);
        if (isRaw(res)) push("nmap.raw", rawText(res.raw, res.encoding));
        break;
      }
      case "dhcp":
        dhcpParts(r, push);
        break;
      case "dns":
        dnsParts(r, push, why);
        break;
      case "asset":
        assetParts(r, push);
        break;
    }
  } catch (e) {
    // Hostile or malformed input: keep whatever was extracted before the failure.
    why(`not fully read (${String((e as Error)?.message ?? e).slice(0, 120)})`);
  }
  return parts;
}
