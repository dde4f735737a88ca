import { failedOnReusedSocket, KeepAlive } from "../http/keepalive.js";
import type { Hop } from "../http/parse.js";
import { httpRequest, type HttpOptions, type HttpTarget } from "../http/probe.js";
import { errorText, type ObservationPart } from "../observe.js";
import { PRE_AUTH_CALLS, SOAP_CONTENT_TYPE } from "./soap.js";

/**
 * GetServices then GetSystemDateAndTime, no credentials, on one kept-alive connection to the device service. Each
 * becomes an `http` observation (request {method: "POST", path, scheme, soap}); a failure is recorded and, when it is
 * a timeout, the second call is skipped (a tarpit gets one request's wait, not two).
 */
export async function onvifPreAuth(
  target: HttpTarget,
  hop: Hop,
  io: HttpOptions,
): Promise<ObservationPart[]> {
  const out: ObservationPart[] = [];
  const session = new KeepAlive();
  const send = async (body: string) => {
    const req = { method: "POST", body, headers: { "Content-Type": SOAP_CONTENT_TYPE } };
    try {
      return await httpRequest(target, hop, req, { ...io, agent: session.agentFor(hop) });
    } catch (e) {
      if (!failedOnReusedSocket(e) || io.signal?.aborted) throw e;
      return httpRequest(target, hop, req, { ...io, agent: session.agentFor(hop) });
    }
  };
  try {
    for (const call of PRE_AUTH_CALLS) {
      const request = { method: "POST", path: hop.path, scheme: hop.scheme, soap: call.soap };
      try {
        out.push({ protocol: "http", port: hop.port, request, response: await send(call.body) });
      } catch (e) {
        if (io.signal?.aborted) throw e;
        const error = errorText(e);
        out.push({ protocol: "http", port: hop.port, request, error });
        if (error.startsWith("timeout")) break;
      }
    }
  } finally {
    session.close();
  }
  return out;
}
