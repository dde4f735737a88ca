import { createSocket } from "node:dgram";
import { createServer, type Server, type Socket } from "node:net";
import { readFileSync } from "node:fs";
import { createServer as createTlsServer } from "node:tls";
import { isUdpProtocol, type PersonaService } from "./persona.js";
import type { DeviceContext } from "./respond.js";
import { handleHttp, handleRaw, handleRtsp } from "./tcp-services.js";
import { attachUdp, type PeerFilter, type UdpService } from "./udp-services.js";
import { GROUPS } from "./multicast.js";
import { startAnnouncing } from "./announce.js";
import { handleFault } from "./faults.js";
import { certFiles } from "./load.js";

/** A bound listener; close() frees the port and destroys open connections. */
export interface Bound {
  port: number;
  nominalPort: number;
  protocol: PersonaService["protocol"];
  close(): Promise<void>;
}

/** A bind failure that remembers where it happened. */
export class BindError extends Error {
  constructor(
    readonly code: string,
    readonly address: string,
    readonly port: number,
    message: string,
  ) {
    super(message);
  }
}

function listenTcp(server: Server, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) =>
      reject(new BindError(e.code ?? "EUNKNOWN", address, port, e.message));
    server.once("error", onError);
    server.listen({ host: address, port, exclusive: true }, () => {
      server.off("error", onError);
      server.on("error", () => undefined);
      resolve();
    });
  });
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

type HttpLike = Extract<PersonaService, { protocol: "http" | "https" }>;

const isHttp = (s: PersonaService): s is HttpLike => s.protocol === "http" || s.protocol === "https";

/** Apply routesFrom: own routes first, then the other port's routes and default. */
function resolveHttp(ctx: DeviceContext, svc: HttpLike): HttpLike {
  if (svc.routesFrom === undefined) return svc;
  const from = ctx.persona.services.filter(isHttp).find((s) => s.port === svc.routesFrom);
  return { ...svc, routes: [...svc.routes, ...(from?.routes ?? [])], default: svc.default ?? from?.default };
}

/** Key and certificate bytes per name: thousands of devices share a handful of files. */
const tlsFiles = new Map<string, { key: Buffer; cert: Buffer }>();
function tlsPair(name: string): { key: Buffer; cert: Buffer } {
  let pair = tlsFiles.get(name);
  if (!pair) {
    const files = certFiles(name);
    pair = { key: readFileSync(files.key), cert: readFileSync(files.cert) };
    tlsFiles.set(name, pair);
  }
  return pair;
}

const isUdp = (s: PersonaService): s is UdpService => isUdpProtocol(s.protocol);

/** How UDP discovery services listen (index.ts decides; multicast only after its namespace check). */
export interface UdpMode {
  /** which senders are answered (default: loopback only) */
  peer?: PeerFilter;
  /** bind 0.0.0.0 with reuseAddr, join the service's group on the device's address, multicast TTL 1 */
  multicast?: boolean;
  /** multicast only: send the persona's Hello / NOTIFY to the group now and every N ms */
  announceEveryMs?: number;
}

/** One UDP discovery service: on the device's address (loopback lab), or on the wildcard and its group. */
async function bindUdp(
  ctx: DeviceContext,
  svc: UdpService,
  port: number,
  mode: UdpMode,
): Promise<() => Promise<void>> {
  const multicast = mode.multicast === true;
  const sock = createSocket({ type: "udp4", reuseAddr: multicast });
  await new Promise<void>((resolve, reject) => {
    sock.once("error", (e: NodeJS.ErrnoException) =>
      reject(new BindError(e.code ?? "EUNKNOWN", ctx.address, port, e.message)),
    );
    if (multicast) sock.bind({ address: "0.0.0.0", port }, () => resolve());
    else sock.bind({ address: ctx.address, port, exclusive: true }, () => resolve());
  });
  let stopAnnouncing: () => void = () => undefined;
  if (multicast) {
    try {
      const group = GROUPS[svc.protocol];
      // The device's own address names the interface: a namespace segment has no default route to pick one.
      if (group) sock.addMembership(group, ctx.address);
      sock.setMulticastInterface(ctx.address);
      sock.setMulticastTTL(1);
      sock.setBroadcast(true);
    } catch (e) {
      sock.close();
      const err = e as NodeJS.ErrnoException;
      throw new BindError(err.code ?? "EUNKNOWN", ctx.address, port, `joining the group: ${err.message}`);
    }
    if (mode.announceEveryMs !== undefined)
      stopAnnouncing = startAnnouncing(sock, ctx, svc, port, mode.announceEveryMs);
  }
  attachUdp(sock, ctx, svc, port, mode.peer);
  return () =>
    new Promise((resolve) => {
      stopAnnouncing();
      sock.close(() => resolve());
    });
}

/** Bind one service of one device at nominal port + offset. */
export async function bindService(
  ctx: DeviceContext,
  svc: PersonaService,
  offset: number,
  udp: UdpMode = {},
): Promise<Bound> {
  const port = svc.port + offset;
  if (port > 65535)
    throw new BindError("ERANGE", ctx.address, port, `port ${svc.port} + offset ${offset} exceeds 65535`);
  const base = { port, nominalPort: svc.port, protocol: svc.protocol };

  if (isUdp(svc)) return { ...base, close: await bindUdp(ctx, svc, port, udp) };

  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  };
  let server: Server;
  if (isHttp(svc)) {
    const http = resolveHttp(ctx, svc);
    if (svc.protocol === "https") {
      const tls = { ...tlsPair(svc.cert ?? ""), handshakeTimeout: 5000 };
      server = createTlsServer(tls, (s) => handleHttp(s, ctx, http, port));
      server.on("tlsClientError", (_e, s) => s.destroy());
    } else server = createServer((s) => handleHttp(s, ctx, http, port));
  } else if (svc.protocol === "rtsp") {
    const rtsp = svc;
    server = createServer((s) => handleRtsp(s, ctx, rtsp, port));
  } else if (svc.protocol === "fault") {
    const fault = svc;
    server = createServer((s) => handleFault(s, fault));
  } else {
    const raw = svc;
    server = createServer((s) => handleRaw(s, raw));
  }
  server.on("connection", track);
  server.maxConnections = 256;
  await listenTcp(server, ctx.address, port);
  return { ...base, close: closer(server, sockets) };
}
