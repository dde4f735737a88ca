import { isIP } from "node:net";
import { InputError } from "../../shared/errors.js";
import { CAP, capStr, type NmapHost, type NmapPort, type NmapService } from "./model.js";

/**
 * nmap normal output (-oN, or what nmap prints) -> hosts. It reads "Nmap scan report for" headers,
 * the port table (with or without the REASON column), script output lines (`| id: ...`, `|_...`),
 * `MAC Address:` and `Service Info:` lines and service fingerprint (`SF-Port...`/`SF:`) blocks.
 * Everything else (timing, OS guesses, traceroute) is skipped. A port table pasted without its
 * "Nmap scan report" line is read as one host without a target.
 *
 * The VERSION column is nmap's `product version (extrainfo)` joined by spaces, so splitting it is a
 * heuristic (see splitVersionColumn); XML output carries the fields exactly.
 */

const MARKERS =
  /^(?:# Nmap \d|Starting Nmap \d|Nmap scan report for |Interesting ports on |PORT\s+STATE\s+SERVICE|SF-Port\d{1,5}-(?:TCP|UDP|SCTP):)/m;
const PORT_LINE =
  /^(?:\d{1,5}\/(?:tcp|udp|sctp)\s+(?:open|closed|filtered|unfiltered)|Discovered open port \d{1,5}\/(?:tcp|udp|sctp) on )/m;

/** True when the text looks like nmap normal output. */
export function looksLikeNmapNormal(text: string): boolean {
  const head = text.slice(0, 64 * 1024);
  return MARKERS.test(head) || PORT_LINE.test(head);
}

const PORT_RE =
  /^(\d{1,5})\/(tcp|udp|sctp)\s+(open\|filtered|closed\|filtered|open|closed|filtered|unfiltered)\s+(\S+)(?:\s+(.*))?$/;
const REASON_RE = /^([a-z][a-z-]{1,30})(?:\s+ttl\s+\d{1,3})?(?:\s+|$)/;
const SCRIPT_ID = /^([a-z][a-z0-9]*(?:-[a-z0-9]+)+|banner): ?(.*)$/;

/**
 * Splits nmap's VERSION column. extrainfo is a trailing parenthesised part. The version starts at the
 * first word (after the first) that begins with a digit and either has a dot or is the last word:
 * `H264DVR rtspd 1.0`, `OpenSSH 7.4p1 Debian 10+deb9u7`, but `Hikvision 7513 POE IP camera rtspd`
 * stays one product.
 */
export function splitVersionColumn(col: string): { product?: string; version?: string; extrainfo?: string } {
  let rest = col.trim();
  let extrainfo: string | undefined;
  const paren = rest.indexOf(" (");
  if (paren > 0 && rest.endsWith(")")) {
    extrainfo = rest.slice(paren + 2, -1);
    rest = rest.slice(0, paren).trim();
  } else if (rest.startsWith("(") && rest.endsWith(")")) {
    return { extrainfo: rest.slice(1, -1) };
  }
  const words = rest.split(/\s+/).filter(Boolean);
  let cut = -1;
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    if (/^[vV]?\d/.test(w) && (/^[vV]?\d+[.:_]\w/.test(w) || i === words.length - 1)) {
      cut = i;
      break;
    }
  }
  const product = (cut < 0 ? words : words.slice(0, cut)).join(" ");
  const version = cut < 0 ? undefined : words.slice(cut).join(" ");
  return {
    ...(product ? { product: capStr(product) } : {}),
    ...(version ? { version: capStr(version) } : {}),
    ...(extrainfo ? { extrainfo: capStr(extrainfo) } : {}),
  };
}

function hostFromHeader(spec: string): Pick<NmapHost, "address" | "hostname"> {
  const m = /^(\S+) \(([^()\s]+)\)$/.exec(spec.trim());
  if (m) return { hostname: capStr(m[1], 255), address: capStr(m[2], 255) };
  const s = capStr(spec.trim().replace(/:$/, ""), 255) as string;
  return isIP(s) ? { address: s } : { hostname: s };
}

