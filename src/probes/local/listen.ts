import { createHash } from "node:crypto";
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import type { Observation } from "../../observations/observation.js";
import type { DiscoveryId, DiscoveryProtocol } from "../discovery/protocol.js";
import { errorText } from "../observe.js";
import { DEFAULT_CAPS, RateGate, Tally, type Caps } from "./caps.js";
import { cut, plainAddress, waitFor } from "./receive.js";
import { type Family, familyPlans } from "./groups.js";
import { type InterfaceTable, type LocalInterface, onLink, resolveInterface } from "./interface.js";

/**
 * Passive listening: what devices announce by themselves (ONVIF Hello, SSDP NOTIFY, SADP and DHIP traffic) on
 * one interface, recorded as observations, with nothing sent. This module never sends a datagram: it imports no
 * sending helper and calls no send(); the namespace test counts the UDP packets leaving the listener (zero).
 * Joining a group makes the kernel send IGMP (IPv4) or MLD (IPv6) membership reports: that is the only thing
 * that leaves the host, and it is not UDP.
 *
 * Each protocol's port is bound on the wildcard address with SO_REUSEADDR (another listener such as an SSDP
 * daemon may hold it too), and its groups joined on the named interface. Node cannot tell on which interface a
 * datagram arrived (no IP_PKTINFO), so a datagram to that port arriving on another interface is heard too; each
 * observation says whether its source lies on the named interface's subnets (`onLink`).
 */
export interface ListenOptions extends Partial<Caps> {
  interface: string;
  durationMs: number;
  protocols: readonly DiscoveryProtocol[];
  signal?: AbortSignal;
  /** each observation as it is kept */
  onObservation?: (o: Observation, protocol: DiscoveryId) => void;
  /** once every socket is bound and its groups joined (or has failed) */
  onListening?: (listening: Listening[], failed: ListenFailure[]) => void;
  /** datagrams per source per second considered; the rest dropped before parsing (default 20) */
  perSecond?: number;
  interfaces?: InterfaceTable;
}

export interface Listening {
  protocol: DiscoveryId;
  family: Family;
  port: number;
  group?: string;
}

export interface ListenFailure extends Listening {
  error: string;
}

export interface ListenResult {
  interface: LocalInterface;
  /** kept observations, in arrival order (at most maxReplies) */
  observations: Observation[];
  listening: Listening[];
  /** protocols that could not listen (port held without SO_REUSEADDR, group not joinable); the others went on */
  failed: ListenFailure[];
  skipped: string[];
  ignored: number;
  /** over a cap or the per-source rate */
  dropped: number;
  /** the same datagram again from the same source (announcements repeat): counted, not kept twice */
  repeats: number;
  interrupted: boolean;
}

/** Distinct datagrams kept per source and protocol over the whole listen; repeats are not counted here. */
const DEFAULT_PER_SOURCE = 64;
const DEFAULT_PER_SECOND = 20;

export async function listen(o: ListenOptions): Promise<ListenResult> {
  const iface = resolveInterface(o.interface, o.interfaces);
  // Per source: distinct datagrams only (an announcement repeated every 30 s is one piece of evidence).
  const tally = new Tally({
    ...DEFAULT_CAPS,
    maxPerSource: o.maxPerSource ?? DEFAULT_PER_SOURCE,
    ...(o.maxReplies !== undefined ? { maxReplies: o.maxReplies } : {}),
    ...(o.maxBytes !== undefined ? { maxBytes: o.maxBytes } : {}),
  });
  const gate = new RateGate(o.perSecond ?? DEFAULT_PER_SECOND);
  const seen = new Set<string>();
  const result: ListenResult = {
    interface: iface,
    observations: [],
    listening: [],
    failed: [],
    skipped: [],
    ignored: 0,
    dropped: 0,
    repeats: 0,
    interrupted: false,
  };
  const sockets: Socket[] = [];
  const onMessage = (p: DiscoveryProtocol, at: Listening) => (msg: Buffer, rinfo: RemoteInfo) => {
    const address = plainAddress(rinfo.address);
    if (!gate.allow(address)) {
      tally.dropped++;
      return;
    }
    const { data, truncated } = cut(msg);
    const digest = createHash("sha256").update(`${p.id}|${address}|`).update(data).digest("base64");
    if (seen.has(digest)) {
      result.repeats++;
      return;
    }
    const part = tally.take(p, address, data, truncated);
    if (!part) return;
    seen.add(digest);
    const obs: Observation = {
      ...part,
      target: address,
      port: part.port ?? p.port,
      request: {
        ...(part.request ?? {}),
        listened: true,
        interface: iface.name,
        ...(at.group ? { group: at.group } : {}),
        port: p.port,
        sourcePort: rinfo.port,
        onLink: onLink(iface, address),
      },
      time: new Date().toISOString(),
    };
    result.observations.push(obs);
    o.onObservation?.(obs, p.id);
  };

  try {
    if (o.signal?.aborted) return { ...result, interrupted: true };
    for (const p of o.protocols) {
      const { plans, skipped } = familyPlans(p, iface);
      result.skipped.push(...skipped);
      for (const plan of plans) {
        const at: Listening = {
          protocol: p.id,
          family: plan.family,
          port: p.port,
          ...(plan.group ? { group: plan.group } : {}),
        };
        try {
          const sock = await openListener(iface, at);
          sockets.push(sock);
          sock.on("message", onMessage(p, at));
          result.listening.push(at);
        } catch (e) {
          result.failed.push({ ...at, error: errorText(e) });
        }
      }
    }
    o.onListening?.(result.listening, result.failed);
    if (result.listening.length) await waitFor(o.durationMs, o.signal);
    result.interrupted = !!o.signal?.aborted;
  } finally {
    for (const s of sockets) s.close();
  }
  result.ignored = tally.ignored;
  result.dropped = tally.dropped;
  return result;
}

/** The protocol's port on the wildcard address, shared (SO_REUSEADDR), with its group joined on the interface. */
function openListener(iface: LocalInterface, at: Listening): Promise<Socket> {
  const v6 = at.family === "v6";
  const sock = createSocket({
    type: v6 ? "udp6" : "udp4",
    reuseAddr: true,
    ipv6Only: v6,
    recvBufferSize: 1024 * 1024,
  });
  return new Promise((resolve, reject) => {
    sock.once("error", (e) => {
      sock.close();
      reject(e);
    });
    sock.bind({ address: v6 ? "::" : "0.0.0.0", port: at.port }, () => {
      try {
        if (at.group) sock.addMembership(at.group, v6 ? `::%${iface.name}` : iface.v4[0]!.address);
      } catch (e) {
        sock.close();
        return reject(e);
      }
      sock.removeAllListeners("error");
      sock.on("error", () => undefined);
      resolve(sock);
    });
  });
}
