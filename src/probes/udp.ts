import { createSocket } from "node:dgram";
import ipaddr from "ipaddr.js";
import { probeError } from "./observe.js";

/** Largest datagram we keep (protocols.md §9: cap UDP reads at 64 KiB; real replies are <= 2 KiB). */
export const MAX_DATAGRAM = 64 * 1024;
const MAX_REPLIES = 16;

/**
 * Throws unless `address` is a single unicast host. Discovery here is unicast to the target only;
 * multicast and broadcast would reach devices nobody asked us to scan.
 */
export function assertUnicast(address: string): void {
  let a: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    a = ipaddr.process(address);
  } catch {
    throw probeError("EINVAL", `refusing UDP to "${address}": not an IP address`);
  }
  const r = a.range();
  if (r === "multicast" || r === "broadcast" || r === "unspecified")
    throw probeError("EINVAL", `refusing UDP to ${address}: ${r} destination (unicast only)`);
  if (a.kind() === "ipv4" && (a as ipaddr.IPv4).octets[3] === 255 && address.endsWith(".255")) {
    // Likely a subnet broadcast (x.y.z.255); there is no way to tell it from a host without the netmask.
    throw probeError("EINVAL", `refusing UDP to ${address}: looks like a subnet broadcast address`);
  }
}

export interface UdpOptions {
  /** listen window after sending */
  timeoutMs: number;
  /** once a reply arrived, wait at most this much longer for more (default 250 ms) */
  graceMs?: number;
  signal?: AbortSignal;
}

export interface Datagram {
  data: Buffer;
  /** the datagram was larger than MAX_DATAGRAM and was cut */
  truncated: boolean;
}

/** At most this many replies are kept per exchange (a flood from one address is cut, not buffered). */
export const MAX_REPLIES_PER_EXCHANGE = MAX_REPLIES;

/**
 * Sends one datagram (or a few, in order, from the same socket: SADP's two inquiry forms) to address:port from an
 * ephemeral socket and collects replies that come FROM that address (any source port: devices may answer from
 * another port) during the window.
 */
export async function udpExchange(
  address: string,
  port: number,
  payload: Buffer | readonly Buffer[],
  o: UdpOptions,
): Promise<Datagram[]> {
  const payloads = Buffer.isBuffer(payload) ? [payload] : payload;
  assertUnicast(address);
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(o.signal.reason);
    const family = ipaddr.process(address).kind() === "ipv6" ? "udp6" : "udp4";
    const want = ipaddr.process(address).toString();
    const sock = createSocket({ type: family, recvBufferSize: 256 * 1024 });
    const replies: Datagram[] = [];
    let timer: NodeJS.Timeout | undefined;
    let closed = false;
    const finish = (err?: Error) => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      sock.close();
      if (err) reject(err);
      else resolve(replies);
    };
    const onAbort = () => finish(o.signal?.reason ?? probeError("ABORT_ERR", "aborted", "AbortError"));
    o.signal?.addEventListener("abort", onAbort, { once: true });
    sock.on("error", (e) => finish(e));
    sock.on("message", (msg, rinfo) => {
      let from: string;
      try {
        from = ipaddr.process(rinfo.address).toString();
      } catch {
        return;
      }
      if (from !== want || replies.length >= MAX_REPLIES) return;
      replies.push({
        data: Buffer.from(msg.subarray(0, MAX_DATAGRAM)),
        truncated: msg.length > MAX_DATAGRAM,
      });
      if (replies.length === 1) {
        clearTimeout(timer);
        timer = setTimeout(() => finish(), o.graceMs ?? 250);
      }
    });
    const sendNext = (i: number) => {
      if (closed) return;
      if (i >= payloads.length) {
        if (!replies.length) timer = setTimeout(() => finish(), o.timeoutMs);
        return;
      }
      sock.send(payloads[i] as Buffer, port, want, (err) => (err ? finish(err) : sendNext(i + 1)));
    };
    sock.bind(0, () => sendNext(0));
  });
}
