import { urlHost } from "../observe.js";
import type { DiscoveryProtocol, InquiryDestination } from "./protocol.js";
import { rawResponse, textOf } from "./raw.js";

/** SSDP (UPnP Device Architecture 1.1 §1): UDP 1900, groups 239.255.255.250 and ff02::c. */
export const SSDP_PORT = 1900;
export const SSDP_GROUP_V4 = "239.255.255.250";

/**
 * M-SEARCH for root devices (UDA 1.1 §1.3.2). A multicast search names the group in HOST and carries MX (devices
 * drop a multicast search without it; 1 s keeps the window short); a unicast search names the target in HOST and
 * has no MX (the device answers within a second).
 */
export function mSearch(
  to: InquiryDestination = { address: SSDP_GROUP_V4, port: SSDP_PORT, multicast: true },
): string {
  return [
    "M-SEARCH * HTTP/1.1",
    `HOST: ${urlHost(to.address)}:${to.port}`,
    'MAN: "ssdp:discover"',
    ...(to.multicast ? ["MX: 1"] : []),
    "ST: upnp:rootdevice",
    "",
    "",
  ].join("\r\n");
}

/**
 * Search responses (`HTTP/1.1 200 OK`) and announcements (`NOTIFY * HTTP/1.1`, alive or byebye) -> `ssdp` raw text.
 * A search (ours looped back, or another control point's) and anything else -> undefined.
 */
export const ssdp: DiscoveryProtocol = {
  id: "ssdp",
  port: SSDP_PORT,
  groups: { v4: SSDP_GROUP_V4, v6: "ff02::c" },
  inquiry: (to) => [Buffer.from(mSearch(to), "utf8")],
  observe(data, truncated) {
    const text = textOf(data, truncated);
    if (text === undefined || !/^(?:HTTP\/1\.[01] 200\b|NOTIFY \* HTTP\/1\.[01]\r?\n)/i.test(text))
      return undefined;
    return { protocol: "ssdp", port: SSDP_PORT, response: rawResponse(data, truncated) };
  },
};
