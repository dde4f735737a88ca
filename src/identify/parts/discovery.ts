/** Parts of discovery replies: Dahua DHIP frames (and the legacy 5050 reply), ONVIF ProbeMatches and GetDeviceInformation, SSDP and UPnP descriptions. */
import { splitDhip } from "../../probes/dhip/parse.js";
import { DHIP_LEGACY_MIN, isDhipLegacyReply } from "../../probes/discovery/dhip-legacy.js";
import { rpc2Parts } from "./apis.js";
import {
  findElement,
  leaves,
  memberParts,
  PARSE_CAP,
  safeJson,
  named,
  safeXml,
  str,
  type Push,
  type Why,
} from "./read.js";

export function dhipParts(buf: Buffer, push: Push, why: Why): void {
  if (isDhipLegacyReply(buf)) return dhipLegacyParts(buf, push);
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
  memberParts(j.params?.deviceInfo, "dhip", push);
}

export function onvifScopes(text: string, push: Push, why: Why): void {
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
    if (key === "name" || key === "hardware" || key === "mac") push(named("onvif.scope", key), v);
  }
}

export function onvifDevinfo(text: string, push: Push, why: Why): void {
  const tree = safeXml(text, why);
  const el = tree && findElement(tree, "GetDeviceInformationResponse");
  for (const [k, v] of leaves(el)) push(named("onvif", k), v);
}

/**
 * The legacy Dahua discovery reply on UDP 5050 (protocols.md §6.2): a fixed struct after a 0xb3 byte. The 16 bytes at
 * 0x28 are the "device type" to UniversalScanner (Dahua1.cs) but the "Hostname" to DahuaConsole (net.py, dvrip
 * discovery), so they are kept as dhip.legacy.deviceType and no model rule reads them. IPv4 address, mask, gateway
 * and DNS follow at 0x38..0x47 in network order; after the 0x78-byte struct comes text whose length is byte 2: the
 * MAC as 17 characters, sometimes a longer device type after it (UniversalScanner).
 */
export function dhipLegacyParts(buf: Buffer, push: Push): void {
  const ascii = (b: Buffer) => {
    const nul = b.indexOf(0);
    const s = b
      .subarray(0, nul < 0 ? b.length : nul)
      .toString("latin1")
      .trim();
    return /^[\x20-\x7e]{1,64}$/.test(s) ? s : undefined;
  };
  const ip = (at: number) => Array.from(buf.subarray(at, at + 4)).join(".");
  const type = ascii(buf.subarray(0x28, 0x38));
  if (type) push("dhip.legacy.deviceType", type);
  push("dhip.legacy.ipv4", ip(0x38));
  push("dhip.legacy.mask", ip(0x3c));
  push("dhip.legacy.gateway", ip(0x40));
  push("dhip.legacy.dns", ip(0x44));
  const text = ascii(buf.subarray(DHIP_LEGACY_MIN, Math.min(buf.length, DHIP_LEGACY_MIN + (buf[2] ?? 0))));
  if (!text) return;
  push("dhip.legacy.text", text);
  const mac = /^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}/.exec(text)?.[0];
  if (mac) push("dhip.legacy.mac", mac);
}

/**
 * An SSDP search response or announcement (UPnP Device Architecture 1.1 §1): its start line as ssdp.kind
 * (response / notify) and each header as ssdp.<lower-case name> (ssdp.server, ssdp.usn, ssdp.st, ssdp.nt, ssdp.nts,
 * ssdp.location ...), at most 50.
 */
export function ssdpParts(text: string, push: Push): void {
  const lines = text.slice(0, PARSE_CAP).split(/\r?\n/, 60);
  const first = lines[0] ?? "";
  if (/^HTTP\/1\.[01] 200\b/i.test(first)) push("ssdp.kind", "response");
  else if (/^NOTIFY \* HTTP\/1\.[01]$/i.test(first.trim())) push("ssdp.kind", "notify");
  else return;
  let n = 0;
  for (const line of lines.slice(1)) {
    if (line === "") break;
    const m = /^([A-Za-z][\w.-]{0,63})[ \t]*:[ \t]*(.*)$/.exec(line);
    if (!m || ++n > 50) continue;
    const value = (m[2] as string).trim();
    if (value) push(named("ssdp", (m[1] as string).toLowerCase()), value);
  }
}

/** The UPnP device-description namespace: a body naming it near its start is read as a description. */
const UPNP_DEVICE_NS = "urn:schemas-upnp-org:device-1-0";

/**
 * A UPnP device description (the document an SSDP LOCATION names, UDA 1.1 §2.3), wherever it was fetched from: the
 * root device's leaf fields as upnp.<field> (upnp.manufacturer, upnp.modelName, upnp.modelNumber, upnp.serialNumber,
 * upnp.friendlyName, upnp.UDN ...). Embedded devices are not read: the root device is the box that answered.
 */
export function upnpDescriptionParts(body: string, push: Push, why: Why): void {
  if (!body.slice(0, 4096).includes(UPNP_DEVICE_NS)) return;
  const tree = safeXml(body, why);
  const root = tree && findElement(tree, "root");
  const device = root && typeof root === "object" ? (root as Record<string, unknown>).device : undefined;
  for (const [k, v] of leaves(Array.isArray(device) ? device[0] : device).slice(0, 40))
    if (v && /^[A-Za-z]\w{0,63}$/.test(k)) push(named("upnp", k), v);
}
