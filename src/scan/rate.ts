/**
 * Packet-rate limit: a token bucket for new connections and datagrams, whole scan. Tokens refill
 * continuously; the bucket holds 20 ms worth so timer granularity does not cap high rates. Waiters are
 * served in order.
 */
export class RateLimiter {
  private tokens: number;
  private last = performance.now();
  private queue: Promise<void> = Promise.resolve();
  private readonly capacity: number;

  constructor(readonly perSecond: number) {
    if (!(perSecond > 0)) throw new RangeError(`rate must be > 0, got ${perSecond}`);
    this.capacity = Math.max(1, perSecond / 50);
    this.tokens = this.capacity;
  }

  /** Resolves when one token is available (and takes it); rejects if the signal aborts while waiting. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.next(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async next(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = performance.now();
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.perSecond) / 1000);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.max(1, ((1 - this.tokens) * 1000) / this.perSecond), signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
