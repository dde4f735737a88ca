import { HTTP_PROBES } from "../probes/index.js";
import type { PortSpec, Service } from "../targets/index.js";
import type { Timing } from "./timing.js";

/** What a scan would send, counted before anything is sent (`scan --dry-run`). */
export interface ScanPlan {
  hosts: number;
  ports: PortSpec[];
  timing: Timing;
  /** the connect pass: one SYN per host and port, more for silent ports when retries are allowed */
  connects: { first: number; atMost: number };
  /** per host with an open port, at most */
  perLiveHost: { datagrams: number; requests: number };
  /** the connect pass alone, at the rate limit (a lower bound on its time) */
  minSeconds: number;
}

// Requests each service's probes send at most (docs/probes.md): HTTP follows up to 2 redirects on GET /;
// HTTPS adds its handshake; RTSP sends OPTIONS and DESCRIBE; the SDK ports send one frame or nothing.
const REQUESTS: Record<Service, number> = {
  http: HTTP_PROBES.length + 2,
  https: HTTP_PROBES.length + 3,
  rtsp: 2,
  "hik-sdk": 1,
  "dahua-sdk": 0,
  tcp: 0,
};

export function planScan(hosts: number, ports: PortSpec[], timing: Timing, udp: boolean): ScanPlan {
  const first = hosts * ports.length;
  const atMost = first * (1 + timing.retries);
  return {
    hosts,
    ports,
    timing,
    connects: { first, atMost },
    perLiveHost: {
      datagrams: udp ? 2 : 0,
      requests: ports.reduce((n, p) => n + REQUESTS[p.service], 0),
    },
    minSeconds: first / timing.maxRate,
  };
}
