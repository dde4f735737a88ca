import type { Socket } from "node:net";
import { errorText, type ObservationPart } from "../observe.js";
import { SocketReader } from "../stream.js";
import { connectTcp } from "../tcp/probe.js";
import { BANNER_MAX_BYTES, HIK_SDK_MAX_REPLY, HIK_SDK_PROBE, bannerResponse, sdkResponse } from "./parse.js";

export interface BannerOptions {
  connectTimeoutMs: number;
  /** how long to wait for bytes (idle) */
  readTimeoutMs: number;
  signal?: AbortSignal;
}

/** Hikvision SDK port: send 32 zero bytes, read <= 64 bytes. Silence is an answer too (raw ""). */
export async function probeHikSdk(address: string, port: number, o: BannerOptions): Promise<ObservationPart> {
  const request = { payload: HIK_SDK_PROBE.toString("hex") };
  return withSocket(address, port, o, request, async (sock, reader) => {
    sock.write(HIK_SDK_PROBE);
    // nmap's match is a 16-byte frame; wait for that or the cap, whichever first.
    await reader.readUntil((b) => b.length >= 16, {
      idleMs: o.readTimeoutMs,
      deadline: performance.now() + 2 * o.readTimeoutMs,
      maxBytes: HIK_SDK_MAX_REPLY,
      signal: o.signal,
    });
    return sdkResponse(reader.buffered.subarray(0, HIK_SDK_MAX_REPLY));
  });
}

/** Any other port: connect and read whatever the service volunteers within bannerMs (cap 4 KiB). */
export async function probeBanner(
  address: string,
  port: number,
  o: BannerOptions & { bannerMs?: number },
): Promise<ObservationPart> {
  const bannerMs = o.bannerMs ?? 2000;
  return withSocket(address, port, o, { probe: "connect" }, async (_sock, reader) => {
    const deadline = Date.now() + bannerMs;
    let end: string = "idle";
    // Keep reading until the window closes: banners may come in pieces.
    while (Date.now() < deadline) {
      end = await reader.readUntil(() => false, {
        idleMs: Math.max(1, deadline - Date.now()),
        maxBytes: BANNER_MAX_BYTES,
        signal: o.signal,
      });
      if (end !== "idle") break;
    }
    const buf = reader.buffered.subarray(0, BANNER_MAX_BYTES);
    return bannerResponse(buf, end === "cap" && reader.buffered.length >= BANNER_MAX_BYTES);
  });
}

async function withSocket(
  address: string,
  port: number,
  o: BannerOptions,
  request: Record<string, unknown>,
  run: (
    s: Socket,
    r: SocketReader,
  ) => Promise<{ raw: string; encoding?: "utf8" | "base64"; truncated?: boolean }>,
): Promise<ObservationPart> {
  let sock: Socket | undefined;
  try {
    sock = await connectTcp({ host: address, port, timeoutMs: o.connectTimeoutMs, signal: o.signal });
    const reader = new SocketReader(sock);
    return { protocol: "banner", port, request, response: await run(sock, reader) };
  } catch (e) {
    if (o.signal?.aborted) throw e;
    return { protocol: "banner", port, request, error: errorText(e) };
  } finally {
    sock?.destroy();
  }
}
