import { randomUUID } from "node:crypto";
import { CamsweepError } from "../../shared/errors.js";
import { HttpError } from "../errors.js";
import { JOB_KINDS, JOB_STATES, type JobState } from "../../shared/wire/lists.js";

/**
 * Background jobs of the server process (scans and imports started over the API): a few run at once, the rest
 * wait their turn; each can be cancelled and watched. Finished jobs are kept in memory for a while so a page can
 * still show how one ended; what they found is in the inventory anyway.
 */

export { JOB_KINDS, JOB_STATES, type JobState };
export type JobKind = (typeof JOB_KINDS)[number];

export interface JobProgress {
  /** hosts probed (a scan) or source lines committed (an import) */
  done: number;
  /** hosts to probe; an import's line count is unknown until it ends (0 until then) */
  total: number;
  devices: number;
}

export interface Job {
  id: string;
  kind: JobKind;
  state: JobState;
  /** the user's name */
  by: string;
  organizationId: string | null;
  /** when it was asked for */
  startedAt: string;
  finishedAt: string | null;
  progress: JobProgress;
  error: string | null;
  /** the run's record in the inventory's scans table, once it has one */
  scanId: string | null;
}

/** A device a scan found, as the event stream tells it (device-controlled strings, capped). */
export interface JobDevice {
  address: string;
  manufacturer: string | null;
  model: string | null;
  restricted: boolean;
}

export type JobEvent = { type: "progress" | "end"; job: Job } | { type: "device"; device: JobDevice };

/** What a running job's code gets: its cancel signal and where to report. */
export interface JobContext {
  signal: AbortSignal;
  progress(p: Partial<JobProgress>): void;
  device(d: JobDevice): void;
  scanId(id: string): void;
}

export interface JobSpec {
  kind: JobKind;
  /** the user's name and id (the id decides who may cancel it) */
  by: string;
  userId: string;
  organizationId: string | null;
  /** known at start (a scan's host count) */
  total?: number;
  /** the work; resolves with how it ended ("cancelled": it stopped on the signal and kept what it finished) */
  run(ctx: JobContext): Promise<"done" | "cancelled">;
  /** called once when the job is over, however it ended (also when cancelled before it ran): temp files */
  cleanup?(): Promise<void> | void;
}

export interface JobRegistryOptions {
  /** jobs running at once (default 2) */
  maxRunning?: number;
  /** how long a finished job stays listed, ms (default 1 hour) */
  keepMs?: number;
  /** progress events at most this often per job, ms (default 200: 5 a second) */
  progressEveryMs?: number;
  /** devices kept per job for a watcher that connects late (default 1000) */
  replayDevices?: number;
  /** an unexpected failure (its message is not shown to the client) */
  onError?: (e: unknown) => void;
}

interface Entry {
  job: Job;
  spec: JobSpec;
  abort: AbortController;
  listeners: Set<(e: JobEvent) => void>;
  devices: JobDevice[];
  lastProgress: number;
  timer: NodeJS.Timeout | undefined;
  settled: Promise<void>;
  settle: () => void;
}

const snapshot = (j: Job): Job => ({ ...j, progress: { ...j.progress } });
const ERROR_CHARS = 500;

