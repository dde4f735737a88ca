import type { DiscoveryProtocol } from "./protocol.js";
import { base64Response } from "./raw.js";

/** The legacy Dahua discovery port (protocols.md §6.2; DahuaConsole `--discover dvrip`, UniversalScanner Dahua1). */
export const DHIP_LEGACY_PORT = 5050;

/** The 32-byte request: a3 01 00 01, 12 zero bytes, 02 00 00 00, 12 zero bytes (§6.2). */
export function dhipLegacyRequest(): Buffer {
  const b = Buffer.alloc(32);
  b.set([0xa3, 0x01, 0x00, 0x01], 0);
  b.set([0x02, 0x00, 0x00, 0x00], 16);
  return b;
}

/** A reply starts with 0xb3 and holds at least the 0x78-byte fixed struct (§6.2). */
export const DHIP_LEGACY_MIN = 0x78;

export function isDhipLegacyReply(data: Buffer): boolean {
  return data.length >= DHIP_LEGACY_MIN && data[0] === 0xb3;
}

/** Broadcast only in local mode (no group). Our own request (0xa3) and anything short or other -> undefined. */
export const dhipLegacy: DiscoveryProtocol = {
  id: "dhip-legacy",
  port: DHIP_LEGACY_PORT,
  groups: {},
  broadcast: true,
  inquiry: () => [dhipLegacyRequest()],
  observe(data, truncated) {
    if (!isDhipLegacyReply(data)) return undefined;
    return { protocol: "dahua-dhip", port: DHIP_LEGACY_PORT, response: base64Response(data, truncated) };
  },
};
