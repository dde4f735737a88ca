import { connect, createServer, type Server } from "node:net";

/**
 * A loopback TCP relay in front of one lab service that counts what the scanner sends: every request, and those
 * that carry credentials (an Authorization header or a WS-Security UsernameToken). Tests use it to prove the
 * lockout rules (one authenticated attempt per kind, none after a refusal, none without a credential).
 */
export interface CountingProxy {
  address: string;
  port: number;
  requests: () => number;
  authenticated: () => number;
  /** the request lines seen, in order, with "+auth" when they carried credentials */
  log: string[];
  close: () => Promise<void>;
}

export async function countingProxy(
  listenAddress: string,
  to: { address: string; port: number },
): Promise<CountingProxy> {
  const log: string[] = [];
  const server: Server = createServer((client) => {
    const upstream = connect(to.port, to.address);
    // Several requests may share a connection (keep-alive): count each complete one.
    let pending = Buffer.alloc(0);
    client.on("data", (d: Buffer) => {
      pending = Buffer.concat([pending, d]);
      for (;;) {
        const text = pending.toString("latin1");
        const head = text.indexOf("\r\n\r\n");
        if (head < 0) break;
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, head))?.[1] ?? 0);
        const end = head + 4 + length;
        if (text.length < end) break; // wait for the whole body
        const auth =
          /\r\nauthorization:/i.test(text.slice(0, head)) || /UsernameToken/.test(text.slice(head, end));
        log.push(`${text.slice(0, text.indexOf("\r\n"))}${auth ? " +auth" : ""}`);
        pending = pending.subarray(end);
      }
      if (pending.length > 1024 * 1024) client.destroy();
    });
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, listenAddress, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    address: listenAddress,
    port,
    log,
    requests: () => log.length,
    authenticated: () => log.filter((l) => l.endsWith("+auth")).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // connections are Connection: close; nothing else to end
      }),
  };
}
