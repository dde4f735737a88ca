import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Socket } from "node:net";
import { labDevice, startLab, type LabDevice, type RunningLab } from "./index.js";
import { loadPersonaCatalog } from "./load.js";

// This file owns 127.81.1.0/24.
const RANGE = "127.81.1.0/24";
const IDS = [
  "misbehave-reset",
  "misbehave-tarpit",
  "misbehave-half-open",
  "misbehave-flood",
  "misbehave-garbage",
  "misbehave-drip",
];
let lab: RunningLab;

beforeAll(async () => {
  lab = await startLab({ range: RANGE, personas: IDS, portOffset: 20000 });
});
afterAll(async () => {
  await lab?.stop();
});

const device = (id: string): LabDevice => labDevice(lab, id);
const port = (id: string, nominal: number) => {
  const s = device(id).services.find((x) => x.nominalPort === nominal);
  if (!s) throw new Error(`${id} has no port ${nominal}`);
  return s.port;
};

interface Outcome {
  /** bytes received (only the first `keep` are stored) */
  received: number;
  head: Buffer;
  /** how the connection ended within the window: reset, fin, or still open */
  end: "reset" | "fin" | "open";
  /** ms from connect to the end (or to the window's close) */
  ms: number;
  /** arrival times (ms after connect) of the first chunks */
  arrivals: number[];
}

/** Connect, optionally send a request, and watch for `windowMs`: what arrives and how the connection ends. */
function watch(id: string, nominal: number, request: string | undefined, windowMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const s: Socket = connect({ host: device(id).address, port: port(id, nominal) });
    const chunks: Buffer[] = [];
    const arrivals: number[] = [];
    let received = 0;
    let t0 = 0;
    let settled = false;
    const done = (end: Outcome["end"]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      s.destroy();
      resolve({ received, head: Buffer.concat(chunks), end, ms: Date.now() - t0, arrivals });
    };
    const timer = setTimeout(() => done("open"), windowMs);
    s.on("connect", () => {
      t0 = Date.now();
      if (request !== undefined) s.write(request);
    });
    s.on("data", (c: Buffer) => {
      received += c.length;
      if (arrivals.length < 64) arrivals.push(Date.now() - t0);
      if (Buffer.concat(chunks).length < 4096) chunks.push(c);
    });
    s.on("end", () => done("fin"));
    s.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "ECONNRESET") done("reset");
      else if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(e);
      }
    });
  });
}

const GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
const OPTIONS = "OPTIONS rtsp://x/ RTSP/1.0\r\nCSeq: 1\r\n\r\n";

describe("misbehaving personas", () => {
  it("are kept out of the default set and load from lab/personas/misbehaving", () => {
    const { standard, misbehaving } = loadPersonaCatalog();
    expect(misbehaving.map((p) => p.id).sort()).toEqual([...IDS].sort());
    expect(standard.some((p) => p.id.startsWith("misbehave-"))).toBe(false);
    for (const p of misbehaving)
      expect(p.expect, p.id).toMatchObject({ manufacturer: null, restricted: false });
  });

  it("reset: RST at accept, and RST after the request bytes", async () => {
    const atConnect = await watch("misbehave-reset", 80, undefined, 2000);
    expect(atConnect).toMatchObject({ end: "reset", received: 0 });
    const idle = await watch("misbehave-reset", 554, undefined, 300);
    expect(idle.end).toBe("open"); // waits for a request first
    const afterRequest = await watch("misbehave-reset", 554, OPTIONS, 2000);
    expect(afterRequest).toMatchObject({ end: "reset", received: 0 });
  });

  it("tarpit: accepts, reads, and says nothing without closing", async () => {
    const ports = [80, 554, 8000];
    const outcomes = await Promise.all(ports.map((p) => watch("misbehave-tarpit", p, GET, 1500)));
    for (const o of outcomes) expect(o).toMatchObject({ end: "open", received: 0 });
  });

  it("half-reply stalls after a partial status; close-silent sends FIN without a byte", async () => {
    const half = await watch("misbehave-half-open", 80, GET, 1500);
    expect(half.end).toBe("open");
    expect(half.head.toString("latin1")).toBe("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n");
    const atConnect = await watch("misbehave-half-open", 8000, undefined, 2000);
    expect(atConnect).toMatchObject({ end: "fin", received: 0 });
    const afterRequest = await watch("misbehave-half-open", 8080, GET, 2000);
    expect(afterRequest).toMatchObject({ end: "fin", received: 0 });
  });

  it("garbage: random bytes of the stated size, then FIN, different each time", async () => {
    const a = await watch("misbehave-garbage", 80, GET, 2000);
    const b = await watch("misbehave-garbage", 80, GET, 2000);
    expect(a).toMatchObject({ end: "fin", received: 512 });
    expect(b.received).toBe(512);
    expect(a.head.equals(b.head)).toBe(false);
    const atConnect = await watch("misbehave-garbage", 554, undefined, 2000);
    expect(atConnect).toMatchObject({ end: "fin", received: 256 });
  });

  it("drip: one byte per second", async () => {
    const o = await watch("misbehave-drip", 80, GET, 3300);
    expect(o.end).toBe("open");
    expect(o.head.toString("latin1")).toBe("HTTP");
    // First byte at once, then about 1 s apart.
    const gaps = o.arrivals.slice(1).map((t, i) => t - (o.arrivals[i] as number));
    for (const g of gaps) expect(g).toBeGreaterThan(800);
  });

  it("flood: sends until the client closes, at a capped rate, with nothing piling up when it stops reading", async () => {
    const o = await watch("misbehave-flood", 80, GET, 1500);
    expect(o.end).toBe("open");
    expect(o.head.toString("latin1")).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\n<p>flood<\/p>\n/);
    // 1 MiB/s for 1.5 s is ~1.5 MiB; allow for timer slack but not an uncapped loopback blast (GB/s).
    expect(o.received).toBeGreaterThan(500 * 1024);
    expect(o.received).toBeLessThan(3 * 1024 * 1024);

    // A client that never reads: the lab must stop writing once the socket buffers are full.
    const cpu0 = process.cpuUsage();
    const s = connect({ host: device("misbehave-flood").address, port: port("misbehave-flood", 8000) });
    s.pause();
    await new Promise((r) => setTimeout(r, 2000));
    const cpu = process.cpuUsage(cpu0);
    s.destroy();
    // Both ends live in this process: 2 s of a stalled flood must cost well under a second of CPU.
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(500);
    expect(s.readableLength).toBeLessThan(8 * 1024 * 1024);
  });
});
