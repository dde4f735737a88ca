import { setMaxListeners } from "node:events";

/**
 * One abort signal per host in flight, all aborted by the scan's. Each probe listens on its host's signal:
 * a few listeners each, where thousands on the one scan signal would make every add and remove walk them
 * all (EventTarget keeps listeners in a list; that walk was most of a large scan's CPU).
 */
export class HostSignals {
  private readonly live = new Map<AbortSignal, AbortController>();
  private readonly onAbort = () => {
    for (const c of this.live.values()) c.abort(this.scan?.reason);
  };

  constructor(private readonly scan?: AbortSignal) {
    scan?.addEventListener("abort", this.onAbort, { once: true });
  }

  open(): AbortSignal {
    const c = new AbortController();
    // A host's probes add a listener per port and socket: more than Node's warning threshold of 10.
    setMaxListeners(0, c.signal);
    if (this.scan?.aborted) c.abort(this.scan.reason);
    else this.live.set(c.signal, c);
    return c.signal;
  }

  close(signal: AbortSignal): void {
    this.live.delete(signal);
  }

  dispose(): void {
    this.scan?.removeEventListener("abort", this.onAbort);
    this.live.clear();
  }
}
