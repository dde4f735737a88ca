import http from "node:http";
import https from "node:https";
import { LENIENT_TLS } from "../tls/probe.js";
import type { Hop } from "./parse.js";

/**
 * One kept-alive connection for a port's probe list: a request after the first costs one round trip, not
 * two (a camera's web server answers seven probes on a 20 ms link in about half the time). One socket at
 * a time: a redirect to another port or scheme closes the previous connection first.
 */
export class KeepAlive {
  private key: string | undefined;
  private agent: http.Agent | undefined;

  agentFor(hop: Hop): http.Agent {
    const key = `${hop.scheme}:${hop.port}`;
    if (key !== this.key || !this.agent) {
      this.agent?.destroy();
      this.key = key;
      this.agent =
        hop.scheme === "https"
          ? new https.Agent({ keepAlive: true, maxSockets: 1, ...LENIENT_TLS })
          : new http.Agent({ keepAlive: true, maxSockets: 1 });
    }
    return this.agent;
  }

  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
    this.key = undefined;
  }
}

/** A request that failed on a kept-alive socket the device had already closed: worth one fresh try. */
export function failedOnReusedSocket(e: unknown): boolean {
  return (e as { reusedSocket?: boolean } | undefined)?.reusedSocket === true;
}
