/**
 * Read-only network probes for one host (the probe set: docs/probes.md).
 * Flow: connect pass over every port (the host-discovery pass: a host that answers nothing is down and gets
 * nothing more) -> each open port's service probes (a few ports at a time, each port's probes in turn, gentle
 * on fragile devices), with unicast discovery alongside (SADP, WS-Discovery, DHIP and its legacy form, SSDP:
 * probes/discovery) -> the requests its replies lead to (ONVIF calls without login, the UPnP description) ->
 * authorized requests when a credential covers the host (probes/auth). Failures become observations with `error`; closed/filtered ports and UDP silence produce none.
 * Aborting the scan rejects with the signal's reason; a port that exceeds its budget is cut and recorded.
 */
import type { Observation } from "../observations/observation.js";
import type { Host, PortSpec } from "../targets/index.js";
import type { CredentialSet } from "../credentials/index.js";
import { probeWithCredentials } from "./auth/index.js";
import { eachLimited } from "../shared/concurrency.js";
import { probeBanner, probeHikSdk } from "./banner/probe.js";
import { discoveryFollowUps } from "./discovery/follow.js";
import { DISCOVERY, type DiscoveryId } from "./discovery/table.js";
import { unicastDiscovery } from "./discovery/unicast.js";
import { probeHttp } from "./http/probe.js";
import { errorText, type ObservationPart, throwIfAborted, timeoutError } from "./observe.js";
import { FIXED_PACE, type Pacer } from "./pacer.js";
import { probeRtsp } from "./rtsp/probe.js";
import { connectPass } from "./tcp/pass.js";
import { probeTls } from "./tls/probe.js";

export interface ProbeOptions {
  ports: PortSpec[];
  /** TCP connect timeout when no pacer adapts it (default 1500) */
  connectTimeoutMs?: number;
  /** idle/read timeout per read; also the UDP listen window (default 3000) */
  readTimeoutMs?: number;
  /** HTTP/RTSP body cap (default 65536); longer bodies are cut and flagged truncated */
  maxBodyBytes?: number;
  /** send the unicast discovery inquiries (SADP, WS-Discovery, DHIP, legacy DHIP, SSDP) to hosts with an open port (default true) */
  udp?: boolean;
  /** treat the host as up even when no port answers: UDP discovery still goes out (nmap's -Pn) */
  assumeUp?: boolean;
  /** parallel TCP connects per host (default 4) */
  portConcurrency?: number;
  /** ports whose service probes run at once (default 1) */
  serviceConcurrency?: number;
  /** extra connect attempts for silent ports (default 0) */
  retries?: number;
  /** extra attempts for silent ports once the host has answered on another (default: retries) */
  upRetries?: number;
  /** the longest one port's probes may take in all (default: 10 x (connect + read)) */
  portBudgetMs?: number;
  /** banner window for ports without a specific probe (default 2000) */
  bannerMs?: number;
  /** the scan's rate, socket and round-trip bookkeeping (default: none, fixed timeouts) */
  pacer?: Pacer;
  /** authorized credentials by scope: a covered host gets its read-only authenticated requests, once */
  credentials?: CredentialSet;
  signal?: AbortSignal;
  /** called for each observation as soon as it is made */
  onObservation?: (o: Observation) => void;
}

export interface HostProbeResult {
  address: string;
  hostname?: string;
  openPorts: number[];
  /** some port answered (open or closed): the address holds a host */
  up: boolean;
  observations: Observation[];
}

export const PROBE_DEFAULTS = {
  connectTimeoutMs: 1500,
  readTimeoutMs: 3000,
  maxBodyBytes: 65536,
  udp: true,
  assumeUp: false,
  portConcurrency: 4,
  serviceConcurrency: 1,
  retries: 0,
  bannerMs: 2000,
} as const;

/** A host after its connect pass: which ports are open, and whether anything answered at all. */
export interface DiscoveredHost {
  host: Host;
  open: PortSpec[];
  up: boolean;
  /**
   * What the host already said to local discovery (multicast replies, announcements): kept with its
   * observations, not asked again by unicast, and a reason to probe it even when no TCP port is open.
   */
  heard?: Observation[];
}

/** One host, whole: the connect pass, then its services. */
export async function probeHost(host: Host, opts: ProbeOptions): Promise<HostProbeResult> {
  return probeServices(await discoverHost(host, opts), opts);
}

