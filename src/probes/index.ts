/**
 * Read-only network probes for one host (the probe set: docs/probes.md).
 * Flow: TCP connect every port (bounded concurrency) -> each open port's probes, one at a time
 * (gentle on fragile devices); unicast SADP + DHIP once, alongside. Failures become observations with `error`;
 * closed/filtered ports and UDP silence produce none. Aborting rejects with the signal's reason.
 */
import type { Observation } from "../observations/observation.js";
import type { Host, PortSpec } from "../targets/index.js";
import { probeBanner, probeHikSdk } from "./banner/probe.js";
import { probeDhip } from "./dhip/probe.js";
import { probeHttp } from "./http/probe.js";
import { type ObservationPart, throwIfAborted } from "./observe.js";
import { probeRtsp } from "./rtsp/probe.js";
import { probeSadp } from "./sadp/probe.js";
import { tcpState } from "./tcp/probe.js";
import { probeTls } from "./tls/probe.js";

export interface ProbeOptions {
  ports: PortSpec[];
  /** TCP connect timeout (default 1500) */
  connectTimeoutMs?: number;
  /** idle/read timeout per read; also the UDP listen window (default 3000) */
  readTimeoutMs?: number;
  /** HTTP/RTSP body cap (default 65536); longer bodies are cut and flagged truncated */
  maxBodyBytes?: number;
  /** send unicast SADP + DHIP (default true) */
  udp?: boolean;
  /** parallel TCP connects per host (default 4) */
  portConcurrency?: number;
  /** banner window for ports without a specific probe (default 2000) */
  bannerMs?: number;
  signal?: AbortSignal;
  /** called for each observation as soon as it is made */
  onObservation?: (o: Observation) => void;
}

export interface HostProbeResult {
  address: string;
  hostname?: string;
  openPorts: number[];
  observations: Observation[];
}

export const PROBE_DEFAULTS = {
  connectTimeoutMs: 1500,
  readTimeoutMs: 3000,
  maxBodyBytes: 65536,
  udp: true,
  portConcurrency: 4,
  bannerMs: 2000,
} as const;

export async function probeHost(host: Host, opts: ProbeOptions): Promise<HostProbeResult> {
  const o = { ...PROBE_DEFAULTS, ...stripUndefined(opts), ports: opts.ports };
  const { signal } = o;
  const address = host.address;
  const observations: Observation[] = [];
  const record = (parts: ObservationPart | ObservationPart[]) => {
    for (const p of Array.isArray(parts) ? parts : [parts]) {
      if (signal?.aborted) return; // nothing half-made after cancellation
      const obs = { target: address, ...p, time: new Date().toISOString() } as Observation;
      observations.push(obs);
      o.onObservation?.(obs);
    }
  };
  throwIfAborted(signal);

  // 0. unicast discovery (two tiny datagrams) listens in the background while TCP runs: same packets,
  // but the listen window no longer adds to every host's time. Recorded after the TCP observations.
  const udp = o.udp
    ? Promise.all([
        probeSadp(address, { timeoutMs: o.readTimeoutMs, signal }),
        probeDhip(address, { timeoutMs: o.readTimeoutMs, signal }),
      ])
    : undefined;
  udp?.catch(() => undefined); // awaited below; never an unhandled rejection if TCP fails first

  // 1. connect scan
  const states = new Map<number, string>();
  const queue = [...o.ports];
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      throwIfAborted(signal);
      states.set(
        p.port,
        await tcpState({ host: address, port: p.port, timeoutMs: o.connectTimeoutMs, signal }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.portConcurrency, queue.length)) }, worker));
  const open = o.ports.filter((p) => states.get(p.port) === "open");

  // 2. service probes, one port at a time
  const io = {
    connectTimeoutMs: o.connectTimeoutMs,
    readTimeoutMs: o.readTimeoutMs,
    maxBodyBytes: o.maxBodyBytes,
    signal,
  };
  const target = host.hostname ? { address, hostname: host.hostname } : { address };
  for (const { port, service } of open) {
    throwIfAborted(signal);
    switch (service) {
      case "http":
        await probeHttp(target, port, "http", io, undefined, record);
        break;
      case "https":
        record(
          await probeTls(address, port, { ...io, ...(host.hostname ? { servername: host.hostname } : {}) }),
        );
        throwIfAborted(signal);
        await probeHttp(target, port, "https", io, undefined, record);
        break;
      case "rtsp":
        record(await probeRtsp(address, port, io));
        break;
      case "hik-sdk":
        record(await probeHikSdk(address, port, io));
        break;
      case "dahua-sdk":
      case "tcp":
        record(await probeBanner(address, port, { ...io, bannerMs: o.bannerMs }));
        break;
    }
  }

  // 3. the discovery replies
  if (udp) {
    const [sadp, dhip] = await udp;
    record(sadp);
    record(dhip);
  }
  throwIfAborted(signal);

  return {
    address,
    ...(host.hostname ? { hostname: host.hostname } : {}),
    openPorts: open.map((p) => p.port),
    observations,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export { assertUnicast } from "./udp.js";
export { HTTP_PROBES } from "./http/requests.js";
export { sadpInquiry, SADP_PORT } from "./sadp/parse.js";
export { dhipFrame, splitDhip, DHIP_PORT } from "./dhip/parse.js";
export type { PortState } from "./tcp/parse.js";
export { tcpState } from "./tcp/probe.js";
