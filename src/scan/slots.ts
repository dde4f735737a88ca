import { readFileSync } from "node:fs";

/**
 * A counting semaphore, FIFO. The scan takes one slot per socket it opens, so it can never hold more sockets
 * than it was given, whatever the targets do: running out of file descriptors is prevented, not caught.
 */
export class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!(size >= 1)) throw new RangeError(`slot count must be >= 1, got ${size}`);
  }

  get inUse(): number {
    return this.used;
  }

  /** Waits for a slot; rejects if the signal aborts first. Returns the release function (idempotent). */
  async take(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.used < this.size && this.waiting.length === 0) this.used++;
    else
      await new Promise<void>((resolve, reject) => {
        const grant = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.waiting.indexOf(grant);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        this.waiting.push(grant);
      });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next)
        next(); // the slot passes straight on
      else this.used--;
    };
  }
}

/** This process's soft limit on open files (Linux /proc), or undefined where it cannot be read. */
export function openFileLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync("/proc/self/limits", "utf8"));
    if (!m) return undefined;
    return m[1] === "unlimited" ? Number.MAX_SAFE_INTEGER : Number(m[1]);
  } catch {
    return undefined;
  }
}

/**
 * Sockets the scan may hold at once: what the profile asks, but never more than half the file limit
 * (the rest is for the inventory, output files and Node itself).
 */
export function socketBudget(wanted: number, limit: number | null = openFileLimit() ?? null): number {
  // Where the limit cannot be read (no /proc), 1024 is within every system's default.
  const cap = limit === null ? 1024 : Math.max(16, Math.floor(limit / 2));
  return Math.max(1, Math.min(wanted, cap));
}