/** The connect pass alone (host discovery and port states). Nothing but SYNs and resets. */
export async function discoverHost(host: Host, opts: ProbeOptions): Promise<DiscoveredHost> {
  const o = withDefaults(opts);
  throwIfAborted(o.signal);
  const states = await connectPass(host.address, o.ports, {
    pacer: o.pacer ?? FIXED_PACE(o.connectTimeoutMs),
    concurrency: o.portConcurrency,
    retries: o.retries,
    ...(o.upRetries !== undefined ? { upRetries: o.upRetries } : {}),
    // Assumed up: every port is asked at once, not the first few to see whether anything is there.
    ...(o.assumeUp ? { discoveryPorts: 0 } : {}),
    signal: o.signal,
  });
  const open = o.ports.filter((p) => states.get(p.port) === "open");
  return { host, open, up: open.length > 0 || [...states.values()].some((s) => s === "closed") };
}

/** Everything after the connect pass: UDP discovery, each open port's probes, authorized requests. */
export async function probeServices(d: DiscoveredHost, opts: ProbeOptions): Promise<HostProbeResult> {
  const o = withDefaults(opts);
  const { signal } = o;
  const { host, open, up } = d;
  const heard = d.heard ?? [];
  const pacer = o.pacer ?? FIXED_PACE(o.connectTimeoutMs);
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
  const result = (): HostProbeResult => ({
    address,
    ...(host.hostname ? { hostname: host.hostname } : {}),
    openPorts: open.map((p) => p.port),
    up,
    observations,
  });
  for (const h of heard) observations.push(h);
  if (open.length === 0 && !o.assumeUp && heard.length === 0) return result();
  throwIfAborted(signal);

  // A protocol the host answered on its link is not asked again by unicast.
  const answered = new Set(heard.filter((h) => h.response).map((h) => discoveryIdOf(h)));
  const protocols = DISCOVERY.map((p) => p.id).filter((id) => !answered.has(id));

  // unicast discovery listens in the background while the services are probed (a socket slot per exchange)
  const udp =
    o.udp && protocols.length
      ? unicastDiscovery(address, {
          timeoutMs: o.readTimeoutMs,
          signal,
          protocols,
          slot: (run) => withSlot(pacer, signal, run),
        })
      : undefined;
  udp?.catch(() => undefined); // awaited below; never an unhandled rejection if TCP fails first

  // service probes, a few ports at a time, each within its budget
  // The host is known to be there: its services get at least the option's connect timeout, not only the few
  // round trips that decide whether an address holds anything (a busy device accepts late, and an HTTP request's
  // deadline is connect + read).
  const connectTimeoutMs = Math.max(pacer.connectTimeoutMs(), o.connectTimeoutMs);
  const budgetMs = o.portBudgetMs ?? 10 * (connectTimeoutMs + o.readTimeoutMs);
  await eachLimited(open, o.serviceConcurrency, async (p) => {
    throwIfAborted(signal);
    const spent = await budgeted(pacer, signal, budgetMs, (portSignal) =>
      probePort(host, p, { ...o, connectTimeoutMs, signal: portSignal }, record),
    );
    if (spent)
      record({
        protocol: p.service === "rtsp" ? "rtsp" : p.service.startsWith("http") ? "http" : "banner",
        port: p.port,
        error: errorText(timeoutError(`port budget of ${budgetMs} ms spent; its remaining probes skipped`)),
      });
  });

  // the discovery replies, then what they lead to: only URLs on this very address (probes/discovery/follow.ts)
  const target = host.hostname ? { address, hostname: host.hostname } : { address };
  if (udp || heard.length) {
    const fresh = udp ? await udp : [];
    record(fresh);
    throwIfAborted(signal);
    const parts: ObservationPart[] = [...heard, ...fresh];
    if (parts.some((p) => (p.protocol === "onvif-probe" || p.protocol === "ssdp") && p.response)) {
      const spent = await budgeted(pacer, signal, budgetMs, (followSignal) =>
        discoveryFollowUps(target, parts, {
          connectTimeoutMs,
          readTimeoutMs: o.readTimeoutMs,
          maxBodyBytes: o.maxBodyBytes,
          signal: followSignal,
        }).then(record),
      );
      if (spent)
        record({
          protocol: "http",
          error: errorText(timeoutError(`discovery follow-up budget of ${budgetMs} ms spent`)),
        });
    }
  }
  throwIfAborted(signal);

  // authorized requests, planned from everything the host said so far
  const credentials = o.credentials;
  if (credentials?.for(address))
    await budgeted(pacer, signal, budgetMs, (authSignal) =>
      probeWithCredentials(
        host.hostname ? { address, hostname: host.hostname } : { address },
        observations,
        credentials,
        {
          connectTimeoutMs,
          readTimeoutMs: o.readTimeoutMs,
          maxBodyBytes: o.maxBodyBytes,
          signal: authSignal,
        },
        record,
      ).then(() => undefined),
    );
  return result();
}

