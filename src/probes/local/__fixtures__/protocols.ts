import type { DiscoveryProtocol } from "../../discovery/protocol.js";

/**
 * Small stand-ins for the discovery table, for the namespace tests: the real table's parsing is tested where it
 * lives; here only where datagrams go and what comes back matter. Answers start with "CSW-REPLY".
 */
const observe: DiscoveryProtocol["observe"] = (data) => {
  const text = data.toString("utf8");
  return text.startsWith("CSW-REPLY") ? { protocol: "sadp", response: { raw: text } } : undefined;
};

/** multicast on both families */
export const groupProtocol: DiscoveryProtocol = {
  id: "sadp",
  port: 37020,
  groups: { v4: "239.255.255.250", v6: "ff02::c" },
  inquiry: () => [Buffer.from(`CSW-INQUIRY ${Math.random()}`)],
  observe,
};

/** IPv4 limited broadcast only */
export const broadcastProtocol: DiscoveryProtocol = {
  id: "dhip-legacy",
  port: 5050,
  groups: {},
  broadcast: true,
  inquiry: () => [Buffer.from("CSW-INQUIRY broadcast")],
  observe,
};