export class JobRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: Entry[] = [];
  private running = 0;
  private closed = false;
  private readonly maxRunning: number;
  private readonly keepMs: number;
  private readonly progressEveryMs: number;
  private readonly replayDevices: number;

  constructor(private readonly o: JobRegistryOptions = {}) {
    this.maxRunning = o.maxRunning ?? 2;
    this.keepMs = o.keepMs ?? 60 * 60 * 1000;
    this.progressEveryMs = o.progressEveryMs ?? 200;
    this.replayDevices = o.replayDevices ?? 1000;
  }

  /** Queues a job (it starts at once when fewer than maxRunning run) and returns it as it is now. */
  start(spec: JobSpec): Job {
    if (this.closed) throw new HttpError(503, "the server is shutting down; no new jobs");
    this.prune();
    let settle!: () => void;
    const settled = new Promise<void>((r) => (settle = r));
    const e: Entry = {
      job: {
        id: randomUUID(),
        kind: spec.kind,
        state: "queued",
        by: spec.by,
        organizationId: spec.organizationId,
        startedAt: new Date().toISOString(),
        finishedAt: null,
        progress: { done: 0, total: spec.total ?? 0, devices: 0 },
        error: null,
        scanId: null,
      },
      spec,
      abort: new AbortController(),
      listeners: new Set(),
      devices: [],
      lastProgress: 0,
      timer: undefined,
      settled,
      settle,
    };
    this.entries.set(e.job.id, e);
    this.queue.push(e);
    this.pump();
    return snapshot(e.job);
  }

  get(id: string): Job | undefined {
    this.prune();
    const e = this.entries.get(id);
    return e ? snapshot(e.job) : undefined;
  }

  /** Every job kept, newest first. */
  list(): Job[] {
    this.prune();
    return [...this.entries.values()].map((e) => snapshot(e.job)).reverse();
  }

  /** The id of the user who started it. */
  starter(id: string): string | undefined {
    return this.entries.get(id)?.spec.userId;
  }

  /**
   * Cancels a job: a queued one never runs; a running one is aborted and awaited (up to waitMs), so the answer
   * says how it ended. A finished job is returned as it is.
   */
  async cancel(id: string, waitMs = 15_000): Promise<Job | undefined> {
    const e = this.entries.get(id);
    if (!e) return undefined;
    if (e.job.state === "queued") {
      this.queue.splice(this.queue.indexOf(e), 1);
      e.abort.abort();
      await this.finish(e, "cancelled", null);
    } else if (e.job.state === "running") {
      e.abort.abort();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([e.settled, new Promise((r) => (timer = setTimeout(r, waitMs)))]);
      clearTimeout(timer);
    }
    return snapshot(e.job);
  }

  /**
   * Listens to a job's events; returns its state now and the devices it found so far (for a watcher that came
   * late), or undefined when there is no such job. A finished job has no more events: nothing is subscribed.
   */
  subscribe(
    id: string,
    listener: (e: JobEvent) => void,
  ): { job: Job; devices: JobDevice[]; unsubscribe: () => void } | undefined {
    const e = this.entries.get(id);
    if (!e) return undefined;
    const ended = e.job.finishedAt !== null;
    if (!ended) e.listeners.add(listener);
    return {
      job: snapshot(e.job),
      devices: [...e.devices],
      unsubscribe: () => e.listeners.delete(listener),
    };
  }

  /** How many listen to a job now (an event stream whose client went is no longer counted). */
  watchers(id: string): number {
    return this.entries.get(id)?.listeners.size ?? 0;
  }

  /** No new jobs; queued ones are cancelled, running ones aborted and awaited (they keep what they finished). */
  async close(): Promise<void> {
    this.closed = true;
    for (const e of this.queue.splice(0)) {
      e.abort.abort();
      await this.finish(e, "cancelled", null);
    }
    for (const e of this.entries.values()) e.abort.abort();
    await Promise.all([...this.entries.values()].map((e) => e.settled));
  }

  private pump(): void {
    while (this.running < this.maxRunning && this.queue.length > 0) {
      const e = this.queue.shift()!;
      this.running++;
      void this.execute(e).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async execute(e: Entry): Promise<void> {
    e.job.state = "running";
    this.emitProgress(e);
    const ctx: JobContext = {
      signal: e.abort.signal,
      progress: (p) => {
        Object.assign(e.job.progress, p);
        this.throttledProgress(e);
      },
      device: (d) => {
        if (e.devices.length < this.replayDevices) e.devices.push(d);
        this.emit(e, { type: "device", device: d });
      },
      scanId: (id) => {
        e.job.scanId = id;
      },
    };
    let state: JobState;
    let error: string | null = null;
    try {
      state = await e.spec.run(ctx);
    } catch (err) {
      state = e.abort.signal.aborted ? "cancelled" : "failed";
      if (state === "failed") error = this.describe(err);
    }
    await this.finish(e, state, error);
  }

  /** Says why a job failed: the message of a refusal or an input error; anything else is logged, not shown. */
  private describe(err: unknown): string {
    if (err instanceof HttpError || err instanceof CamsweepError) return err.message.slice(0, ERROR_CHARS);
    this.o.onError?.(err);
    return "internal error";
  }

  private async finish(e: Entry, state: JobState, error: string | null): Promise<void> {
    try {
      await e.spec.cleanup?.();
    } catch (err) {
      this.o.onError?.(err);
    }
    clearTimeout(e.timer);
    e.timer = undefined;
    e.job.state = state;
    e.job.error = error;
    e.job.finishedAt = new Date().toISOString();
    this.emit(e, { type: "end", job: snapshot(e.job) });
    e.listeners.clear();
    e.settle();
  }

  private throttledProgress(e: Entry): void {
    if (e.timer) return;
    const wait = e.lastProgress + this.progressEveryMs - Date.now();
    if (wait <= 0) return this.emitProgress(e);
    e.timer = setTimeout(() => {
      e.timer = undefined;
      if (e.job.finishedAt === null) this.emitProgress(e);
    }, wait);
  }

  private emitProgress(e: Entry): void {
    e.lastProgress = Date.now();
    this.emit(e, { type: "progress", job: snapshot(e.job) });
  }

  private emit(e: Entry, ev: JobEvent): void {
    for (const l of e.listeners) {
      try {
        l(ev);
      } catch (err) {
        this.o.onError?.(err);
      }
    }
  }

  /** Finished jobs older than keepMs are forgotten. */
  private prune(): void {
    const before = Date.now() - this.keepMs;
    for (const [id, e] of this.entries)
      if (e.job.finishedAt !== null && Date.parse(e.job.finishedAt) < before) this.entries.delete(id);
  }
}
