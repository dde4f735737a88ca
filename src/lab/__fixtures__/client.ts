/** Raw-socket clients for lab tests: they read bytes exactly as the device wrote them. */
import { createHash } from "node:crypto";
import { dhipFrame } from "../../probes/dhip/parse.js";
import { createSocket } from "node:dgram";
import { connect, type Socket } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";

export interface WireMessage {
  raw: string;
  statusLine: string;
  headers: [string, string][];
  body: Buffer;
}

/** One TCP (or TLS) connection that can read several framed responses in turn. */
export class WireClient {
  private buf = Buffer.alloc(0);
  private closed = false;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket | TLSSocket) {
    socket.on("data", (c: Buffer) => {
      this.buf = Buffer.concat([this.buf, c]);
      this.wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    socket.on("error", () => undefined);
  }

  static open(host: string, port: number, tls = false): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const s = tls
        ? tlsConnect({ host, port, rejectUnauthorized: false, servername: undefined }, () =>
            resolve(new WireClient(s)),
          )
        : connect({ host, port }, () => resolve(new WireClient(s)));
      s.once("error", reject);
    });
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  private wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  send(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Next response: headers, then Content-Length bytes (or everything until close when there is none and untilClose). */
  async read(opts: { untilCloseWithoutLength?: boolean; timeoutMs?: number } = {}): Promise<WireMessage> {
    const deadline = Date.now() + (opts.timeoutMs ?? 3000);
    for (;;) {
      const end = this.buf.indexOf("\r\n\r\n");
      if (end !== -1) {
        const head = this.buf.subarray(0, end).toString("latin1");
        const lines = head.split("\r\n");
        const headers = lines.slice(1).map((l): [string, string] => {
          const i = l.indexOf(":");
          return [l.slice(0, i), l.slice(i + 1).replace(/^ /, "")];
        });
        const cl = headers.find(([k]) => k.toLowerCase() === "content-length")?.[1];
        const need = cl !== undefined ? Number(cl) : opts.untilCloseWithoutLength ? Infinity : 0;
        const have = this.buf.length - end - 4;
        if (have >= need || (need === Infinity && this.closed)) {
          const take = need === Infinity ? have : need;
          const body = Buffer.from(this.buf.subarray(end + 4, end + 4 + take));
          const raw = this.buf.subarray(0, end + 4 + take).toString("latin1");
          this.buf = this.buf.subarray(end + 4 + take);
          return { raw, statusLine: lines[0] ?? "", headers, body };
        }
      }
      if (this.closed)
        throw new Error(
          `connection closed before a full response (got ${JSON.stringify(this.buf.toString("latin1"))})`,
        );
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timeout waiting for response (got ${JSON.stringify(this.buf.toString("latin1"))})`);
      await this.wait(left);
    }
  }

  /** Whatever arrives within ms (raw protocols). */
  async readRaw(ms: number, minBytes = Infinity): Promise<Buffer> {
    const deadline = Date.now() + ms;
    while (this.buf.length < minBytes && !this.closed && Date.now() < deadline)
      await this.wait(deadline - Date.now());
    const out = this.buf;
    this.buf = Buffer.alloc(0);
    return out;
  }

  isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Send one datagram from 127.0.0.1 and collect replies for ms. */
export function udpExchange(host: string, port: number, payload: Buffer, ms = 400): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const s = createSocket("udp4");
    const got: Buffer[] = [];
    s.on("message", (m) => got.push(m));
    s.on("error", reject);
    s.bind({ address: "127.0.0.1", port: 0 }, () => {
      s.send(payload, port, host);
      setTimeout(() => {
        s.close();
        resolve(got);
      }, ms);
    });
  });
}

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

/** Independent RFC 7616 MD5/qop=auth client computation for tests. */
export function digestHeader(
  method: string,
  uri: string,
  realm: string,
  nonce: string,
  user: string,
  pass: string,
): string {
  const cnonce = "deadbeefcafe";
  const nc = "00000001";
  const response = md5(
    `${md5(`${user}:${realm}:${pass}`)}:${nonce}:${nc}:${cnonce}:auth:${md5(`${method}:${uri}`)}`,
  );
  return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}"`;
}

export function challengeParams(header: string): { realm: string; nonce: string } {
  const realm = /realm="([^"]*)"/.exec(header)?.[1];
  const nonce = /nonce="([^"]*)"/.exec(header)?.[1];
  if (realm === undefined || nonce === undefined) throw new Error(`not a digest challenge: ${header}`);
  return { realm, nonce };
}

export function sadpProbe(uuid: string, types = "inquiry"): Buffer {
  return Buffer.from(
    `<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>${uuid}</Uuid><Types>${types}</Types></Probe>`,
    "utf8",
  );
}

/** The scanner's own search frame, so the lab is tested against what camsweep really sends. */
export function dhipProbe(): Buffer {
  return dhipFrame();
}

/** One request on a fresh connection, its answer, and the connection closed. */
export async function exchange(
  address: string,
  port: number,
  request: string | Buffer,
): Promise<WireMessage> {
  const c = await WireClient.open(address, port);
  try {
    c.send(request);
    return await c.read();
  } finally {
    c.close();
  }
}
