import type { Pacer } from "../probes/index.js";
import { RateLimiter } from "./rate.js";
import { RttEstimator } from "./rtt.js";
import { Slots } from "./slots.js";
import type { Timing } from "./timing.js";

/**
 * The scan's shared limits: one rate limiter and one socket budget for all hosts, one round-trip estimate
 * for the scan and one per host. forHost() hands a probe run the Pacer view of them.
 */
export class ScanPace {
  readonly rate: RateLimiter;
  readonly sockets: Slots;
  private readonly scanRtt: RttEstimator;

  constructor(
    private readonly t: Timing,
    socketBudget: number,
    private readonly onShortage?: (code: string) => void,
  ) {
    this.rate = new RateLimiter(t.maxRate);
    this.sockets = new Slots(socketBudget);
    this.scanRtt = new RttEstimator(t.initialRttMs, t.minRttMs, t.maxRttMs);
  }

  forHost(): Pacer {
    const own = new RttEstimator(this.t.initialRttMs, this.t.minRttMs, this.t.maxRttMs);
    return {
      open: async (signal) => {
        const release = await this.sockets.take(signal);
        try {
          await this.rate.take(signal);
        } catch (e) {
          release();
          throw e;
        }
        return release;
      },
      connectTimeoutMs: () => own.timeoutMs(this.scanRtt),
      sample: (ms) => {
        own.sample(ms);
        this.scanRtt.sample(ms);
      },
      shortage: (code) => this.onShortage?.(code),
    };
  }
}
