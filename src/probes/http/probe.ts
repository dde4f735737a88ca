import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import type { MessageResponseT } from "../../observations/observation.js";
import {
  errorText,
  type ObservationPart,
  USER_AGENT,
  throwIfAborted,
  timeoutError,
  urlHost,
} from "../observe.js";
import { LENIENT_TLS } from "../tls/probe.js";
import { failedOnReusedSocket, KeepAlive } from "./keepalive.js";
import { type Hop, sameHostRedirect, toResponse } from "./parse.js";
import { HTTP_PROBES, type HttpProbeRequest, MAX_REDIRECTS } from "./requests.js";

export const HTTP_MAX_HEADER_BYTES = 16 * 1024;

export interface HttpOptions {
  connectTimeoutMs: number;
  readTimeoutMs: number;
  maxBodyBytes: number;
  signal?: AbortSignal;
  /** a keep-alive agent to reuse one connection for several requests (default: a fresh one each, closed) */
  agent?: http.Agent;
}

export interface HttpTarget {
  address: string;
  hostname?: string;
}

/** One request, one response; rejects on network/parse errors, timeouts and abort. */
export function httpRequest(
  target: HttpTarget,
  hop: Hop,
  /** headers: extra request headers, set after the defaults (authorized requests: Authorization, SOAP Content-Type) */
  req: { method: string; body?: string; headers?: Record<string, string> },
  o: HttpOptions,
): Promise<MessageResponseT> {
  throwIfAborted(o.signal);
  const deadlineMs = o.connectTimeoutMs + o.readTimeoutMs;
  const deadline = AbortSignal.timeout(deadlineMs);
  const signal = o.signal ? AbortSignal.any([deadline, o.signal]) : deadline;
  const defaultPort = hop.scheme === "https" ? 443 : 80;
  const hostHeader = `${target.hostname ?? urlHost(target.address)}${hop.port === defaultPort ? "" : `:${hop.port}`}`;
  const headers: Record<string, string> = {
    Host: hostHeader,
    "User-Agent": USER_AGENT,
    Accept: "*/*",
    Connection: o.agent ? "keep-alive" : "close",
  };
  if (req.body !== undefined) {
    headers["Content-Type"] = "application/json";
    headers["Content-Length"] = String(Buffer.byteLength(req.body));
  }
  Object.assign(headers, req.headers);
  const common: http.RequestOptions = {
    host: target.address,
    port: hop.port,
    method: req.method,
    path: hop.path,
    headers,
    setHost: false,
    agent: o.agent ?? false,
    insecureHTTPParser: true, // devices send malformed headers; we record, not judge
    maxHeaderSize: HTTP_MAX_HEADER_BYTES,
    timeout: o.readTimeoutMs,
    signal,
  };
  const sni = target.hostname && !isIP(target.hostname) ? target.hostname : undefined;
  return new Promise<MessageResponseT>((resolve, reject) => {
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      if (r.reusedSocket) Object.assign(e, { reusedSocket: true });
      r.destroy();
      // Our own deadline shows as an AbortError; name it a timeout.
      reject(
        deadline.aborted && !o.signal?.aborted
          ? timeoutError(`no complete response within ${deadlineMs} ms`)
          : e,
      );
    };
    const r =
      hop.scheme === "https"
        ? https.request({ ...common, ...LENIENT_TLS, ...(sni ? { servername: sni } : {}) })
        : http.request(common);
    r.on("timeout", () => fail(timeoutError(`socket idle for ${o.readTimeoutMs} ms`)));
    r.on("error", fail);
    r.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const done = () => {
        if (settled) return;
        settled = true;
        // A whole reply leaves the connection to the keep-alive agent; anything cut short closes it.
        if (!o.agent || truncated || !res.complete) r.destroy();
        resolve(
          toResponse(
            res.statusCode ?? 0,
            res.httpVersion,
            res.statusMessage,
            res.rawHeaders,
            Buffer.concat(chunks),
            truncated,
          ),
        );
      };
      res.on("data", (d: Buffer) => {
        if (truncated) return;
        if (size + d.length > o.maxBodyBytes) {
          chunks.push(d.subarray(0, o.maxBodyBytes - size));
          size = o.maxBodyBytes;
          truncated = true;
          done();
          res.destroy();
          return;
        }
        chunks.push(d);
        size += d.length;
      });
      res.on("end", done);
      // Peer closed mid-body: keep what arrived, flagged as truncated.
      res.on("aborted", () => {
        truncated = true;
        done();
      });
      res.on("error", (e) => (size > 0 ? ((truncated = true), done()) : fail(e)));
    });
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/**
 * Runs the fixed HTTP probe list against one port, sequentially. Failures become `error` observations.
 * After two consecutive timeouts the port is treated as a tarpit and its remaining probes are skipped.
 */
export async function probeHttp(
  target: HttpTarget,
  port: number,
  scheme: "http" | "https",
  o: HttpOptions,
  probes: readonly HttpProbeRequest[] = HTTP_PROBES,
  emit: (p: ObservationPart) => void = () => {},
): Promise<ObservationPart[]> {
  const out: ObservationPart[] = [];
  const push = (p: ObservationPart) => {
    out.push(p);
    emit(p);
  };
  let timeouts = 0;
  const session = new KeepAlive();
  const send = async (hop: Hop, req: { method: string; body?: string }) => {
    try {
      return await httpRequest(target, hop, req, { ...o, agent: session.agentFor(hop) });
    } catch (e) {
      if (!failedOnReusedSocket(e) || o.signal?.aborted) throw e;
      return httpRequest(target, hop, req, { ...o, agent: session.agentFor(hop) });
    }
  };
  try {
    for (const p of probes) {
      if (timeouts >= 2) break;
      let hop: Hop | undefined = { scheme, port, path: p.path };
      const seen = new Set<string>();
      for (let n = 0; hop && n <= (p.followRedirects ? MAX_REDIRECTS : 0); n++) {
        seen.add(`${hop.scheme}:${hop.port}${hop.path}`);
        const request = {
          method: p.method,
          path: hop.path,
          scheme: hop.scheme,
          ...(hop.port !== port ? { port: hop.port } : {}),
          ...(n > 0 ? { redirect: n } : {}),
        };
        const obsPort = hop.port;
        try {
          const response = await send(hop, {
            method: p.method,
            ...(p.body !== undefined ? { body: p.body } : {}),
          });
          timeouts = 0;
          push({ protocol: "http", port: obsPort, request, response });
          const loc = response.status >= 300 && response.status < 400 ? locationOf(response) : undefined;
          const next: Hop | undefined = loc !== undefined ? sameHostRedirect(loc, hop, target) : undefined;
          hop = next && !seen.has(`${next.scheme}:${next.port}${next.path}`) ? next : undefined;
        } catch (e) {
          if (o.signal?.aborted) throw e;
          const error = errorText(e);
          if (error.startsWith("timeout")) timeouts++;
          push({ protocol: "http", port: obsPort, request, error });
          hop = undefined;
        }
      }
    }
  } finally {
    session.close();
  }
  return out;
}

function locationOf(r: MessageResponseT): string | undefined {
  return r.headers.find(([k]) => k.toLowerCase() === "location")?.[1];
}
