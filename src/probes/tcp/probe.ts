import { Socket } from "node:net";
import { probeError, timeoutError } from "../observe.js";
import { type PortState, stateFromError } from "./parse.js";

export interface ConnectOptions {
  host: string;
  port: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Opens a TCP connection or rejects (timeout, refused, aborted). The socket never outlives a failure. */
export function connectTcp({ host, port, timeoutMs, signal }: ConnectOptions): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const sock = new Socket();
    let settled = false;
    const done = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      sock.removeListener("error", done);
      if (err) {
        sock.destroy();
        reject(err);
      } else resolve(sock);
    };
    const onAbort = () => done(signal?.reason ?? probeError("ABORT_ERR", "aborted", "AbortError"));
    // The timeout is decided after the I/O that is already waiting: when the event loop was held up, timers run
    // before pending I/O, and a connect that had completed would be taken for silence.
    const timer = setTimeout(
      () =>
        setImmediate(() => done(timeoutError(`connect to ${host}:${port} timed out after ${timeoutMs} ms`))),
      timeoutMs,
    );
    signal?.addEventListener("abort", onAbort, { once: true });
    sock.once("error", done);
    sock.connect({ host, port }, () => done());
  });
}

/** Connect-scan one port. Closes the socket at once; a connect is all it sends. */
export async function tcpState(opts: ConnectOptions): Promise<PortState> {
  try {
    const s = await connectTcp(opts);
    s.destroy();
    return "open";
  } catch (e) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    return stateFromError(e);
  }
}
