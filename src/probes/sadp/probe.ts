import { errorText, type ObservationPart } from "../observe.js";
import { udpExchange } from "../udp.js";
import { SADP_PORT, sadpInquiry, sadpResponse } from "./parse.js";

export interface SadpOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** destination port; 37020 except in tests */
  port?: number;
}

/**
 * Unicast SADP inquiry to one address. One observation per reply datagram; silence gives none
 * (like a closed port: UDP has no other "no" answer). Socket failures give an error observation.
 */
export async function probeSadp(address: string, o: SadpOptions): Promise<ObservationPart[]> {
  const port = o.port ?? SADP_PORT;
  const payload = sadpInquiry();
  const request = { payload };
  try {
    const replies = await udpExchange(address, port, Buffer.from(payload, "utf8"), {
      timeoutMs: o.timeoutMs,
      signal: o.signal,
    });
    return replies.map((r) => ({
      protocol: "sadp" as const,
      port,
      request,
      response: sadpResponse(r.data, r.truncated),
    }));
  } catch (e) {
    if (o.signal?.aborted) throw e;
    return [{ protocol: "sadp", port, request, error: errorText(e) }];
  }
}
