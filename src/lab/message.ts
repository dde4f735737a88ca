import type { Socket } from "node:net";

/** One HTTP/1.x or RTSP/1.0 request as read off the wire. */
export interface WireRequest {
  method: string;
  target: string;
  version: string;
  headers: [string, string][];
  body: Buffer;
}

export interface ReadLimits {
  maxHeaderBytes: number;
  maxBodyBytes: number;
  idleMs: number;
}

export const DEFAULT_LIMITS: ReadLimits = {
  maxHeaderBytes: 16 * 1024,
  maxBodyBytes: 64 * 1024,
  idleMs: 5000,
};

export function headerValue(req: WireRequest, name: string): string | undefined {
  const n = name.toLowerCase();
  return req.headers.find(([k]) => k.toLowerCase() === n)?.[1];
}

/** What the handler wants after answering: keep reading (keep-alive) or close. */
export type AfterReply = "keep" | "close";

/**
 * Read requests one after another from a socket (clients are hostile: sizes are capped, idle sockets die).
 * `onBad` answers a malformed or oversized request; the socket is then ended.
 */
export function serveRequests(
  socket: Socket,
  limits: ReadLimits,
  onRequest: (req: WireRequest) => Promise<AfterReply> | AfterReply,
  onBad: (reason: "too-large" | "malformed") => void,
): void {
  let buf = Buffer.alloc(0);
  let busy = false;
  let done = false;
  socket.setTimeout(limits.idleMs, () => socket.destroy());
  socket.on("error", () => socket.destroy());

  const finish = () => {
    done = true;
    socket.end();
  };

  const pump = async (): Promise<void> => {
    if (busy || done) return;
    busy = true;
    try {
      for (;;) {
        let end = buf.indexOf("\r\n\r\n");
        let sepLen = 4;
        const lf = buf.indexOf("\n\n");
        if (lf !== -1 && (end === -1 || lf < end)) {
          end = lf;
          sepLen = 2;
        }
        if (end === -1) {
          if (buf.length > limits.maxHeaderBytes) {
            onBad("too-large");
            finish();
          }
          return;
        }
        if (end > limits.maxHeaderBytes) {
          onBad("too-large");
          finish();
          return;
        }
        const head = buf.subarray(0, end).toString("latin1");
        const lines = head.split(/\r?\n/);
        const start = /^([A-Za-z_]{1,32}) (\S{1,8192}) ([A-Z]{2,8}\/\d\.\d)$/.exec(lines[0] ?? "");
        if (!start) {
          onBad("malformed");
          finish();
          return;
        }
        const headers: [string, string][] = [];
        for (const line of lines.slice(1, 201)) {
          const i = line.indexOf(":");
          if (i > 0) headers.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
        }
        const req: WireRequest = {
          method: start[1] as string,
          target: start[2] as string,
          version: start[3] as string,
          headers,
          body: Buffer.alloc(0),
        };
        const cl = headerValue(req, "content-length");
        const len = cl === undefined ? 0 : Number(cl);
        if (!Number.isInteger(len) || len < 0) {
          onBad("malformed");
          finish();
          return;
        }
        if (len > limits.maxBodyBytes) {
          onBad("too-large");
          finish();
          return;
        }
        const total = end + sepLen + len;
        if (buf.length < total) return; // wait for the rest of the body
        req.body = Buffer.from(buf.subarray(end + sepLen, total));
        buf = buf.subarray(total);
        const after = await onRequest(req);
        if (after === "close") {
          finish();
          return;
        }
      }
    } finally {
      busy = false;
    }
  };

  socket.on("data", (chunk: Buffer) => {
    if (done) return;
    buf = Buffer.concat([buf, chunk]);
    // Never hold more than one request's worth of bytes.
    if (buf.length > limits.maxHeaderBytes + limits.maxBodyBytes + 4) {
      onBad("too-large");
      finish();
      return;
    }
    void pump().then(() => {
      if (!done && buf.length > 0) void pump();
    });
  });
}
