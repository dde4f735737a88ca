import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import type { Observation } from "../../observations/observation.js";
import { UsageError } from "../../shared/errors.js";
import type { DiscoveryId, DiscoveryProtocol } from "../discovery/protocol.js";
import { errorText, type ObservationPart } from "../observe.js";
import { type Caps, DEFAULT_CAPS, Tally } from "./caps.js";
import { cut, plainAddress, waitFor } from "./receive.js";
import { type FamilyPlan, familyPlans, LIMITED_BROADCAST } from "./groups.js";
import { type InterfaceTable, type LocalInterface, resolveInterface, scoped } from "./interface.js";

/**
 * Local discovery: each protocol's inquiry sent as multicast (and broadcast where the protocol uses it) on ONE
 * interface the user named, and the replies collected. Devices answer unicast to the sender's address and port
 * (protocols.md §1.1, §5.1, §6.1), so replies are read on the sending socket.
 *
 * Keeping traffic on that interface: Node has no SO_BINDTODEVICE, so each socket is bound to the interface's own
 * address and its multicast interface set to it, with TTL 1 and loopback off. For multicast that fixes the egress
 * interface. For 255.255.255.255 the kernel's route lookup decides; Linux sends limited broadcast out of the
 * device that owns the bound source address, which the namespace test checks (a second interface hears nothing).
 *
 * The caller decides scope: every reply is returned with its source address, and nothing is probed further here.
 */
export interface LocalDiscoveryOptions extends Partial<Caps> {
  /** the interface name, e.g. "br0" */
  interface: string;
  protocols: readonly DiscoveryProtocol[];
  /** how long to collect replies after the last inquiry (default 3000 ms) */
  windowMs?: number;
  signal?: AbortSignal;
  /** each reply as it is kept */
  onReply?: (r: LocalReply) => void;
  /** os.networkInterfaces() by default; tests pass their own */
  interfaces?: InterfaceTable;
}

export interface LocalReply {
  /** the source address of the reply (unchecked against any scope: the caller decides) */
  address: string;
  /** its source port */
  port: number;
  protocol: DiscoveryId;
  part: ObservationPart;
  time: string;
}

export interface SentDatagram {
  protocol: DiscoveryId;
  /** "239.255.255.250:37020", "[ff02::c%br0]:3702", "255.255.255.255:37810" */
  destination: string;
  bytes: number;
  /** the send failed (no route, interface gone): nothing left */
  error?: string;
}

export interface LocalDiscoveryResult {
  interface: LocalInterface;
  replies: LocalReply[];
  /** datagrams that were not the protocol's (observe() said undefined) */
  ignored: number;
  /** datagrams over a cap: counted, never kept */
  dropped: number;
  /** every datagram sent, in order */
  sent: SentDatagram[];
  /** protocols or families not used on this interface, and why */
  skipped: string[];
  /** the signal ended the window early; what arrived before is kept */
  interrupted: boolean;
}

const DEFAULT_WINDOW_MS = 3000;

