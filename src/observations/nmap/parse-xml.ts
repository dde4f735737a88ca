import { XMLParser, XMLValidator } from "fast-xml-parser";
import { InputError } from "../../shared/errors.js";
import { CAP, capStr, type NmapHost, type NmapPort, type NmapService } from "./model.js";

/**
 * nmap XML output (-oX) -> hosts. Entities are never expanded by the parser: a document with a DTD
 * internal subset or an entity declaration is refused, nmap's own `<!DOCTYPE nmaprun>` line is
 * dropped, and the five predefined entities and character references in attribute values are decoded
 * here. A malformed document is an InputError naming the file and line.
 */

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  attributesGroupName: "$",
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Script tables can nest deeply; their `output` attribute has everything camsweep keeps.
  stopNodes: ["*.script"],
  isArray: (name) => ["host", "address", "hostname", "port", "script", "cpe", "hostnames"].includes(name),
});

/** True when the text looks like nmap XML (an `<nmaprun` root near the start). */
export function looksLikeNmapXml(text: string): boolean {
  const head = text
    .slice(0, 8192)
    .replace(/^\uFEFF/, "")
    .trimStart();
  return head.startsWith("<") && /<nmaprun[\s>/]/.test(head);
}

/** Decodes XML's predefined entities and character references (never anything a DTD declares). */
export function decodeXmlText(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));/g, (m, dec, hex, name) => {
    if (name)
      return ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" } as Record<string, string>)[name] ?? m;
    const cp = dec ? Number(dec) : parseInt(hex as string, 16);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

type Node = Record<string, unknown> & { $?: Record<string, unknown> };

/**
 * How attribute and text values reach readHost: fast-xml-parser leaves entities in them (decoded here), the
 * streaming reader (stream-xml.ts, saxes) has decoded them already and passes `asIs`.
 */
export type Decode = (s: string) => string;
export const asIs: Decode = (s) => s;

function attrOf(
  n: unknown,
  k: string,
  cap: number = CAP.field,
  decode: Decode = decodeXmlText,
): string | undefined {
  if (!n || typeof n !== "object") return undefined;
  const a = (n as Node).$;
  const v = a?.[k];
  return typeof v === "string" ? capStr(decode(v), cap) : undefined;
}

function list(n: unknown): unknown[] {
  if (Array.isArray(n)) return n;
  return n === undefined || n === null || n === "" ? [] : [n];
}

function child(n: unknown, k: string): unknown {
  return n && typeof n === "object" ? (n as Node)[k] : undefined;
}

function epoch(s: string | undefined): string | undefined {
  if (!s || !/^\d{1,12}$/.test(s)) return undefined;
  const d = new Date(Number(s) * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

export function parseNmapXml(text: string, name: string): NmapHost[] {
  if (text.length > CAP.input) throw new InputError("nmap XML larger than 256 MiB", name);
  const ent = /<!ENTITY|<!DOCTYPE[^>[]*\[/i.exec(text);
  if (ent) {
    throw new InputError(
      "XML with a DTD internal subset or entity declarations is refused (entities are never expanded)",
      name,
      lineOf(text, ent.index),
    );
  }
  // nmap writes `<!DOCTYPE nmaprun>`; a bare declaration carries nothing and is dropped.
  const body = text.replace(/^\uFEFF/, "").replace(/<!DOCTYPE\s+[A-Za-z_][\w:.-]*\s*>/i, "");
  let valid: ReturnType<typeof XMLValidator.validate>;
  try {
    valid = XMLValidator.validate(body);
  } catch (e) {
    throw new InputError(`not valid XML (${(e as Error).message})`, name);
  }
  if (valid !== true) {
    const err = valid.err;
    const incomplete = !/<\/nmaprun>\s*$/.test(body)
      ? "; the file ends before </nmaprun>: an interrupted scan?"
      : "";
    throw new InputError(`not valid XML (${err.msg}${incomplete})`, name, err.line);
  }
  let tree: unknown;
  try {
    tree = parser.parse(body);
  } catch (e) {
    throw new InputError(`not valid XML (${(e as Error).message})`, name);
  }
  const run = child(tree, "nmaprun");
  if (!run || typeof run !== "object")
    throw new InputError("XML without an <nmaprun> root: not nmap output", name);
  const runTime = epoch(attrOf(run, "start"));
  return list(child(run, "host")).map((h) => readHost(h, runTime));
}

/**
 * One `<host>` element, as a tree in fast-xml-parser's shape (`$` attributes, arrays for repeated children),
 * -> the host. Shared with the streaming reader, which builds each host's tree from saxes events.
 */
export function readHost(h: unknown, runTime: string | undefined, decode: Decode = decodeXmlText): NmapHost {
  const attr = (n: unknown, k: string, cap?: number) => attrOf(n, k, cap, decode);
  const host: NmapHost = { ports: [], time: epoch(attr(h, "starttime")) ?? runTime };
  for (const a of list(child(h, "address"))) {
    const type = attr(a, "addrtype");
    const addr = attr(a, "addr", 255);
    if (type === "mac") {
      host.mac = addr;
      host.macVendor = attr(a, "vendor");
    } else if ((type === "ipv4" || type === "ipv6") && addr && (!host.address || type === "ipv4")) {
      host.address = addr;
    }
  }
  for (const hn of list(child(h, "hostnames"))) {
    const first = list(child(hn, "hostname"))[0];
    const n = attr(first, "name", 255);
    if (n && !host.hostname) host.hostname = n;
  }
  for (const p of list(child(child(h, "ports"), "port")).slice(0, CAP.portsPerHost)) {
    const port = Number(attr(p, "portid"));
    if (!Number.isInteger(port) || port < 0 || port > 65535) continue;
    const np: NmapPort = {
      port,
      transport: attr(p, "protocol") ?? "tcp",
      state: attr(child(p, "state"), "state") ?? "unknown",
      scripts: [],
    };
    const svc = child(p, "service");
    if (svc && typeof svc === "object") np.service = readService(svc, decode);
    for (const s of list(child(p, "script")).slice(0, CAP.scriptsPerPort)) {
      const id = attr(s, "id", 100);
      const output = attr(s, "output", CAP.script);
      if (id && output !== undefined) np.scripts.push([id, output]);
    }
    host.ports.push(np);
  }
  return host;
}

function readService(svc: unknown, decode: Decode): NmapService {
  const attr = (n: unknown, k: string, cap?: number) => attrOf(n, k, cap, decode);
  const s: NmapService = {};
  for (const k of [
    "name",
    "product",
    "version",
    "extrainfo",
    "devicetype",
    "ostype",
    "hostname",
    "tunnel",
    "method",
    "conf",
  ] as const) {
    const v = attr(svc, k);
    if (v !== undefined && v !== "") s[k] = v;
  }
  const fp = attr(svc, "servicefp", 1024 * 1024);
  if (fp) s.servicefp = fp;
  const cpes = list(child(svc, "cpe"))
    .map((c) =>
      typeof c === "string"
        ? c
        : typeof (c as Node)?.["#text"] === "string"
          ? ((c as Node)["#text"] as string)
          : "",
    )
    .map((c) => capStr(decode(c.trim())) as string)
    .filter(Boolean)
    .slice(0, 16);
  if (cpes.length) s.cpe = cpes;
  return s;
}
