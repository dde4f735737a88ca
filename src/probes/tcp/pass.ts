import { eachLimited } from "../../shared/concurrency.js";
import { CamsweepError } from "../../shared/errors.js";
import type { PortSpec } from "../../targets/index.js";
import type { Pacer } from "../pacer.js";
import type { PortState } from "./parse.js";
import { connectTcp } from "./probe.js";

export interface PassOptions {
  pacer: Pacer;
  /** connects in flight for this host */
  concurrency: number;
  /** extra attempts for ports that stayed silent (timeouts only: a refusal or an unreachable is an answer) */
  retries: number;
  /** extra attempts, instead, once the host has answered on some port (default: `retries`) */
  upRetries?: number;
  /** ports asked before the host has answered (default 3; 0: all at once, as for a host assumed up) */
  discoveryPorts?: number;
  signal?: AbortSignal;
  /** the connect itself (tests stand in a network that drops SYNs, which loopback cannot) */
  connect?: typeof connectTcp;
}

type Attempt = PortState | "silent";

/** How many ports a host is asked before it has shown it is there. */
export const DISCOVERY_PORTS = 3;

/**
 * The connect pass over one host's ports, which is also the host-discovery pass. A host is asked first on its
 * first few ports only (the camera ports lead the default list); any answer, open or refused, means a host is
 * there, and only then are the rest asked. An address that stays silent costs those few SYNs per round, not
 * one per port: most addresses of a large range hold nothing. Each connect's round trip feeds the pacer, so
 * the next connects, and the next hosts, wait only as long as the network needs. Silent ports are tried
 * again up to `retries` times, or `upRetries` once the host has answered: on a lossy link a host whose one open
 * port lost its SYN twice would otherwise be missed altogether.
 */
export async function connectPass(
  host: string,
  ports: readonly PortSpec[],
  o: PassOptions,
): Promise<Map<number, PortState>> {
  const states = new Map<number, PortState>();
  const answered = () => [...states.values()].some((s) => s !== "filtered");
  const first = o.discoveryPorts ?? DISCOVERY_PORTS;
  let todo = ports.map((p) => p.port);
  for (let round = 0; todo.length > 0; round++) {
    if (round > (answered() ? Math.max(o.retries, o.upRetries ?? o.retries) : o.retries)) break;
    const ask = !answered() && first > 0 ? todo.slice(0, first) : todo;
    const rest = todo.slice(ask.length);
    const silent = await connectRound(host, ask, o, states, round);
    if (rest.length && answered()) silent.push(...(await connectRound(host, rest, o, states, round)));
    else silent.push(...rest);
    todo = silent.sort((a, b) => a - b);
  }
  return states;
}

/**
 * Errors of this machine, not of the target: out of descriptors, buffers or source ports. They say nothing
 * about the port, so they are never recorded as its state: the connect waits and tries again, and if the
 * shortage lasts, the scan stops with the reason rather than report live devices as silent.
 */
const LOCAL_ERRORS = new Set(["EMFILE", "ENFILE", "ENOBUFS", "ENOMEM", "EADDRNOTAVAIL"]);
const LOCAL_RETRIES = 20;

/** Silent ports of one round; each port's state is set in `states`. */
async function connectRound(
  host: string,
  ports: number[],
  o: PassOptions,
  states: Map<number, PortState>,
  round: number,
): Promise<number[]> {
  const silent: number[] = [];
  await eachLimited(ports, o.concurrency, async (port) => {
    const r = await attempt(host, port, o, round);
    if (r === "silent") silent.push(port);
    states.set(port, r === "silent" ? "filtered" : r);
  });
  return silent;
}

async function attempt(host: string, port: number, o: PassOptions, round: number): Promise<Attempt> {
  for (let n = 1; ; n++) {
    try {
      return await connectOnce(host, port, o, round);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "";
      if (!LOCAL_ERRORS.has(code) || o.signal?.aborted) throw e;
      o.pacer.shortage?.(code);
      if (n >= LOCAL_RETRIES)
        throw new CamsweepError(
          `cannot open connections on this machine (${code}) even after waiting; ` +
            "lower --concurrency or --max-rate, or raise the open-file limit (ulimit -n)",
        );
      await new Promise((r) => setTimeout(r, 50 * n));
    }
  }
}

async function connectOnce(host: string, port: number, o: PassOptions, round: number): Promise<Attempt> {
  const release = await o.pacer.open(o.signal);
  const start = performance.now();
  // Each retry waits twice as long as the try before it, as TCP backs off: a late answer gets its chance. The
  // rounds a live host gets beyond `retries` wait as long as the last one: they are for loss, not for delay.
  const timeoutMs = o.pacer.connectTimeoutMs() * 2 ** Math.min(round, o.retries);
  try {
    const connect = o.connect ?? connectTcp;
    const sock = await connect({ host, port, timeoutMs, signal: o.signal });
    o.pacer.sample(performance.now() - start);
    // A reset, not a close: no TIME_WAIT left behind per port, and the device frees its side at once.
    sock.resetAndDestroy();
    return "open";
  } catch (e) {
    if (o.signal?.aborted) throw o.signal.reason;
    const code = (e as NodeJS.ErrnoException).code;
    if (code && LOCAL_ERRORS.has(code)) throw e;
    if (code === "ECONNREFUSED") {
      o.pacer.sample(performance.now() - start);
      return "closed";
    }
    // A reset during connect came after the handshake (a refusal before it is ECONNREFUSED): something
    // accepted and dropped the connection at once. The port is open; whether the reset beats our connect
    // callback is a race, and the port's state must not depend on it.
    if (code === "ECONNRESET") return "open";
    return code === "ETIMEDOUT" ? "silent" : "filtered";
  } finally {
    release();
  }
}
