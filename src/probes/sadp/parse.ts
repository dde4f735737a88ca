import { randomUUID } from "node:crypto";
import { decodeBytes } from "../observe.js";

/** SADP unicast inquiry port (protocols.md §1.1). */
export const SADP_PORT = 37020;

/**
 * The read-only probes (protocols.md §1.2): `inquiry`, and `inquiry_v32` of the same shape, which some newer firmware
 * may answer instead. Every other Types value changes device state; the type here admits no other.
 */
export type SadpInquiryType = "inquiry" | "inquiry_v32";

/** A read-only inquiry with a fresh upper-case GUID (protocols.md §1.2). Never other Types. */
export function sadpInquiry(
  uuid: string = randomUUID().toUpperCase(),
  types: SadpInquiryType = "inquiry",
): string {
  if (!/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/.test(uuid))
    throw new Error(`bad SADP uuid ${uuid}`);
  if (types !== "inquiry" && types !== "inquiry_v32") throw new Error(`refusing SADP Types ${String(types)}`);
  return `<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>${uuid}</Uuid><Types>${types}</Types></Probe>`;
}

/** A reply datagram as recorded: text when UTF-8 (the XML), base64 otherwise. Parsing is identification's job. */
export function sadpResponse(data: Buffer, truncated: boolean) {
  const { text, encoding } = decodeBytes(data, truncated);
  return {
    raw: text,
    ...(encoding === "base64" ? { encoding } : {}),
    ...(truncated ? { truncated: true } : {}),
  };
}

/**
 * True when a reply looks like a ProbeMatch (the test hikvision-tooling and UniversalScanner use, §1.4), as the
 * element itself: a WS-Discovery `<ProbeMatches>` sent to the wrong port is not one.
 */
export function isProbeMatch(raw: string): boolean {
  return /<ProbeMatch[\s>/]/.test(raw);
}

/** True when a datagram is a SADP Probe (ours looped back, or another tool's inquiry): never a device's answer. */
export function isSadpProbe(raw: string): boolean {
  return /<Probe[\s>]/.test(raw) && !isProbeMatch(raw);
}
