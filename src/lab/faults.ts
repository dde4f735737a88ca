import { randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import type { PersonaService } from "./persona.js";
import { DEFAULT_LIMITS } from "./message.js";

export type FaultService = Extract<PersonaService, { protocol: "fault" }>;

/** A tarpit reads this much, then stops reading so the client's own send window fills (as a stuck device does). */
const TARPIT_READ_CAP = 64 * 1024;
const FLOOD_TICK_MS = 50;
/** Never queue more than this per connection: a client that does not read stalls the flood, not the lab. */
const FLOOD_MAX_QUEUED = 64 * 1024;
export const FLOOD_DEFAULT_RATE = 1024 * 1024;
export const DRIP_DEFAULT_INTERVAL_MS = 1000;
export const GARBAGE_DEFAULT_BYTES = 512;

/** The flood filler repeated up to one tick's worth of bytes, built once per service. */
const floodChunks = new WeakMap<FaultService, Buffer>();
function floodChunk(svc: FaultService): Buffer {
  let chunk = floodChunks.get(svc);
  if (!chunk) {
    const fill = Buffer.from(svc.fill ?? "A", "latin1");
    const size = Math.max(
      fill.length,
      Math.floor(((svc.bytesPerSecond ?? FLOOD_DEFAULT_RATE) * FLOOD_TICK_MS) / 1000),
    );
    chunk = Buffer.alloc(size);
    for (let i = 0; i < size; i += fill.length) fill.copy(chunk, i);
    floodChunks.set(svc, chunk);
  }
  return chunk;
}

/**
 * Serve one connection of a misbehaving device. Every behaviour is bounded on the lab's side: nothing buffers
 * past a fixed cap, timers die with the socket, and lab.stop() destroys whatever is still open.
 */
export function handleFault(socket: Socket, svc: FaultService): void {
  const timers = new Set<NodeJS.Timeout>();
  const cleanup = () => {
    for (const t of timers) clearInterval(t);
    timers.clear();
  };
  socket.on("error", () => socket.destroy());
  socket.once("close", cleanup);
  const forever = svc.behaviour === "tarpit" || svc.behaviour === "half-reply";
  // Devices drop idle clients; a tarpit never does (that is the point of it).
  if (!forever) socket.setTimeout(DEFAULT_LIMITS.idleMs, () => socket.destroy());

  let read = 0;
  let started = false;
  socket.on("data", (chunk: Buffer) => {
    read += chunk.length;
    if (forever && read > TARPIT_READ_CAP) socket.pause();
    else if (!forever && read > DEFAULT_LIMITS.maxBodyBytes) socket.destroy();
    if (!started) begin();
  });
  // A flood or drip stops when the client goes away; "end" alone (a half-close) also ends it.
  socket.on("end", () => {
    if (!forever) socket.destroy();
  });

  const begin = () => {
    started = true;
    switch (svc.behaviour) {
      case "reset":
        socket.resetAndDestroy();
        return;
      case "tarpit":
        return;
      case "half-reply":
        if (svc.text) socket.write(Buffer.from(svc.text, "latin1"));
        return;
      case "close-silent":
        socket.end();
        return;
      case "garbage":
        socket.end(randomBytes(svc.bytes ?? GARBAGE_DEFAULT_BYTES));
        return;
      case "drip":
        return drip(socket, Buffer.from(svc.text ?? "", "latin1"), svc.intervalMs, timers);
      case "flood":
        return flood(socket, svc, timers);
    }
  };
  if (svc.start === "connect" || svc.behaviour === "tarpit") begin();
}

function drip(socket: Socket, text: Buffer, intervalMs: number | undefined, timers: Set<NodeJS.Timeout>) {
  let i = 0;
  const step = () => {
    if (socket.destroyed) return;
    if (i >= text.length) {
      socket.end();
      return;
    }
    socket.write(text.subarray(i, i + 1));
    i += 1;
  };
  step();
  timers.add(setInterval(step, intervalMs ?? DRIP_DEFAULT_INTERVAL_MS));
}

function flood(socket: Socket, svc: FaultService, timers: Set<NodeJS.Timeout>) {
  if (svc.text) socket.write(Buffer.from(svc.text, "latin1"));
  const chunk = floodChunk(svc);
  // A timer, not a 'drain' loop: a reader that keeps up still gets at most bytesPerSecond, so the CPU stays idle.
  const tick = () => {
    if (socket.destroyed || !socket.writable) return;
    if (socket.writableLength < FLOOD_MAX_QUEUED) socket.write(chunk);
  };
  tick();
  timers.add(setInterval(tick, FLOOD_TICK_MS));
}
