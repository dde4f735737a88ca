import { DHIP_PORT, dhipFrame, splitDhip } from "../dhip/parse.js";
import type { DiscoveryProtocol } from "./protocol.js";
import { base64Response } from "./raw.js";

/**
 * Dahua DHIP discovery (protocols.md §6.1): the 32-byte header + DHDiscover.search; a reply is any other DHIP frame
 * (client.notifyDevInfo), recorded whole as base64. A search (ours looped back, or ConfigTool's) is nobody's answer.
 */
export const dhip: DiscoveryProtocol = {
  id: "dhip",
  port: DHIP_PORT,
  groups: { v4: "239.255.255.251" },
  broadcast: true,
  inquiry: () => [dhipFrame()],
  observe(data, truncated) {
    const frame = splitDhip(data);
    if (!frame.framed) return undefined;
    // The JSON, or what of it arrived when the declared length overruns the datagram.
    const body = frame.json ?? data.toString("latin1", 32, Math.min(data.length, 32 + 4096));
    if (/"method"\s*:\s*"DHDiscover\.search"/.test(body)) return undefined;
    return { protocol: "dahua-dhip", port: DHIP_PORT, response: base64Response(data, truncated) };
  },
};
