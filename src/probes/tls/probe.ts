import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { isIP } from "node:net";
import { errorText, type ObservationPart, probeError, timeoutError } from "../observe.js";
import { certSummary } from "./parse.js";

/**
 * Devices run old TLS stacks with self-signed certs: accept any cert, TLS 1.0+, and low security levels.
 * We only read the certificate; nothing confidential is sent over these connections.
 */
export const LENIENT_TLS = {
  rejectUnauthorized: false,
  minVersion: "TLSv1",
  ciphers: "DEFAULT:@SECLEVEL=0",
} as const;

export interface TlsOptions {
  connectTimeoutMs: number;
  readTimeoutMs: number;
  /** SNI name; only sent when it is a hostname (SNI may not carry an IP) */
  servername?: string;
  signal?: AbortSignal;
}

/** Completes a TLS handshake (no verification: devices use self-signed certs), records the peer cert, closes. */
export async function probeTls(address: string, port: number, o: TlsOptions): Promise<ObservationPart> {
  const request = { method: "handshake" };
  try {
    const cert = await new Promise<ReturnType<typeof certSummary>>((resolve, reject) => {
      if (o.signal?.aborted) return reject(o.signal.reason);
      const sni = o.servername && !isIP(o.servername) ? o.servername : undefined;
      const sock: TLSSocket = tlsConnect({
        host: address,
        port,
        ...LENIENT_TLS,
        ...(sni ? { servername: sni } : {}),
      });
      const finish = (err?: Error, value?: ReturnType<typeof certSummary>) => {
        clearTimeout(timer);
        o.signal?.removeEventListener("abort", onAbort);
        sock.destroy();
        if (err) reject(err);
        else resolve(value!);
      };
      const onAbort = () => finish(o.signal?.reason ?? probeError("ABORT_ERR", "aborted", "AbortError"));
      const timer = setTimeout(
        () => finish(timeoutError(`TLS handshake not done after ${o.connectTimeoutMs + o.readTimeoutMs} ms`)),
        o.connectTimeoutMs + o.readTimeoutMs,
      );
      o.signal?.addEventListener("abort", onAbort, { once: true });
      sock.once("error", (e) => finish(e));
      sock.once("secureConnect", () => {
        const x = sock.getPeerX509Certificate();
        if (!x) return finish(probeError("EPROTO", "peer sent no certificate"));
        try {
          finish(undefined, certSummary(x));
        } catch (e) {
          finish(e as Error);
        }
      });
    });
    return { protocol: "tls", port, request, response: { cert } };
  } catch (e) {
    if (o.signal?.aborted) throw e;
    return { protocol: "tls", port, request, error: errorText(e) };
  }
}
