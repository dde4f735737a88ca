import { UsageError } from "../shared/errors.js";
import { TIMINGS as TIMING_NAMES, type Timing as TimingName } from "../shared/wire/lists.js";

/**
 * Timing profiles, after nmap's -T templates: how many hosts and sockets at once, how fast new connections
 * and datagrams may go out, and how long silence is waited for. T2 is for fragile devices and thin links,
 * T5 for a fast local network that can take it. Explicit flags override a profile's values.
 */
export interface Timing {
  name: TimingName;
  /** addresses being asked whether anything is there, at once (a few SYNs each) */
  discoveryHosts: number;
  /** hosts found whose services are probed at once */
  hosts: number;
  /** TCP connects in flight per host (the discovery and port pass) */
  perHostConnects: number;
  /** ports whose service probes run at once per host (1: one port at a time, gentlest) */
  perHostServices: number;
  /** new connections + datagrams per second, whole scan */
  maxRate: number;
  /** connect timeout before any round trip was measured */
  initialRttMs: number;
  /** bounds of the adaptive connect timeout (srtt + 4 x rttvar) */
  minRttMs: number;
  maxRttMs: number;
  /** extra connect attempts for a port that stayed silent */
  retries: number;
  /**
   * extra attempts for silent ports of a host that has answered on another port: it is there, so silence is
   * more likely a lost packet than an empty address (nmap keeps retransmitting to live hosts the same way)
   */
  upRetries: number;
  /** idle read timeout per reply; also the UDP listen window */
  readTimeoutMs: number;
  /** longest any one port's probes may take in all (a device dripping bytes cannot hold a slot longer) */
  portBudgetMs: number;
}

export { TIMING_NAMES, type TimingName };

// nmap's templates for reference (nmap.org/book/performance-timing-templates.html): T4 initial-rtt 500 ms,
// max-rtt 1250 ms, max-retries 6; T5 initial 250 ms, max 300 ms, retries 2. Ours retry less, so they wait longer
// at the least: a queue on the way (a burst of SYNs meets one as it does a router's) delays a SYN-ACK past
// 100 ms on a 20 ms link, and a host whose few discovery SYNs all time out is missed. Waiting is cheap: silent
// connects wait in parallel, and a scan's pace is set by its rate and CPU, not by these timeouts.
export const TIMINGS: Record<TimingName, Timing> = {
  T2: {
    name: "T2",
    discoveryHosts: 64,
    hosts: 16,
    perHostConnects: 1,
    perHostServices: 1,
    maxRate: 50,
    initialRttMs: 1000,
    minRttMs: 500,
    maxRttMs: 10000,
    retries: 2,
    upRetries: 4,
    readTimeoutMs: 5000,
    portBudgetMs: 90_000,
  },
  T3: {
    name: "T3",
    discoveryHosts: 1024,
    hosts: 128,
    perHostConnects: 4,
    perHostServices: 1,
    maxRate: 1000,
    initialRttMs: 1000,
    minRttMs: 300,
    maxRttMs: 5000,
    retries: 1,
    upRetries: 3,
    readTimeoutMs: 3000,
    portBudgetMs: 45_000,
  },
  T4: {
    name: "T4",
    discoveryHosts: 4096,
    hosts: 512,
    perHostConnects: 8,
    perHostServices: 2,
    maxRate: 10000,
    initialRttMs: 500,
    minRttMs: 250,
    maxRttMs: 1250,
    retries: 1,
    upRetries: 3,
    readTimeoutMs: 2000,
    portBudgetMs: 20_000,
  },
  T5: {
    name: "T5",
    discoveryHosts: 8192,
    hosts: 2048,
    perHostConnects: 16,
    perHostServices: 4,
    maxRate: 50000,
    initialRttMs: 250,
    minRttMs: 100,
    maxRttMs: 300,
    retries: 0,
    upRetries: 1,
    readTimeoutMs: 1000,
    portBudgetMs: 8_000,
  },
};

export const DEFAULT_TIMING: TimingName = "T3";

/** Overrides a user may set on top of a profile. A fixed connect timeout turns adaptation off. */
export interface TimingOverrides {
  hosts?: number;
  maxRate?: number;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  retries?: number;
}

export function timing(name: string = DEFAULT_TIMING, o: TimingOverrides = {}): Timing {
  const base = TIMINGS[name.toUpperCase() as TimingName];
  if (!base) throw new UsageError(`unknown timing profile "${name}" (use ${TIMING_NAMES.join(", ")})`);
  const fixed = o.connectTimeoutMs;
  return {
    ...base,
    // Fewer hosts probed at once asks fewer addresses at once too, in the profile's proportion.
    ...(o.hosts !== undefined
      ? {
          hosts: o.hosts,
          discoveryHosts: Math.max(1, Math.round((o.hosts * base.discoveryHosts) / base.hosts)),
        }
      : {}),
    ...(o.maxRate !== undefined ? { maxRate: o.maxRate } : {}),
    ...(o.readTimeoutMs !== undefined ? { readTimeoutMs: o.readTimeoutMs } : {}),
    // --max-retries caps every host's attempts, as nmap's does.
    ...(o.retries !== undefined ? { retries: o.retries, upRetries: o.retries } : {}),
    ...(fixed !== undefined ? { initialRttMs: fixed, minRttMs: fixed, maxRttMs: fixed } : {}),
  };
}
