import { isRaw } from "../../observations/observation.js";
import { rawText } from "../../identify/parts/read.js";
import { httpRequest, type HttpOptions, type HttpTarget } from "../http/probe.js";
import { errorText, type ObservationPart } from "../observe.js";
import { onvifPreAuth } from "../onvif/preauth.js";
import { readProbeMatch } from "../onvif/xaddr.js";
import { keptUrl, sameHostEndpoint } from "./endpoint.js";

/**
 * The requests a discovery reply leads to, for one replying address: the ONVIF calls that need no login at the
 * device service a WS-Discovery reply names, and one GET of the UPnP description an SSDP reply's LOCATION names.
 * Only on the address that replied (sameHostEndpoint), at most one URL of each kind per address; a URL that names
 * anything else is recorded as not followed (an `http` error observation without a port: nothing was sent).
 * The caller decides the address is in scope: a reply from outside it must not come here.
 */
export async function discoveryFollowUps(
  target: HttpTarget,
  parts: readonly ObservationPart[],
  io: HttpOptions,
): Promise<ObservationPart[]> {
  const out: ObservationPart[] = [];
  const texts = (protocol: string) =>
    parts.flatMap((p) =>
      p.protocol === protocol && isRaw(p.response) ? [rawText(p.response.raw, p.response.encoding)] : [],
    );

  // ONVIF: the first video reply's device-service URLs
  for (const text of texts("onvif-probe")) {
    const { xaddrs, video } = readProbeMatch(text);
    if (!video || !xaddrs.length) continue;
    const soap = "GetServices";
    const ends = xaddrs.map((u) => ({ url: u, end: sameHostEndpoint(u, target.address) }));
    const ok = ends.find((e) => "hop" in e.end);
    if (ok && "hop" in ok.end) out.push(...(await onvifPreAuth(target, ok.end.hop, io)));
    else out.push(notFollowed("POST", ends[0]!.url, ends[0]!.end, "XAddr", { soap }));
    break;
  }

  // UPnP: the first LOCATION of a search response or announcement
  for (const text of texts("ssdp")) {
    const location = /^LOCATION[ \t]*:[ \t]*(\S{1,2048})/im.exec(text.slice(0, 8192))?.[1];
    if (!location) continue;
    const end = sameHostEndpoint(location, target.address);
    if (!("hop" in end)) {
      out.push(notFollowed("GET", location, end, "LOCATION", { upnp: "description" }));
      break;
    }
    const { hop } = end;
    const request = { method: "GET", path: hop.path, scheme: hop.scheme, upnp: "description" };
    try {
      out.push({
        protocol: "http",
        port: hop.port,
        request,
        response: await httpRequest(target, hop, { method: "GET" }, io),
      });
    } catch (e) {
      if (io.signal?.aborted) throw e;
      out.push({ protocol: "http", port: hop.port, request, error: errorText(e) });
    }
    break;
  }
  return out;
}

function notFollowed(
  method: string,
  url: string,
  end: { reason: string } | object,
  what: string,
  mark: Record<string, string>,
): ObservationPart {
  const reason = "reason" in end ? String(end.reason) : "refused";
  return {
    protocol: "http",
    request: { method, url: keptUrl(url), ...mark, followed: false },
    error: `not followed: the ${what} ${reason}`,
  };
}