type PortRunOptions = Required<
  Pick<ProbeOptions, "connectTimeoutMs" | "readTimeoutMs" | "maxBodyBytes" | "bannerMs">
> & {
  signal: AbortSignal;
};

/** One open port's probes, in turn. */
async function probePort(
  host: Host,
  { port, service }: PortSpec,
  o: PortRunOptions,
  record: (p: ObservationPart | ObservationPart[]) => void,
): Promise<void> {
  const address = host.address;
  const io = {
    connectTimeoutMs: o.connectTimeoutMs,
    readTimeoutMs: o.readTimeoutMs,
    maxBodyBytes: o.maxBodyBytes,
    signal: o.signal,
  };
  const target = host.hostname ? { address, hostname: host.hostname } : { address };
  switch (service) {
    case "http":
      await probeHttp(target, port, "http", io, undefined, record);
      break;
    case "https":
      record(
        await probeTls(address, port, { ...io, ...(host.hostname ? { servername: host.hostname } : {}) }),
      );
      throwIfAborted(o.signal);
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

/** The discovery protocol an observation answered (legacy DHIP is told apart by its port). */
function discoveryIdOf(o: Pick<Observation, "protocol" | "port">): DiscoveryId | undefined {
  switch (o.protocol) {
    case "sadp":
      return "sadp";
    case "onvif-probe":
      return "wsd";
    case "ssdp":
      return "ssdp";
    case "dahua-dhip":
      return o.port === 5050 ? "dhip-legacy" : "dhip";
    default:
      return undefined;
  }
}

/** Runs `run` holding one of the scan's socket slots (and a rate token). */
async function withSlot<T>(pacer: Pacer, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  const release = await pacer.open(signal);
  try {
    return await run();
  } finally {
    release();
  }
}

/**
 * Runs `run` in a slot, with a signal that also aborts when `budgetMs` is spent. True when the budget ran out
 * (what was recorded until then stays); the scan's own abort and every other failure still throw.
 */
function budgeted(
  pacer: Pacer,
  signal: AbortSignal | undefined,
  budgetMs: number,
  run: (signal: AbortSignal) => Promise<void>,
): Promise<boolean> {
  return withSlot(pacer, signal, async () => {
    const budget = AbortSignal.timeout(budgetMs);
    try {
      await run(signal ? AbortSignal.any([signal, budget]) : budget);
      return false;
    } catch (e) {
      if (signal?.aborted || !budget.aborted) throw e;
      return true;
    }
  });
}

function withDefaults(opts: ProbeOptions) {
  return { ...PROBE_DEFAULTS, ...stripUndefined(opts), ports: opts.ports };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export { assertUnicast } from "./udp.js";
export { HTTP_PROBES } from "./http/requests.js";
export { sadpInquiry, SADP_PORT } from "./sadp/parse.js";
export { dhipFrame, splitDhip, DHIP_PORT } from "./dhip/parse.js";
export { DISCOVERY, discoveryProtocol, OBSERVED_AS } from "./discovery/table.js";
export type { DiscoveryId, DiscoveryProtocol, InquiryDestination } from "./discovery/table.js";
export { unicastDiscovery } from "./discovery/unicast.js";
export { discoveryFollowUps } from "./discovery/follow.js";
export type { PortState } from "./tcp/parse.js";
export { tcpState } from "./tcp/probe.js";
export { DISCOVERY_PORTS } from "./tcp/pass.js";
export type { Pacer } from "./pacer.js";
