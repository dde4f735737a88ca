import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, closedPort, tcpServer } from "../__fixtures__/servers.js";
import { FIXED_PACE, type Pacer } from "../pacer.js";
import { timeoutError } from "../observe.js";
import { connectPass, DISCOVERY_PORTS } from "./pass.js";
import type { connectTcp } from "./probe.js";

// This file owns 127.76.7.0/24. Loopback never drops a SYN, so silence is a stand-in connect.
const H = "127.76.7.1";
let open: Running;
let closed: number;
beforeAll(async () => {
  open = await tcpServer(H, () => {});
  closed = await closedPort(H);
});
afterAll(async () => {
  await open.close();
});

function countingPace(): Pacer & { opened: number; samples: number[] } {
  const base = FIXED_PACE(300);
  const p = {
    ...base,
    opened: 0,
    samples: [] as number[],
    open: async () => {
      p.opened++;
      return () => {};
    },
    sample: (ms: number) => p.samples.push(ms),
  };
  return p;
}

describe("connect pass", () => {
  it("states each port, measures round trips and takes a slot per connect", async () => {
    const pace = countingPace();
    const states = await connectPass(
      H,
      [
        { port: open.port, service: "http" },
        { port: closed, service: "http" },
      ],
      { pacer: pace, concurrency: 2, retries: 1 },
    );
    expect(states.get(open.port)).toBe("open");
    expect(states.get(closed)).toBe("closed");
    expect(pace.opened).toBe(2); // nothing silent, nothing retried
    expect(pace.samples).toHaveLength(2);
  });

  const silentNet =
    (answering: Set<number>, asked: number[], waits: number[] = []): typeof connectTcp =>
    async (c) => {
      asked.push(c.port);
      waits.push(c.timeoutMs);
      if (answering.has(c.port)) throw Object.assign(new Error("refused"), { code: "ECONNREFUSED" });
      throw timeoutError(`connect to ${c.host}:${c.port} timed out`);
    };
  const ports = Array.from({ length: 7 }, (_, i) => ({ port: 40000 + i, service: "http" as const }));

  it("a host that answers nothing is asked, and retried, on a few ports only", async () => {
    const asked: number[] = [];
    const waits: number[] = [];
    const states = await connectPass("127.76.7.3", ports, {
      pacer: countingPace(),
      concurrency: 7,
      retries: 2,
      upRetries: 5, // for hosts that answered: this one never does
      connect: silentNet(new Set(), asked, waits),
    });
    expect([...states.values()].every((s) => s === "filtered")).toBe(true);
    expect(asked).toHaveLength(3 * DISCOVERY_PORTS);
    // Each retry waits twice as long as the try before it (the pacer's timeout is 300 ms).
    expect(waits).toEqual([300, 300, 300, 600, 600, 600, 1200, 1200, 1200]);
    // Assumed up: every port, every round.
    const all: number[] = [];
    await connectPass("127.76.7.3", ports, {
      pacer: countingPace(),
      concurrency: 7,
      retries: 1,
      discoveryPorts: 0,
      connect: silentNet(new Set(), all),
    });
    expect(all).toHaveLength(14);
  });

  it("a live host's silent ports are all retried, and a host that wakes up on a retry gets the rest asked", async () => {
    const asked: number[] = [];
    // Answers (RST) on its second port: the rest are asked at once, and every silent port is retried.
    await connectPass("127.76.7.4", ports, {
      pacer: countingPace(),
      concurrency: 7,
      retries: 1,
      connect: silentNet(new Set([40001]), asked),
    });
    expect(asked).toHaveLength(7 + 6);

    // Silent in round one, answering on the first port afterwards (a SYN lost on the way): the retry asks
    // the first ports, one answers, so the other four are asked at once, for the first time.
    const late: number[] = [];
    let round = 0;
    const wakes: typeof connectTcp = async (c) => {
      late.push(c.port);
      if (late.length > DISCOVERY_PORTS) round = 1;
      if (round && c.port === 40000) throw Object.assign(new Error("refused"), { code: "ECONNREFUSED" });
      throw timeoutError("timed out");
    };
    const states = await connectPass("127.76.7.5", ports, {
      pacer: countingPace(),
      concurrency: 1,
      retries: 1,
      connect: wakes,
    });
    expect(states.get(40000)).toBe("closed");
    expect(late).toHaveLength(DISCOVERY_PORTS + 7);
  });

  it("a host that answered gets its silent ports asked upRetries more times, at the last retry's wait", async () => {
    const asked: number[] = [];
    const waits: number[] = [];
    await connectPass("127.76.7.6", ports, {
      pacer: countingPace(),
      concurrency: 7,
      retries: 1,
      upRetries: 3,
      connect: silentNet(new Set([40001]), asked, waits),
    });
    expect(asked).toHaveLength(7 + 6 * 3);
    expect(waits).toEqual([...Array(7).fill(300), ...Array(18).fill(600)]);

    // Its one open port lost three SYNs in a row (a lossy link): the fourth try finds it open.
    let lost = 0;
    const lossy: typeof connectTcp = async (c) => {
      if (c.port === 40001) throw Object.assign(new Error("refused"), { code: "ECONNREFUSED" });
      if (c.port === 40000 && ++lost > 3) return { resetAndDestroy: () => undefined } as never;
      throw timeoutError("timed out");
    };
    const states = await connectPass("127.76.7.7", ports, {
      pacer: countingPace(),
      concurrency: 7,
      retries: 1,
      upRetries: 3,
      connect: lossy,
    });
    expect(states.get(40000)).toBe("open");
    // With retries alone it is lost: the host would be reported as having nothing open.
    lost = 0;
    const short = await connectPass("127.76.7.7", ports, {
      pacer: countingPace(),
      concurrency: 7,
      retries: 1,
      connect: lossy,
    });
    expect(short.get(40000)).toBe("filtered");
  });
});
