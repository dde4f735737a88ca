/** Parts of discovery replies: Dahua DHIP frames, ONVIF ProbeMatches and GetDeviceInformation. */
import { splitDhip } from "../../probes/dhip/parse.js";
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
