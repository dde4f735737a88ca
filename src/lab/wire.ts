import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { CamsweepError } from "../shared/errors.js";

/**
 * The link between the namespace lab's two namespaces, emulated in user space: a TUN device in each namespace,
 * and this process between them, holding every IPv4 packet for half the round trip and dropping a share of them.
 *
 * Why not a veth pair with `tc qdisc netem`: the kernels camsweep is developed and tested on are built without
 * sch_netem (CONFIG_NET_SCH_NETEM is not set; no fq/ETF either), so there is no in-kernel way to delay packets.
 * TUN (CONFIG_TUN) is everywhere. Node cannot issue the TUNSETIFF ioctl, so a few lines of Perl (perl-base is
 * in every Debian system) open each device and pass its packets over a pipe, framed with a 2-byte length.
 */

/** Opens TUN device $ARGV[0] in the current namespace; tun → stdout and stdin → tun, 2-byte length frames. */
export const TUN_HELPER = String.raw`
use strict; use warnings;
my $name = shift;
open(my $tun, "+<", "/dev/net/tun") or die "open /dev/net/tun: $!\n";
# TUNSETIFF with IFF_TUN | IFF_NO_PI: raw IP packets, no extra header.
ioctl($tun, 0x400454ca, pack("Z16 s x22", $name, 0x0001 | 0x1000)) or die "TUNSETIFF $name: $!\n";
binmode $tun; binmode STDIN; binmode STDOUT;
print STDERR "ready\n";
my $parent = $$;
my $pid = fork() // die "fork: $!\n";
if ($pid == 0) {
  my $buf = '';
  while (1) {
    my $n = sysread(STDIN, $buf, 262144, length $buf);
    last unless $n;
    while (length($buf) >= 2) {
      my $len = unpack("n", $buf);
      last if length($buf) < 2 + $len;
      syswrite($tun, substr($buf, 2, $len));
      substr($buf, 0, 2 + $len) = '';
    }
  }
  # Our driver is gone (stdin closed): take the reader down too, which frees the device.
  kill 'TERM', $parent;
  exit 0;
}
my $pkt;
while (1) {
  my $n = sysread($tun, $pkt, 65535);
  last unless $n;
  syswrite(STDOUT, pack("n", $n) . $pkt) or last;
}
kill 'TERM', $pid;
`;

export interface WireOptions {
  /** delay each way, ms (half the round trip) */
  oneWayMs: number;
  /** share of packets lost each way, percent */
  lossPercent: number;
  /** packets from the scanner side to addresses this refuses are dropped (a router with no route: silence) */
  deliverTo?: (ipv4: number) => boolean;
  /** packets held at once per direction before new ones are dropped (netem's `limit`) */
  limit?: number;
  random?: () => number;
}

export interface WireEnd {
  namespace: string;
  device: string;
}

export interface WireStats {
  forwarded: number;
  lost: number;
  refused: number;
  overflow: number;
  /** worst lateness of a release beyond its due time, ms (event-loop stalls of the relay show up here) */
  maxLateMs: number;
}

/** One direction: a FIFO of packets released when due (the delay is constant, so order is kept). */
class Lane {
  private queue: { due: number; frame: Buffer }[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly delayMs: number,
    private readonly limit: number,
    private readonly deliver: (frames: Buffer[]) => void,
    readonly stats: WireStats,
  ) {}

  push(frame: Buffer): void {
    if (this.queue.length - this.head >= this.limit) {
      this.stats.overflow += 1;
      return;
    }
    if (this.delayMs <= 0) {
      this.stats.forwarded += 1;
      this.deliver([frame]);
      return;
    }
    this.queue.push({ due: performance.now() + this.delayMs, frame });
    if (!this.timer) this.arm();
  }

  private arm(): void {
    const next = this.queue[this.head];
    if (!next) return;
    this.timer = setTimeout(() => this.release(), Math.max(0, next.due - performance.now()));
  }

