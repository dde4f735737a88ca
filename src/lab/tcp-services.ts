import type { Socket } from "node:net";
import type { PersonaResponse, PersonaService } from "./persona.js";
import { DEFAULT_LIMITS, headerValue, serveRequests, type WireRequest } from "./message.js";
import {
  chooseResponse,
  findRoute,
  legacyDeviceInfo,
  responseBytes,
  safeCseq,
  type DeviceContext,
} from "./respond.js";

type HttpLike = Extract<PersonaService, { protocol: "http" | "https" }>;
type Rtsp = Extract<PersonaService, { protocol: "rtsp" }>;
type Raw = Extract<PersonaService, { protocol: "tcp" }>;

const NOT_FOUND: PersonaResponse = {
  status: 404,
  reason: "Not Found",
  headers: [
    ["Content-Length", "0"],
    ["Connection", "close"],
  ],
};
const BAD_REQUEST: PersonaResponse = {
  status: 400,
  reason: "Bad Request",
  headers: [["Connection", "close"]],
};

function wantsKeepAlive(resp: PersonaResponse, req: WireRequest): boolean {
  const conn = resp.headers.find(([k]) => k.toLowerCase() === "connection")?.[1]?.toLowerCase() ?? "";
  const reqConn = headerValue(req, "connection")?.toLowerCase() ?? "";
  return conn.includes("keep-alive") && !reqConn.includes("close");
}

/** HTTP/1.x over a plain or TLS socket (routesFrom already applied to `svc`). */
export function handleHttp(socket: Socket, ctx: DeviceContext, svc: HttpLike, port: number): void {
  serveRequests(
    socket,
    DEFAULT_LIMITS,
    (req) => {
      const route = findRoute(svc.routes, req);
      const resp = route
        ? chooseResponse(ctx, route, req)
        : (legacyDeviceInfo(ctx, svc.routes, req) ?? svc.default ?? NOT_FOUND);
      const bytes = responseBytes(resp, "HTTP/1.1", ctx.render({ port }));
      socket.write(req.method === "HEAD" ? bytes.subarray(0, bytes.indexOf("\r\n\r\n") + 4) : bytes);
      return wantsKeepAlive(resp, req) ? "keep" : "close";
    },
    () => socket.write(responseBytes(BAD_REQUEST, "HTTP/1.1", ctx.render({ port }))),
  );
}

/** RTSP/1.0: per-method answers, CSeq echoed, connection kept open (clients send OPTIONS then DESCRIBE). */
export function handleRtsp(socket: Socket, ctx: DeviceContext, svc: Rtsp, port: number): void {
  serveRequests(
    socket,
    DEFAULT_LIMITS,
    (req) => {
      const render = ctx.render({ port, cseq: safeCseq(req) });
      if (req.version.startsWith("HTTP/")) {
        // What a camera's RTSP server says to an HTTP client (Dahua: 405, §6.5).
        const resp = svc.httpResponse ?? svc.default;
        if (resp) socket.write(responseBytes(resp, "RTSP/1.0", render));
        return "close";
      }
      const route = findRoute(svc.routes, req);
      const resp = route
        ? chooseResponse(ctx, route, req)
        : (svc.default ?? { status: 501, reason: "Not Implemented", headers: [["CSeq", "{cseq}"]] });
      socket.write(responseBytes(resp, "RTSP/1.0", render));
      return "keep";
    },
    () => socket.end(),
  );
}

/** Raw TCP: optional banner on connect, optional single reply to the first data, else silence. */
export function handleRaw(socket: Socket, svc: Raw): void {
  socket.setTimeout(DEFAULT_LIMITS.idleMs, () => socket.destroy());
  socket.on("error", () => socket.destroy());
  if (svc.onConnectHex) socket.write(Buffer.from(svc.onConnectHex, "hex"));
  let replied = false;
  let seen = 0;
  socket.on("data", (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > DEFAULT_LIMITS.maxBodyBytes) return void socket.destroy();
    if (!replied && svc.replyHex) {
      replied = true;
      socket.write(Buffer.from(svc.replyHex, "hex"));
    }
  });
}
