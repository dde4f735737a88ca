/**
 * Round-trip estimate for connect timeouts, as TCP (RFC 6298) and nmap do: srtt and rttvar from measured
 * connects, timeout = srtt + 4 x rttvar, clamped to the profile's bounds. One estimator per host and one for
 * the whole scan: a host not yet measured (or never answering) is waited for as long as the scan's
 * answering hosts suggest, so silent addresses cost a few round trips, not a fixed second.
 */
export class RttEstimator {
  private srtt: number | undefined;
  private rttvar = 0;

  constructor(
    private readonly initialMs: number,
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {}

  get measured(): boolean {
    return this.srtt !== undefined;
  }

  sample(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) return;
    if (this.srtt === undefined) {
      this.srtt = ms;
      this.rttvar = ms / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - ms);
      this.srtt = 0.875 * this.srtt + 0.125 * ms;
    }
  }

  /** Timeout from this estimate, or `fallback` (the scan's) when nothing was measured here yet. */
  timeoutMs(fallback?: RttEstimator): number {
    if (this.srtt === undefined) return fallback?.measured ? fallback.timeoutMs() : this.initialMs;
    return Math.round(Math.min(this.maxMs, Math.max(this.minMs, this.srtt + 4 * this.rttvar)));
  }
}