export async function localDiscovery(o: LocalDiscoveryOptions): Promise<LocalDiscoveryResult> {
  const iface = resolveInterface(o.interface, o.interfaces);
  const tally = new Tally({ ...DEFAULT_CAPS, ...defined(o) });
  const result: LocalDiscoveryResult = {
    interface: iface,
    replies: [],
    ignored: 0,
    dropped: 0,
    sent: [],
    skipped: [],
    interrupted: false,
  };
  const jobs: { p: DiscoveryProtocol; plan: FamilyPlan }[] = [];
  for (const p of o.protocols) {
    const { plans, skipped } = familyPlans(p, iface);
    result.skipped.push(...skipped);
    for (const plan of plans) jobs.push({ p, plan });
  }
  if (jobs.length === 0)
    throw new UsageError(
      `nothing can be sent on interface ${iface.name}: ${result.skipped.join("; ") || "no protocols"}`,
    );
  if (o.signal?.aborted) return { ...result, interrupted: true };

  const sockets: Socket[] = [];
  const onMessage = (p: DiscoveryProtocol) => (msg: Buffer, rinfo: RemoteInfo) => {
    const address = plainAddress(rinfo.address);
    const { data, truncated } = cut(msg);
    const part = tally.take(p, address, data, truncated);
    if (!part) return;
    const reply: LocalReply = {
      address,
      port: rinfo.port,
      protocol: p.id,
      part,
      time: new Date().toISOString(),
    };
    result.replies.push(reply);
    o.onReply?.(reply);
  };
  try {
    for (const { p, plan } of jobs) {
      let sock: Socket;
      try {
        sock = await openSender(iface, plan);
      } catch (e) {
        result.skipped.push(`${p.id}: cannot open a ${plan.family} socket on ${iface.name}: ${errorText(e)}`);
        continue;
      }
      sockets.push(sock);
      sock.on("message", onMessage(p));
      const dests = [...(plan.group ? [plan.group] : []), ...(plan.broadcast ? [LIMITED_BROADCAST] : [])];
      for (const dest of dests)
        // `multicast` means one-to-many (a group or broadcast): SSDP then writes the group in HOST and adds MX.
        for (const payload of p.inquiry({ address: dest, port: p.port, multicast: true })) {
          if (o.signal?.aborted) break;
          result.sent.push(await send(sock, p, payload, plan.family === "v6" ? scoped(iface, dest) : dest));
        }
    }
    await waitFor(o.windowMs ?? DEFAULT_WINDOW_MS, o.signal);
    result.interrupted = !!o.signal?.aborted;
  } finally {
    for (const s of sockets) s.close();
  }
  result.ignored = tally.ignored;
  result.dropped = tally.dropped;
  return result;
}

/** A reply as an observation of the device that sent it. */
export function replyObservation(r: LocalReply, iface: string): Observation {
  return {
    ...r.part,
    target: r.address,
    port: r.part.port ?? r.port,
    request: { ...(r.part.request ?? {}), local: true, interface: iface },
    time: r.time,
  };
}

function defined(o: Partial<Caps>): Partial<Caps> {
  const caps: Partial<Caps> = {};
  if (o.maxReplies !== undefined) caps.maxReplies = o.maxReplies;
  if (o.maxPerSource !== undefined) caps.maxPerSource = o.maxPerSource;
  if (o.maxBytes !== undefined) caps.maxBytes = o.maxBytes;
  return caps;
}

/** A socket bound to the interface's own address, with multicast held to it: TTL 1, no loopback. */
function openSender(iface: LocalInterface, plan: FamilyPlan): Promise<Socket> {
  const v6 = plan.family === "v6";
  const own = v6 ? scoped(iface, iface.v6[0]!.address) : iface.v4[0]!.address;
  const sock = createSocket({ type: v6 ? "udp6" : "udp4", recvBufferSize: 1024 * 1024 });
  return new Promise((resolve, reject) => {
    sock.once("error", (e) => {
      sock.close();
      reject(e);
    });
    sock.bind({ address: own, port: 0 }, () => {
      try {
        sock.setMulticastInterface(v6 ? `::%${iface.name}` : own);
        sock.setMulticastTTL(1);
        sock.setMulticastLoopback(false);
        if (plan.broadcast) sock.setBroadcast(true);
      } catch (e) {
        sock.close();
        return reject(e);
      }
      sock.removeAllListeners("error");
      // A late socket error (ICMP unreachable on some stacks) must not crash the process; replies keep coming.
      sock.on("error", () => undefined);
      resolve(sock);
    });
  });
}

function send(sock: Socket, p: DiscoveryProtocol, payload: Buffer, dest: string): Promise<SentDatagram> {
  const destination = `${dest.includes(":") ? `[${dest}]` : dest}:${p.port}`;
  return new Promise((resolve) => {
    sock.send(payload, p.port, dest, (e) =>
      resolve({ protocol: p.id, destination, bytes: payload.length, ...(e ? { error: errorText(e) } : {}) }),
    );
  });
}
