import { randomUUID } from "node:crypto";
import { decodeBytes } from "../observe.js";

/** SADP unicast inquiry port (protocols.md §1.1). */
export const SADP_PORT = 37020;

/** The read-only `inquiry` probe with a fresh upper-case GUID (protocols.md §1.2). Never other Types. */
export function sadpInquiry(uuid: string = randomUUID().toUpperCase()): string {
  if (!/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/.test(uuid))
    throw new Error(`bad SADP uuid ${uuid}`);
  return `<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>${uuid}</Uuid><Types>inquiry</Types></Probe>`;
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

/** True when a reply looks like a ProbeMatch (the test hikvision-tooling and UniversalScanner use, §1.4). */
export function isProbeMatch(raw: string): boolean {
  return raw.includes("<ProbeMatch");
}
