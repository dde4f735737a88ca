import { errorText, type ObservationPart } from "../observe.js";
import { udpExchange } from "../udp.js";
import type { DiscoveryId, DiscoveryProtocol } from "./protocol.js";
import { DISCOVERY, OBSERVED_AS } from "./table.js";

export interface UnicastOptions {
  /** listen window after sending (each exchange waits at most this long for its first reply) */
  timeoutMs: number;
  signal?: AbortSignal;
  /** which protocols (default: all of DISCOVERY) */
  protocols?: readonly DiscoveryId[];
  /** destination port per protocol; the table's port except in tests */
  ports?: Partial<Record<DiscoveryId, number>>;
  /** wraps each exchange (one socket, one inquiry): the scan holds one of its socket slots for it */
  slot?: <T>(run: () => Promise<T>) => Promise<T>;
}

/** What was sent, as recorded: text when the datagram is printable, base64 otherwise (binary frames). */
function payloadOf(d: Buffer): { text: string; binary: boolean } {
  const latin = d.toString("latin1");
  return /^[\t\r\n\x20-\x7e]*$/.test(latin)
    ? { text: latin, binary: false }
    : { text: d.toString("base64"), binary: true };
}

export function requestOf(datagrams: readonly Buffer[]): Record<string, unknown> {
  const p = datagrams.map(payloadOf);
  return {
    payload: p.length === 1 ? p[0]?.text : p.map((x) => x.text),
    ...(p.some((x) => x.binary) ? { encoding: "base64" } : {}),
  };
}

/**
 * One protocol's inquiry to one address, unicast (never a group or broadcast: udpExchange refuses them), and the
 * replies that come from that address and are this protocol's. Silence gives nothing, like a closed port; a
 * socket failure or a refused destination gives one error observation.
 */
export async function exchangeWith(
  address: string,
  entry: DiscoveryProtocol,
  o: Omit<UnicastOptions, "protocols" | "slot">,
): Promise<ObservationPart[]> {
  const port = o.ports?.[entry.id] ?? entry.port;
  let datagrams: Buffer[];
  let request: Record<string, unknown> = {};
  try {
    datagrams = entry.inquiry({ address, port, multicast: false });
    request = requestOf(datagrams);
    const replies = await udpExchange(address, port, datagrams, { timeoutMs: o.timeoutMs, signal: o.signal });
    const out: ObservationPart[] = [];
    for (const r of replies) {
      const part = entry.observe(r.data, r.truncated);
      if (part) out.push({ ...part, port, request });
    }
    return out;
  } catch (e) {
    if (o.signal?.aborted) throw e;
    return [{ protocol: OBSERVED_AS[entry.id], port, request, error: errorText(e) }];
  }
}

/**
 * Every discovery protocol's inquiry to one address at once (each on its own socket, each one inquiry), the replies
 * as observations in table order. Follow-up requests (ONVIF, the UPnP description) are discoveryFollowUps' job.
 */
export async function unicastDiscovery(address: string, o: UnicastOptions): Promise<ObservationPart[]> {
  const entries = o.protocols ? DISCOVERY.filter((d) => o.protocols?.includes(d.id)) : DISCOVERY;
  const slot = o.slot ?? (<T>(run: () => Promise<T>) => run());
  const results = await Promise.all(entries.map((e) => slot(() => exchangeWith(address, e, o))));
  return results.flat();
}
