import type { FastifyReply } from "fastify";
import { CSP } from "../headers.js";
import type { Job, JobDevice, JobEvent, JobRegistry } from "./jobs.js";

/**
 * A job's live events as Server-Sent Events: its state at once (and the devices it found so far), then
 * `progress`, `device` and finally `end`, after which the stream closes. Every data line is one JSON text:
 * JSON escapes line breaks, so a device's strings cannot end a field or forge an event.
 */

/** A client that reads slower than this much buffered output is dropped (it may reconnect). */
const MAX_BUFFERED = 1024 * 1024;

export interface SseOptions {
  /** a `: keep-alive` comment this often (default 15 s), so proxies keep an idle stream open */
  keepAliveMs?: number;
  /** streams open now: the server ends them when it closes */
  open?: Set<() => void>;
}

const frame = (event: string, data: Job | JobDevice) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** Takes over the reply and streams the job's events; false when there is no such job (nothing written). */
export function streamJob(reply: FastifyReply, jobs: JobRegistry, id: string, o: SseOptions = {}): boolean {
  const res = reply.raw;
  let ended = false;
  const write = (text: string) => {
    if (ended) return;
    res.write(text);
    if (res.writableLength > MAX_BUFFERED) end();
  };
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(keepAlive);
    sub?.unsubscribe();
    o.open?.delete(end);
    res.end();
  };
  const sub = jobs.subscribe(id, (e: JobEvent) => {
    if (e.type === "device") write(frame("device", e.device));
    else write(frame(e.type, e.job));
    if (e.type === "end") end();
  });
  if (!sub) return false;
  reply.hijack();
  res.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Accel-Buffering": "no",
    Connection: "keep-alive",
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
  });
  // Before anything is written: a write may end the stream (a client too slow), which clears it.
  const keepAlive = setInterval(() => write(": keep-alive\n\n"), o.keepAliveMs ?? 15_000);
  res.on("close", end);
  o.open?.add(end);
  if (sub.job.finishedAt !== null) {
    write(frame("end", sub.job));
    end();
    return true;
  }
  write(frame("progress", sub.job));
  for (const d of sub.devices) write(frame("device", d));
  return true;
}
