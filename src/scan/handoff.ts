/**
 * A bounded hand-off between the scan's two stages: discovery puts each host it found, probing takes them.
 * A full queue makes discovery wait, so found hosts never pile up in memory faster than they are probed.
 */
export class Handoff<T> {
  private readonly items: T[] = [];
  private readonly takers: ((v: T | undefined) => void)[] = [];
  private readonly putters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly capacity: number) {}

  /** Hands an item on (waiting while the queue is full); false once the queue is closed: stop putting. */
  async put(item: T): Promise<boolean> {
    while (this.items.length >= this.capacity && !this.closed)
      await new Promise<void>((r) => this.putters.push(r));
    if (this.closed) return false;
    const taker = this.takers.shift();
    if (taker) taker(item);
    else this.items.push(item);
    return true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The next item, or undefined once the queue is closed and empty. */
  async take(): Promise<T | undefined> {
    const item = this.items.shift();
    if (item !== undefined) {
      this.putters.shift()?.();
      return item;
    }
    if (this.closed) return undefined;
    return new Promise((r) => this.takers.push(r));
  }

  /** No more puts: waiting takers get undefined once the queue is empty, waiting putters get false. */
  close(): void {
    this.closed = true;
    // Takers only wait on an empty queue, so each gets its end now.
    for (const t of this.takers.splice(0)) t(undefined);
    for (const p of this.putters.splice(0)) p();
  }
}
