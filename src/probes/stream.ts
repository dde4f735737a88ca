import type { Socket } from "node:net";
import { probeError, timeoutError } from "./observe.js";

export interface ReadOptions {
  /** give up when no byte arrives for this long */
  idleMs: number;
  /** stop reading at this many bytes (the rest is dropped and `capped` set) */
  maxBytes: number;
  /** give up at this time (performance.now()) however the bytes trickle in: a drip must not hold a read open */
  deadline?: number;
  signal?: AbortSignal;
}

export type ReadEnd = "done" | "end" | "idle" | "cap";

/**
 * Buffers what a socket sends so several reads can share one connection (RTSP OPTIONS then DESCRIBE).
 * Every wait has an idle timeout, and may have a deadline; the buffer never grows past the caller's cap.
 */
export class SocketReader {
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly sock: Socket) {
    sock.on("data", (d: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.wake?.();
    });
    sock.on("end", () => {
      this.ended = true;
      this.wake?.();
    });
    sock.on("close", () => {
      this.ended = true;
      this.wake?.();
    });
    sock.on("error", (e) => {
      this.failure = e;
      this.wake?.();
    });
  }

  get buffered(): Buffer {
    return this.buf;
  }
  get isEnded(): boolean {
    return this.ended;
  }

  /** Drops the first n bytes (a parsed message). */
  consume(n: number): void {
    this.buf = this.buf.subarray(n);
  }

  /**
   * Waits until `done(buffer)` is true, the peer closes, the socket is idle for idleMs, or maxBytes is reached.
   * Rejects on socket errors and abort; pending data stays in the buffer either way.
   */
  async readUntil(done: (b: Buffer) => boolean, o: ReadOptions): Promise<ReadEnd> {
    for (;;) {
      if (o.signal?.aborted) throw o.signal.reason ?? probeError("ABORT_ERR", "aborted", "AbortError");
      if (done(this.buf)) return "done";
      if (this.buf.length >= o.maxBytes) return "cap";
      if (this.failure) throw this.failure;
      if (this.ended) return "end";
      const left = o.deadline === undefined ? o.idleMs : Math.min(o.idleMs, o.deadline - performance.now());
      if (left <= 0) return "idle";
      const before = this.buf.length;
      const woke = await new Promise<boolean>((resolve) => {
        // Decided after waiting I/O, as connects are: a held-up event loop runs timers before the data that came.
        const t = setTimeout(() => setImmediate(() => finish(false)), left);
        const onAbort = () => finish(true);
        let settled = false;
        const finish = (v: boolean) => {
          if (settled) return; // a deferred timeout after a wake must not clear the next wait's wake
          settled = true;
          clearTimeout(t);
          o.signal?.removeEventListener("abort", onAbort);
          this.wake = undefined;
          resolve(v);
        };
        o.signal?.addEventListener("abort", onAbort, { once: true });
        this.wake = () => finish(true);
      });
      if (!woke && this.buf.length === before) return "idle";
    }
  }
}

export const idleError = (what: string, ms: number) => timeoutError(`${what}: no data for ${ms} ms`);
