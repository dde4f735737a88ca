import type { ObservationInput } from "../observation.js";
import {
  fingerprintStringsReplies,
  parseServiceFingerprint,
  repliesToObservations,
  type FpReply,
} from "./service-fp.js";

/**
 * What both nmap readers (XML and normal output) extract, before it becomes observations.
 * See docs/observation.md "Observations from nmap".
 */
export interface NmapService {
  name?: string;
  product?: string;
  version?: string;
  extrainfo?: string;
  devicetype?: string;
  ostype?: string;
  hostname?: string;
  tunnel?: string;
  method?: string;
  conf?: string;
  cpe?: string[];
  /** the service fingerprint text (XML `servicefp`, or the `SF-Port` block of normal output) */
  servicefp?: string;
}

export interface NmapPort {
  port: number;
  transport: string;
  state: string;
  service?: NmapService;
  scripts: [string, string][];
}

export interface NmapHost {
  address?: string;
  mac?: string;
  macVendor?: string;
  hostname?: string;
  time?: string;
  ports: NmapPort[];
}

export const CAP = {
  /** an attribute or table cell */
  field: 1024,
  /** one script's output */
  script: 8 * 1024,
  scriptsPerPort: 32,
  /** response.raw of an nmap observation */
  raw: 64 * 1024,
  portsPerHost: 2 * 65536,
  observations: 1_000_000,
  /** whole input text */
  input: 256 * 1024 * 1024,
};

export function capStr(s: string | undefined, n: number = CAP.field): string | undefined {
  if (s === undefined) return undefined;
  return s.length > n ? s.slice(0, n) : s;
}

function isOpen(p: NmapPort): boolean {
  if (p.state === "open") return true;
  // open|filtered UDP ports say nothing unless nmap recognised something there.
  return p.state.startsWith("open") && !!(p.service?.product || p.scripts.length);
}

/** One host's observations: one `nmap` observation per open port, plus what its fingerprints decode to. */
export function hostObservations(h: NmapHost): ObservationInput[] {
  const out: ObservationInput[] = [];
  // nmap's vendor name stays in the request; the MAC itself is the observation's link-layer address.
  const extra: Record<string, unknown> = {};
  if (h.macVendor) extra.macVendor = h.macVendor;
  const base = {
    ...(h.address ? { target: h.address } : h.hostname ? { target: h.hostname } : {}),
    ...(h.mac ? { mac: h.mac } : {}),
    ...(h.time ? { time: h.time } : {}),
  };
  for (const p of h.ports) {
    if (!isOpen(p)) continue;
    const s = p.service ?? {};
    const request: Record<string, unknown> = {};
    const put = (k: string, v: string | undefined) => {
      if (v !== undefined && v !== "") request[k] = v;
    };
    put("service", s.name);
    put("product", s.product);
    put("version", s.version);
    put("extrainfo", s.extrainfo);
    put("devicetype", s.devicetype);
    put("ostype", s.ostype);
    put("hostname", s.hostname ?? (h.address ? h.hostname : undefined));
    put("tunnel", s.tunnel);
    put("method", s.method);
    put("conf", s.conf);
    if (s.cpe?.length) request.cpe = s.cpe;
    request.transport = p.transport;
    if (p.scripts.length) request.scripts = Object.fromEntries(p.scripts);
    Object.assign(request, extra);
    const raw = p.scripts.map(([id, o]) => `${id}: ${o}`).join("\n");
    out.push({
      ...base,
      port: p.port,
      protocol: "nmap",
      request,
      ...(raw
        ? { response: raw.length > CAP.raw ? { raw: raw.slice(0, CAP.raw), truncated: true } : { raw } }
        : {}),
    });
    let replies: FpReply[] = [];
    if (s.servicefp) replies = parseServiceFingerprint(s.servicefp).replies;
    if (!replies.length) {
      const fs = p.scripts.find(([id]) => id === "fingerprint-strings");
      if (fs) replies = fingerprintStringsReplies(fs[1]);
    }
    if (replies.length) {
      out.push(
        ...repliesToObservations(replies, {
          target: base.target,
          port: p.port,
          mac: h.mac,
          time: base.time,
          extra: { ...(s.servicefp ? {} : { lossy: true }), ...extra },
        }),
      );
    }
  }
  if (!out.length && (h.mac || h.macVendor)) {
    // A host with no open port still has its MAC address: keep it as evidence.
    const request: Record<string, unknown> = { ...extra };
    if (h.hostname && h.address) request.hostname = h.hostname;
    out.push({ ...base, protocol: "nmap", request });
  }
  return out;
}
