/** Parts of a `dhcp` observation (a lease from an imported lease file or DHCP server export). */
import { str, type Push } from "./read.js";

/**
 * What a client said about itself when it asked for an address, as the lease keeps it: `dhcp.hostname` (option 12,
 * or the name the server recorded), `dhcp.vendorClass` (option 60), `dhcp.clientId` (option 61, colon hex).
 * These are the device's own words, so they are matched like any device text (knowledge/fingerprints/dhcp.yaml).
 */
export function dhcpParts(request: Record<string, unknown>, push: Push): void {
  const hostname = str(request.hostname);
  if (hostname) push("dhcp.hostname", hostname);
  const vendorClass = str(request.vendorClass);
  if (vendorClass) push("dhcp.vendorClass", vendorClass);
  const clientId = str(request.clientId);
  if (clientId) push("dhcp.clientId", clientId);
}
