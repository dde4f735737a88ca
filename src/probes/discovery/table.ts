import type { Protocol } from "../../observations/observation.js";
import { dhip } from "./dhip.js";
import { dhipLegacy } from "./dhip-legacy.js";
import type { DiscoveryId, DiscoveryProtocol } from "./protocol.js";
import { sadp } from "./sadp.js";
import { ssdp } from "./ssdp.js";
import { wsd } from "./wsd.js";

export type { DiscoveryId, DiscoveryProtocol, InquiryDestination } from "./protocol.js";

/** Every discovery protocol of issue 5, once (facts: protocols.md §1, §5, §6; UPnP Device Architecture 1.1). */
export const DISCOVERY: readonly DiscoveryProtocol[] = [sadp, wsd, dhip, dhipLegacy, ssdp];

export function discoveryProtocol(id: DiscoveryId): DiscoveryProtocol {
  const p = DISCOVERY.find((d) => d.id === id);
  if (!p) throw new Error(`unknown discovery protocol ${String(id)}`);
  return p;
}

/** The observation protocol each one's replies (and failures) are recorded under. */
export const OBSERVED_AS: Readonly<Record<DiscoveryId, Protocol>> = {
  sadp: "sadp",
  wsd: "onvif-probe",
  dhip: "dahua-dhip",
  "dhip-legacy": "dahua-dhip",
  ssdp: "ssdp",
};