interface State {
  hosts: NmapHost[];
  host?: NmapHost;
  port?: NmapPort;
  script?: { id: string; lines: string[]; closed: boolean };
  reasonColumn: boolean;
  inHostScripts: boolean;
  serviceInfo?: Pick<NmapService, "hostname" | "ostype" | "devicetype">;
  fp?: { port: number; transport: string; lines: string[] };
  fps: Map<NmapHost, { port: number; transport: string; text: string }[]>;
  /** verbose output: "Discovered open port 554/tcp on 192.0.2.1", by address */
  discovered: Map<string, { port: number; transport: string }[]>;
  /** verbose output: "Scanning NAME (IP) [...]" */
  scanning: Map<string, string>;
}

export function parseNmapNormal(text: string, name: string): NmapHost[] {
  if (text.length > CAP.input) throw new InputError("nmap output larger than 256 MiB", name);
  const st: State = {
    hosts: [],
    reasonColumn: false,
    inHostScripts: false,
    fps: new Map(),
    discovered: new Map(),
    scanning: new Map(),
  };
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((rawLine, i) => {
    try {
      readLine(st, rawLine);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`cannot read nmap output (${(e as Error).message})`, name, i + 1);
    }
  });
  endFp(st);
  endHost(st);
  addDiscovered(st);
  if (!st.hosts.length) throw new InputError("no host or port found in what looks like nmap output", name);
  return st.hosts;
}

/**
 * Ports that verbose output announced ("Discovered open port") but no port table lists, as when a
 * pasted scan was cut before its report: each becomes an open port without a service.
 */
function addDiscovered(st: State): void {
  for (const [address, ports] of st.discovered) {
    let h = st.hosts.find((x) => x.address === address);
    if (!h) {
      const name = st.scanning.get(address);
      h = { ports: [], address, ...(name ? { hostname: name } : {}) };
      st.hosts.push(h);
    }
    for (const p of ports) {
      if (h.ports.length >= CAP.portsPerHost) break;
      if (!h.ports.some((x) => x.port === p.port && x.transport === p.transport)) {
        h.ports.push({ port: p.port, transport: p.transport, state: "open", scripts: [] });
      }
    }
  }
}

function ensureHost(st: State): NmapHost {
  if (!st.host) {
    st.host = { ports: [] };
    st.hosts.push(st.host);
  }
  return st.host;
}

function endScript(st: State): void {
  if (st.script && st.port && st.port.scripts.length < CAP.scriptsPerPort) {
    const out = st.script.lines.join("\n");
    st.port.scripts.push([st.script.id, capStr(out, CAP.script) as string]);
  }
  st.script = undefined;
}

function endFp(st: State): void {
  if (!st.fp) return;
  const h = ensureHost(st);
  const list = st.fps.get(h) ?? [];
  list.push({ port: st.fp.port, transport: st.fp.transport, text: st.fp.lines.join("\n") });
  st.fps.set(h, list);
  st.fp = undefined;
}

function endHost(st: State): void {
  endScript(st);
  const h = st.host;
  if (h) {
    const info = st.serviceInfo;
    if (info) {
      for (const p of h.ports) {
        // nmap prints Service Info once per host; it came from the ports it recognised.
        if (!p.service?.product) continue;
        for (const k of ["hostname", "ostype", "devicetype"] as const) {
          if (info[k] && !p.service[k]) p.service[k] = info[k];
        }
      }
    }
    for (const fp of st.fps.get(h) ?? []) {
      let p = h.ports.find((x) => x.port === fp.port && x.transport === fp.transport);
      if (!p) {
        p = { port: fp.port, transport: fp.transport, state: "open", scripts: [] };
        h.ports.push(p);
      }
      p.service = { ...(p.service ?? {}), servicefp: fp.text };
    }
  }
  st.host = undefined;
  st.port = undefined;
  st.serviceInfo = undefined;
  st.inHostScripts = false;
  st.reasonColumn = false;
}

