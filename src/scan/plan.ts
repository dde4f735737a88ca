import { DISCOVERY_PORTS, HTTP_PROBES } from "../probes/index.js";
import { DISCOVERY } from "../probes/discovery/table.js";
import type { PortSpec, Service } from "../targets/index.js";
import type { Timing } from "./timing.js";

/** What a scan would send, counted before anything is sent (`scan --dry-run`). */
export interface ScanPlan {
  hosts: number;
  ports: PortSpec[];
  timing: Timing;
  /**
   * The connect pass: `discovery` SYNs to find the hosts (the first few ports of each address), up to
   * `atMost` when retries re-ask silent ones, and `perLiveHost` more for each host found.
   */
  connects: { discovery: number; atMost: number; perLiveHost: number };
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

/** One inquiry of each discovery protocol, as the unicast pass sends them (SADP sends two forms). */
const UNICAST_DATAGRAMS = DISCOVERY.reduce((n, p) => n + p.inquiry().length, 0);

export function planScan(
  hosts: number,
  ports: PortSpec[],
  timing: Timing,
  udp: boolean,
  assumeUp = false,
): ScanPlan {
  const asked = assumeUp ? ports.length : Math.min(DISCOVERY_PORTS, ports.length);
  const discovery = hosts * asked;
  return {
    hosts,
    ports,
    timing,
    connects: {
      discovery,
      atMost: hosts * ports.length * (1 + Math.max(timing.retries, timing.upRetries)),
      perLiveHost: ports.length - asked,
    },
    perLiveHost: {
      datagrams: udp ? UNICAST_DATAGRAMS : 0,
      requests: ports.reduce((n, p) => n + REQUESTS[p.service], 0),
    },
    minSeconds: discovery / timing.maxRate,
  };
}
