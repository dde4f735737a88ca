import { findElement, leaves, safeXml } from "../../identify/parts/read.js";
import type { MessageResponseT } from "../../observations/observation.js";
import { format, parseAddress } from "../../targets/address.js";
import type { ObservationPart } from "../observe.js";

/**
 * An NVR's list of the cameras it records (GET /ISAPI/ContentMgmt/InputProxy/channels, Digest). protocols.md says
 * nothing about this list: the shape read here is [U], taken from public ISAPI client code (an
 * <InputProxyChannelList> of <InputProxyChannel> elements, each with <id>, <name> and a <sourceInputPortDescriptor>
 * holding <ipAddress>, <proxyProtocol>, <managePortNo> and, on some firmware, the camera's <model>, <serialNumber>
 * and <firmwareVersion>). So the reading is tolerant: any of these may be missing, elements are matched by local
 * name, and the list's own `size` attribute is never trusted (attributes are not read at all).
 */

export const CHANNELS_PATH = "/ISAPI/ContentMgmt/InputProxy/channels";
const MAX_CHANNELS = 256;
const MAX_VALUE = 256;

/** What is kept of a channel: never the account the NVR uses for the camera (userName, password). */
const DESCRIPTOR_FIELDS = [
  "proxyProtocol",
  "addressingFormatType",
  "ipAddress",
  "managePortNo",
  "srcInputPort",
  "model",
  "serialNumber",
  "firmwareVersion",
  "deviceID",
] as const;

export interface ProxyChannel {
  id?: string;
  name?: string;
  /** canonical address of the camera (a literal IPv4/IPv6 address; host names are not kept) */
  address: string;
  fields: [string, string][];
}

export function parseChannelList(body: string): ProxyChannel[] {
  const tree = safeXml(body);
  const list = tree && findElement(tree, "InputProxyChannelList");
  if (!list || typeof list !== "object") return [];
  const raw = (list as Record<string, unknown>).InputProxyChannel;
  const items = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).slice(0, MAX_CHANNELS);
  const out: ProxyChannel[] = [];
  for (const item of items) {
    if (!item || typeof item !== "object") continue;
    const top = new Map(leaves(item));
    const desc = new Map(leaves((item as Record<string, unknown>).sourceInputPortDescriptor));
    const addr = parseAddress(desc.get("ipAddress") ?? "");
    // 0.0.0.0 (an unconfigured channel) and the like name no device.
    if (!addr || addr.range() === "unspecified") continue;
    const fields: [string, string][] = [];
    for (const k of DESCRIPTOR_FIELDS) {
      const v = desc.get(k);
      if (v) fields.push([k, v.slice(0, MAX_VALUE)]);
    }
    const id = top.get("id")?.slice(0, 16);
    const name = top.get("name")?.slice(0, MAX_VALUE);
    out.push({ ...(id ? { id } : {}), ...(name ? { name } : {}), address: format(addr), fields });
  }
  return out;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * One observation per camera behind the recorder: `target` is the camera's address (a device of its own), the
 * request says it was read through the recorder (`via`), and the body is that channel's entry re-written with only
 * the kept fields. No port: nothing was sent to the camera.
 */
export function channelParts(
  channels: readonly ProxyChannel[],
  via: string,
  scheme: "http" | "https",
  from: MessageResponseT,
): (ObservationPart & { target: string })[] {
  return channels.map((c) => {
    const inner = c.fields.map(([k, v]) => `<${k}>${esc(v)}</${k}>`).join("");
    const body =
      `<InputProxyChannel>${c.id ? `<id>${esc(c.id)}</id>` : ""}${c.name ? `<name>${esc(c.name)}</name>` : ""}` +
      `<sourceInputPortDescriptor>${inner}</sourceInputPortDescriptor></InputProxyChannel>`;
    return {
      target: c.address,
      protocol: "http" as const,
      request: {
        method: "GET",
        path: CHANNELS_PATH,
        scheme,
        auth: "digest",
        via,
        ...(c.id ? { channel: c.id } : {}),
      },
      response: {
        status: from.status,
        ...(from.version ? { version: from.version } : {}),
        headers: [], // the recorder's headers describe the recorder, not the camera
        body,
      },
    };
  });
}