function readLine(st: State, rawLine: string): void {
  const line = rawLine.replace(/\s+$/, "");
  const t = line.trimStart();
  // Service fingerprint blocks.
  if (/^SF-Port\d{1,5}-(?:TCP|UDP|SCTP):/i.test(t)) {
    endFp(st);
    const m = /^SF-Port(\d{1,5})-(TCP|UDP|SCTP):/i.exec(t) as RegExpExecArray;
    const port = Number(m[1]);
    if (port <= 65535) st.fp = { port, transport: (m[2] as string).toLowerCase(), lines: [t] };
    return;
  }
  if (t.startsWith("SF:")) {
    if (st.fp && st.fp.lines.length < 20_000) st.fp.lines.push(t);
    return;
  }
  if (!t) return;
  endFp(st);
  let m: RegExpExecArray | null;
  if ((m = /^Discovered open port (\d{1,5})\/(tcp|udp|sctp) on (\S{1,255})$/.exec(t))) {
    const port = Number(m[1]);
    const list = st.discovered.get(m[3] as string) ?? [];
    if (port <= 65535 && list.length < CAP.portsPerHost) list.push({ port, transport: m[2] as string });
    st.discovered.set(m[3] as string, list);
    return;
  }
  if ((m = /^Scanning (\S{1,255}) \(([^()\s]{1,255})\) \[/.exec(t))) {
    st.scanning.set(m[2] as string, m[1] as string);
    return;
  }
  if ((m = /^(?:Nmap scan report for|Interesting ports on) (.+?):?$/.exec(t))) {
    endHost(st);
    st.host = { ports: [], ...hostFromHeader(m[1] as string) };
    st.hosts.push(st.host);
    return;
  }
  if (/^PORT\s+STATE\s+SERVICE/.test(t)) {
    endScript(st);
    ensureHost(st);
    st.reasonColumn = /\sREASON(?:\s|$)/.test(t);
    st.inHostScripts = false;
    return;
  }
  if ((m = PORT_RE.exec(t))) {
    endScript(st);
    const h = ensureHost(st);
    st.inHostScripts = false;
    const portNo = Number(m[1]);
    if (portNo > 65535 || h.ports.length >= CAP.portsPerHost) {
      st.port = undefined;
      return;
    }
    let svc = m[4] as string;
    let rest = m[5] ?? "";
    if (st.reasonColumn) {
      const r = REASON_RE.exec(rest);
      if (r) rest = rest.slice(r[0].length);
    }
    const service: NmapService = {};
    const ssl = /^(ssl|tls)\/(.+)$/.exec(svc);
    if (ssl) {
      service.tunnel = "ssl";
      svc = ssl[2] as string;
    }
    // `rtsp?`: nmap's guess from the port number, not a recognition.
    svc = svc.replace(/\?$/, "");
    if (svc && svc !== "unknown") service.name = capStr(svc);
    Object.assign(service, splitVersionColumn(rest));
    const p: NmapPort = {
      port: portNo,
      transport: m[2] as string,
      state: m[3] as string,
      service,
      scripts: [],
    };
    h.ports.push(p);
    st.port = p;
    return;
  }
  if (t.startsWith("|")) {
    if (st.inHostScripts || !st.port) return;
    const last = t.startsWith("|_");
    const content = t.length >= 2 ? t.slice(2) : "";
    const sm = content.startsWith(" ") ? null : SCRIPT_ID.exec(content);
    if (sm) {
      endScript(st);
      st.script = { id: sm[1] as string, lines: [sm[2] ?? ""], closed: false };
    } else if (st.script && !st.script.closed) {
      if (st.script.lines.length < 4000) st.script.lines.push(content);
    } else {
      // A continuation without its first line: keep it under an anonymous id.
      endScript(st);
      st.script = { id: "script", lines: [content], closed: false };
    }
    if (last && st.script) st.script.closed = true;
    return;
  }
  endScript(st);
  if (/^Host script results:/.test(t)) {
    st.inHostScripts = true;
    st.port = undefined;
    return;
  }
  if ((m = /^MAC Address: ([0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5})(?: \((.*)\))?$/.exec(t))) {
    const h = ensureHost(st);
    h.mac = (m[1] as string).toUpperCase().replace(/-/g, ":");
    if (m[2] && m[2] !== "Unknown") h.macVendor = capStr(m[2]);
    st.port = undefined;
    return;
  }
  if ((m = /^Service Info: (.+)$/.exec(t))) {
    const info: Pick<NmapService, "hostname" | "ostype" | "devicetype"> = {};
    for (const part of (m[1] as string).split(/;\s*/)) {
      const kv = /^(Host|OS|Device|Devices|OSs|Hosts): (.+)$/.exec(part.trim());
      if (!kv) continue;
      const v = capStr((kv[2] as string).split(/,\s*/)[0]);
      if (kv[1] === "Host" || kv[1] === "Hosts") info.hostname = v;
      else if (kv[1] === "OS" || kv[1] === "OSs") info.ostype = v;
      else info.devicetype = v;
    }
    st.serviceInfo = info;
    st.port = undefined;
    return;
  }
  // Any other line (timing, OS detection, traceroute, notes) ends the current port's scripts only.
}
