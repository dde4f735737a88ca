import type { Socket } from "node:net";
import { errorText, type ObservationPart, USER_AGENT, probeError, urlHost } from "../observe.js";
import { SocketReader, idleError } from "../stream.js";
import { connectTcp } from "../tcp/probe.js";
import { RTSP_MAX_HEADER_BYTES, headEnd, parseHead, toResponse } from "./parse.js";

export interface RtspOptions {
  connectTimeoutMs: number;
  readTimeoutMs: number;
  maxBodyBytes: number;
  signal?: AbortSignal;
}

const CLOSED = "ECLOSED";
const RETRY_CODES = new Set([CLOSED, "ECONNRESET", "EPIPE"]);

const REQUESTS = [
  { method: "OPTIONS", cseq: 1, extra: "" },
  { method: "DESCRIBE", cseq: 2, extra: "Accept: application/sdp\r\n" },
] as const;

/** OPTIONS then DESCRIBE on one connection (a second one if the device closed after OPTIONS). */
export async function probeRtsp(address: string, port: number, o: RtspOptions): Promise<ObservationPart[]> {
  const uri = `rtsp://${urlHost(address)}:${port}/`;
  const out: ObservationPart[] = [];
  let sock: Socket | undefined;
  let reader: SocketReader | undefined;
  try {
    for (const r of REQUESTS) {
      const request = { method: r.method, uri };
      const send = async (fresh: boolean) => {
        if (fresh || !sock || !reader || reader.isEnded || sock.destroyed) {
          sock?.destroy();
          sock = await connectTcp({ host: address, port, timeoutMs: o.connectTimeoutMs, signal: o.signal });
          reader = new SocketReader(sock);
        }
        sock.write(
          `${r.method} ${uri} RTSP/1.0\r\nCSeq: ${r.cseq}\r\nUser-Agent: ${USER_AGENT}\r\n${r.extra}\r\n`,
        );
        return readResponse(reader, o);
      };
      try {
        const reused = !!sock && !sock.destroyed;
        let response;
        try {
          response = await send(false);
        } catch (e) {
          // A device that closes after each reply may not have shown its FIN yet: retry once, fresh.
          if (!reused || !RETRY_CODES.has((e as NodeJS.ErrnoException).code ?? "")) throw e;
          response = await send(true);
        }
        out.push({ protocol: "rtsp", port, request, response });
        // Unread body bytes would be taken for the next reply: use a fresh connection instead.
        if (response.truncated) {
          sock?.destroy();
          sock = undefined;
        }
      } catch (e) {
        if (o.signal?.aborted) throw e;
        out.push({ protocol: "rtsp", port, request, error: errorText(e) });
        sock?.destroy();
        sock = undefined;
      }
    }
  } finally {
    sock?.destroy();
  }
  return out;
}

async function readResponse(reader: SocketReader, o: RtspOptions) {
  // A reply comes in one go from a real device: twice the read timeout is the most one may take in all.
  const read = {
    idleMs: o.readTimeoutMs,
    deadline: performance.now() + 2 * o.readTimeoutMs,
    signal: o.signal,
  };
  const end = await reader.readUntil((b) => headEnd(b) >= 0, { ...read, maxBytes: RTSP_MAX_HEADER_BYTES });
  let headLen = headEnd(reader.buffered);
  if (headLen < 0) {
    if (end === "cap") throw probeError("EPROTO", `response head larger than ${RTSP_MAX_HEADER_BYTES} bytes`);
    if (end === "idle" && reader.buffered.length === 0) throw idleError("RTSP response", o.readTimeoutMs);
    if (reader.buffered.length === 0) throw probeError(CLOSED, "connection closed without a response");
    // Peer closed (or went quiet) after an unterminated head: parse what came, devices do this.
    headLen = reader.buffered.length;
  }
  const head = parseHead(reader.buffered.toString("latin1", 0, headLen));
  if (!head) {
    const start = reader.buffered.toString("latin1", 0, Math.min(60, reader.buffered.length));
    throw probeError("EPROTO", `not an RTSP response: ${JSON.stringify(start)}`);
  }
  reader.consume(headLen);
  const want = head.contentLength ?? 0;
  const limit = Math.min(want, o.maxBodyBytes);
  if (limit > 0) await reader.readUntil((b) => b.length >= limit, { ...read, maxBytes: limit });
  const body = reader.buffered.subarray(0, limit);
  reader.consume(body.length);
  // Short reads (peer stopped early) and the size cap both count as truncated.
  return toResponse(head, Buffer.from(body), body.length < want);
}