  private release(): void {
    this.timer = undefined;
    const now = performance.now() + 0.5;
    const first = this.queue[this.head];
    if (first) this.stats.maxLateMs = Math.max(this.stats.maxLateMs, Math.round(now - 0.5 - first.due));
    const out: Buffer[] = [];
    while (this.head < this.queue.length && (this.queue[this.head] as { due: number }).due <= now) {
      out.push((this.queue[this.head] as { frame: Buffer }).frame);
      this.head += 1;
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.stats.forwarded += out.length;
    if (out.length) this.deliver(out);
    this.arm();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.queue = [];
    this.head = 0;
  }
}

/** Splits a byte stream of 2-byte-length frames into frames (each a copy, so the stream's chunks can go). */
function framer(onFrame: (frame: Buffer) => void): (chunk: Buffer) => void {
  let buf: Buffer = Buffer.alloc(0);
  return (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    let off = 0;
    while (buf.length - off >= 2) {
      const len = buf.readUInt16BE(off);
      if (buf.length - off < 2 + len) break;
      onFrame(Buffer.from(buf.subarray(off, off + 2 + len)));
      off += 2 + len;
    }
    buf = buf.subarray(off);
  };
}

export interface RunningWire {
  stats: { toLab: WireStats; toScan: WireStats };
  /** resolves (or rejects) when a helper exits on its own */
  failed: Promise<string>;
  stop(): Promise<void>;
}

function startHelper(end: WireEnd): Promise<ChildProcessWithoutNullStreams> {
  return new Promise((resolve, reject) => {
    const child = spawn("ip", ["netns", "exec", end.namespace, "perl", "-e", TUN_HELPER, end.device], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    const onData = (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes("ready\n")) {
        child.stderr.off("data", onData);
        resolve(child);
      }
    };
    child.stderr.on("data", onData);
    child.once("error", (e) => reject(new CamsweepError(`cannot start the link helper: ${e.message}`)));
    child.once("exit", (code) =>
      reject(new CamsweepError(`the link helper for ${end.device} exited (${code}): ${stderr.trim()}`)),
    );
  });
}

/** Create the two TUN devices and start relaying between them. */
export async function startWire(scan: WireEnd, lab: WireEnd, opts: WireOptions): Promise<RunningWire> {
  const started = await Promise.allSettled([startHelper(scan), startHelper(lab)]);
  const helpers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failure = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) {
    for (const h of helpers) h.kill();
    throw failure.reason;
  }
  const [scanSide, labSide] = helpers as [ChildProcessWithoutNullStreams, ChildProcessWithoutNullStreams];
  const random = opts.random ?? Math.random;
  const limit = opts.limit ?? 100_000;
  const loss = opts.lossPercent / 100;
  const stats = {
    toLab: { forwarded: 0, lost: 0, refused: 0, overflow: 0, maxLateMs: 0 },
    toScan: { forwarded: 0, lost: 0, refused: 0, overflow: 0, maxLateMs: 0 },
  };
  const writer = (h: ChildProcessWithoutNullStreams) => (frames: Buffer[]) => {
    if (h.stdin.writable) h.stdin.write(frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames));
  };
  const toLab = new Lane(opts.oneWayMs, limit, writer(labSide), stats.toLab);
  const toScan = new Lane(opts.oneWayMs, limit, writer(scanSide), stats.toScan);
  const route = (lane: Lane, s: WireStats, filter: boolean) => (frame: Buffer) => {
    // frame = 2-byte length + IP packet; only IPv4 crosses (no IPv6 chatter, no router solicitations).
    if (frame.length < 22 || (frame[2] as number) >> 4 !== 4) return;
    if (filter && opts.deliverTo && !opts.deliverTo(frame.readUInt32BE(2 + 16))) {
      s.refused += 1;
      return;
    }
    if (loss > 0 && random() < loss) {
      s.lost += 1;
      return;
    }
    lane.push(frame);
  };
  scanSide.stdout.on("data", framer(route(toLab, stats.toLab, true)));
  labSide.stdout.on("data", framer(route(toScan, stats.toScan, false)));
  for (const h of helpers) h.stdin.on("error", () => undefined);

  let stopping = false;
  const failed = new Promise<string>((resolve) => {
    for (const h of helpers)
      h.once("exit", (code, signal) => {
        if (!stopping) resolve(`link helper exited (${code ?? signal})`);
      });
  });
  return {
    stats,
    failed,
    stop: async () => {
      stopping = true;
      toLab.stop();
      toScan.stop();
      await Promise.all(
        helpers.map(
          (h) =>
            new Promise<void>((resolve) => {
              if (h.exitCode !== null || h.signalCode !== null) return resolve();
              h.once("exit", () => resolve());
              h.stdin.end();
              h.kill("SIGTERM");
            }),
        ),
      );
    },
  };
}
