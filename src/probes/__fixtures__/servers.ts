/** Throwaway loopback servers for probe tests. Tests use 127.79.0.0/16 only (one /24 per test file). */
import { createSocket, type RemoteInfo } from "node:dgram";
import { type AddressInfo, type Server, type Socket, createServer } from "node:net";

export interface Running {
  port: number;
  close: () => Promise<void>;
  /** bytes each accepted connection sent us, in order */
  received: Buffer[];
  connections: number;
}

/** A raw TCP server; `onConn` decides what the "device" does. */
export async function tcpServer(
  host: string,
  onConn: (s: Socket, received: () => Buffer) => void,
  port = 0,
): Promise<Running> {
  const sockets = new Set<Socket>();
  const state: Running = { port: 0, received: [], connections: 0, close: async () => {} };
  const server: Server = createServer((s) => {
    sockets.add(s);
    state.connections++;
    const idx = state.received.push(Buffer.alloc(0)) - 1;
    s.on("data", (d) => (state.received[idx] = Buffer.concat([state.received[idx] as Buffer, d])));
    s.on("error", () => {});
    s.on("close", () => sockets.delete(s));
    onConn(s, () => state.received[idx] as Buffer);
  });
  await new Promise<void>((res, rej) => server.once("error", rej).listen(port, host, () => res()));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise<void>((res) => {
      for (const s of sockets) s.destroy();
      server.close(() => res());
    });
  return state;
}

/** Accepts and never answers. */
export const tarpit = (host: string) => tcpServer(host, () => {});

/** Calls `reply` once the peer has sent `until` (e.g. an HTTP head), writes what it returns. */
export function replyAfter(
  until: (b: Buffer) => boolean,
  reply: (req: Buffer) => string | Buffer | undefined,
  end = true,
) {
  return (s: Socket, received: () => Buffer) => {
    const check = () => {
      const b = received();
      if (!until(b)) return;
      s.removeListener("data", onData);
      const r = reply(b);
      if (r !== undefined) s.write(r);
      if (end) s.end();
    };
    const onData = () => setImmediate(check);
    s.on("data", onData);
  };
}

/** A port on `host` where nothing listens (bound then released). */
export async function closedPort(host: string): Promise<number> {
  const r = await tcpServer(host, () => {});
  await r.close();
  return r.port;
}

export interface UdpResponder {
  port: number;
  got: { msg: Buffer; from: RemoteInfo }[];
  close: () => Promise<void>;
}

/** A UDP "device" answering to the sender's address and port. */
export async function udpResponder(
  host: string,
  port: number,
  answer: (msg: Buffer) => Buffer[] | undefined,
): Promise<UdpResponder> {
  const sock = createSocket("udp4");
  const got: UdpResponder["got"] = [];
  sock.on("message", (msg, from) => {
    got.push({ msg, from });
    for (const r of answer(msg) ?? []) sock.send(r, from.port, from.address);
  });
  await new Promise<void>((res, rej) => sock.once("error", rej).bind(port, host, () => res()));
  return { port: sock.address().port, got, close: () => new Promise<void>((res) => sock.close(() => res())) };
}
