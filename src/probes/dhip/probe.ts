import { errorText, type ObservationPart } from "../observe.js";
import { udpExchange } from "../udp.js";
import { DHIP_PORT, dhipFrame } from "./parse.js";

export interface DhipOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** destination port; 37810 except in tests */
  port?: number;
}

/** Unicast DHIP search to one address; one observation per reply (whole datagram, base64). Silence gives none. */
export async function probeDhip(address: string, o: DhipOptions): Promise<ObservationPart[]> {
  const port = o.port ?? DHIP_PORT;
  const frame = dhipFrame();
  const request = { payload: frame.toString("base64") };
  try {
    const replies = await udpExchange(address, port, frame, { timeoutMs: o.timeoutMs, signal: o.signal });
    return replies.map((r) => ({
      protocol: "dahua-dhip" as const,
      port,
      request,
      response: {
        raw: r.data.toString("base64"),
        encoding: "base64" as const,
        ...(r.truncated ? { truncated: true } : {}),
      },
    }));
  } catch (e) {
    if (o.signal?.aborted) throw e;
    return [{ protocol: "dahua-dhip", port, request, error: errorText(e) }];
  }
}
