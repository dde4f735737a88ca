import { randomUUID } from "node:crypto";
import type { DiscoveryProtocol } from "./protocol.js";
import { rawResponse, textOf } from "./raw.js";

/** WS-Discovery (protocols.md §5.1): UDP 3702, groups 239.255.255.250 and ff02::c. */
export const WSD_PORT = 3702;

/** The ONVIF Probe of protocols.md §5.1 (agsh/onvif src/discovery.ts): Types dn:NetworkVideoTransmitter. */
export function wsdProbe(messageId = `urn:uuid:${randomUUID()}`): string {
  if (!/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(messageId))
    throw new Error(`bad WS-Discovery MessageID ${messageId}`);
  const wsa = 'xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"';
  return (
    `<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">` +
    `<Header><wsa:MessageID ${wsa}>${messageId}</wsa:MessageID>` +
    `<wsa:To ${wsa}>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>` +
    `<wsa:Action ${wsa}>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action></Header>` +
    `<Body><Probe xmlns="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:xsd="http://www.w3.org/2001/XMLSchema" ` +
    `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Types>dn:NetworkVideoTransmitter</Types><Scopes /></Probe>` +
    `</Body></Envelope>`
  );
}

export type WsdMessage = "ProbeMatches" | "Hello" | "Probe" | "Bye" | "Resolve" | "ResolveMatches";

/**
 * The WS-Discovery message a datagram carries: the first of its elements named for one (any prefix). The SOAP
 * header holds none of these names (its Action is text), so the first is the body's.
 */
export function wsdMessage(text: string): WsdMessage | undefined {
  const m = /<(?:[A-Za-z_][\w.-]{0,63}:)?(ProbeMatches|Hello|ResolveMatches|Resolve|Probe|Bye)[\s>/]/.exec(
    text.slice(0, 64 * 1024),
  );
  return m?.[1] as WsdMessage | undefined;
}

/** A Hello that names ONVIF video (an NVT, an NVR's display type, or onvif:// scopes): printers and PCs say Hello too. */
const ONVIF_HELLO = /NetworkVideoTransmitter|NetworkVideoDisplay|onvif:\/\/www\.onvif\.org\//i;

/**
 * Replies: ProbeMatches (to our Probe, which asked for NVTs only) and ONVIF Hellos -> `onvif-probe`. Everything else
 * -> undefined: a Probe (ours or another client's), Resolve/ResolveMatches (we never send a Resolve), and Bye, which
 * carries nothing but an endpoint address and would read as the device's presence. SOAP 1.2 forbids a document type
 * declaration in a message (SOAP 1.2 Part 1 §5), so a datagram with one is no device's reply either.
 */
export const wsd: DiscoveryProtocol = {
  id: "wsd",
  port: WSD_PORT,
  groups: { v4: "239.255.255.250", v6: "ff02::c" },
  inquiry: () => [Buffer.from(wsdProbe(), "utf8")],
  observe(data, truncated) {
    const text = textOf(data, truncated);
    if (text === undefined || /<!DOCTYPE|<!ENTITY/i.test(text)) return undefined;
    const kind = wsdMessage(text);
    if (kind !== "ProbeMatches" && !(kind === "Hello" && ONVIF_HELLO.test(text))) return undefined;
    return { protocol: "onvif-probe", port: WSD_PORT, response: rawResponse(data, truncated) };
  },
};
