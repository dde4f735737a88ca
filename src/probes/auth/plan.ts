import {
  header,
  headers as headerValues,
  isCert,
  isMessage,
  isRaw,
  type Observation,
} from "../../observations/observation.js";
import { rawText } from "../../identify/parts/read.js";
import { DEVICE_INFO_PATH } from "./isapi.js";
import { ONVIF_DEVICE_PATH } from "./onvif.js";

export interface AuthPlan {
  port: number;
  scheme: "http" | "https";
  isapi: boolean;
  onvif: boolean;
  channels: boolean;
  /**
   * The ONVIF device-service path when the device named another than /onvif/device_service (a WS-Discovery XAddr,
   * e.g. Tapo's /onvif/service: protocols.md §5.2); absent for the default path.
   */
  onvifPath?: string;
}

interface WebPort {
  port: number;
  scheme: "http" | "https";
  /** GET /ISAPI/System/deviceInfo answered 401 with a Digest challenge */
  isapi: boolean;
  /** /onvif/device_service answered at all */
  onvif: boolean;
  /** other camera markers: Hikvision /SDK/activateStatus, Dahua's RPC2_Login challenge */
  camera: boolean;
  /** the device-service path the ONVIF answer came from, or an XAddr named */
  onvifPath?: string;
}

/** The XAddrs of a WS-Discovery reply as [port, path] (protocols.md §5.1: space-separated URLs in <XAddrs>). */
function xaddrEndpoints(text: string): [number, string][] {
  const list = /<(?:[\w.-]{1,64}:)?XAddrs\s*>([^<]{0,4096})</.exec(text)?.[1] ?? "";
  const out: [number, string][] = [];
  for (const u of list.trim().split(/\s+/).slice(0, 8)) {
    try {
      const url = new URL(u);
      if (url.protocol !== "http:" && url.protocol !== "https:") continue;
      const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
      out.push([port, `${url.pathname}${url.search}`.slice(0, 512)]);
    } catch {
      /* not a URL: nothing to plan on */
    }
  }
  return out;
}

/**
 * From a host's unauthenticated observations: the ONE web port to use and the requests that apply.
 *
 * - Port: the one where ISAPI deviceInfo asked for Digest; else one with an ONVIF answer or another camera marker.
 *   Ties go to https (the replies then cross the network encrypted), then to the lower port.
 * - isapi: deviceInfo answered 401 with a Digest challenge on that port.
 * - channels: isapi, and the device looks like a recorder (SADP DigitalChannelNum > 1 or DiskNumber > 0, Server
 *   DNVRS-Webs/DVRDVS-Webs, TLS OU=DVRNVR: protocols.md §1.3, §2.2, §2.8). probeAuthenticated also asks when the
 *   authenticated deviceInfo names a recorder; it never asks when deviceInfo's credentials were refused.
 * - onvif: the device answered on /onvif/device_service or to WS-Discovery; or, since the default probe set sends
 *   no ONVIF request, the port shows other camera markers (Dahua RPC2, Hikvision activateStatus) but no ISAPI.
 *   Where ISAPI deviceInfo applies it gives the same facts, and Hikvision ONVIF is often off or a separate account
 *   (§5.2), so ONVIF is not planned on ISAPI evidence alone: one login attempt fewer.
 * null: nothing to do.
 */
export function planAuthenticated(observations: readonly Observation[]): AuthPlan | null {
  const ports = new Map<string, WebPort>();
  let recorder = false;
  let discovery = false;
  const xaddrPorts = new Map<number, string>();
  for (const o of observations) {
    const req = (o.request ?? {}) as Record<string, unknown>;
    // Our own authenticated replies and those read through another device say nothing about this host's plan.
    if (req.auth !== undefined || req.via !== undefined) continue;
    const res = o.response;
    if (o.protocol === "sadp" && isRaw(res)) {
      const t = rawText(res.raw, res.encoding);
      const num = (k: string) => Number(new RegExp(`<${k}>\\s*(\\d{1,4})\\s*<`).exec(t)?.[1] ?? 0);
      if (num("DigitalChannelNum") > 1 || num("DiskNumber") > 0) recorder = true;
    }
    if (o.protocol === "tls" && isCert(res) && /\bOU=DVRNVR\b/.test(res.cert.subject)) recorder = true;
    if (o.protocol === "onvif-probe" && isRaw(res)) {
      discovery = true;
      const t = rawText(res.raw, res.encoding);
      for (const [port, path] of xaddrEndpoints(t)) if (!xaddrPorts.has(port)) xaddrPorts.set(port, path);
    }
    if (o.protocol !== "http" || !isMessage(res) || o.port === undefined) continue;
    const scheme = req.scheme === "https" ? "https" : req.scheme === "http" ? "http" : undefined;
    if (!scheme || typeof req.path !== "string" || req.port !== undefined) continue; // redirects to other ports
    const key = `${scheme}:${o.port}`;
    const p = ports.get(key) ?? { port: o.port, scheme, isapi: false, onvif: false, camera: false };
    ports.set(key, p);
    const path = req.path.split("?")[0];
    if (/^(?:DNVRS|DVRDVS)-Webs/i.test(header(res, "server") ?? "")) recorder = true;
    if (path === DEVICE_INFO_PATH && res.status === 401)
      p.isapi ||= headerValues(res, "www-authenticate").some((v) => /\bDigest\b/i.test(v));
    // The device service answered: at the default path, or at the XAddr our no-login ONVIF calls went to.
    if ((path === ONVIF_DEVICE_PATH || typeof req.soap === "string") && res.status > 0) {
      p.onvif = true;
      p.onvifPath ??= path;
    }
    if (path === "/SDK/activateStatus" && res.status === 200 && /<ActivateStatus\b/.test(res.body))
      p.camera = true;
    if (path === "/RPC2_Login" && /login challenge|"realm"\s*:\s*"Login to /i.test(res.body)) p.camera = true;
  }
  for (const p of ports.values())
    if (discovery && xaddrPorts.has(p.port)) {
      p.onvif = true;
      p.onvifPath ??= xaddrPorts.get(p.port);
    }
  const rank = (p: WebPort) =>
    (p.isapi ? 8 : 0) + (p.onvif ? 4 : 0) + (p.camera ? 2 : 0) + (p.scheme === "https" ? 1 : 0);
  const best = [...ports.values()]
    .filter((p) => p.isapi || p.onvif || p.camera || (discovery && xaddrPorts.size === 0))
    .sort((a, b) => rank(b) - rank(a) || a.port - b.port)[0];
  if (!best) return null;
  const onvif = best.onvif || (discovery && xaddrPorts.size === 0) || (best.camera && !best.isapi);
  const plan: AuthPlan = {
    port: best.port,
    scheme: best.scheme,
    isapi: best.isapi,
    onvif,
    channels: best.isapi && recorder,
    ...(onvif && best.onvifPath && best.onvifPath !== ONVIF_DEVICE_PATH ? { onvifPath: best.onvifPath } : {}),
  };
  return plan.isapi || plan.onvif || plan.channels ? plan : null;
}
