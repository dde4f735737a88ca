import { randomUUID } from "node:crypto";
import { isProbeMatch, SADP_PORT, sadpInquiry, sadpResponse } from "../sadp/parse.js";
import type { DiscoveryProtocol } from "./protocol.js";
import { textOf } from "./raw.js";

/**
 * Hikvision SADP (protocols.md §1): both read-only inquiry forms (§1.2), each with its own fresh upper-case GUID;
 * a reply is a `<ProbeMatch>` (§1.4). A `<Probe>` (ours looped back, another tool's) is no device's answer.
 */
export const sadp: DiscoveryProtocol = {
  id: "sadp",
  port: SADP_PORT,
  groups: { v4: "239.255.255.250" },
  // hikvision-tooling also sends the probe to 255.255.255.255:37020 (§1.1)
  broadcast: true,
  inquiry: () =>
    (["inquiry", "inquiry_v32"] as const).map((t) =>
      Buffer.from(sadpInquiry(randomUUID().toUpperCase(), t), "utf8"),
    ),
  observe(data, truncated) {
    const text = textOf(data, truncated);
    if (text === undefined || !isProbeMatch(text)) return undefined;
    return { protocol: "sadp", port: SADP_PORT, response: sadpResponse(data, truncated) };
  },
};
