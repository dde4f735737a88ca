import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labPortSpec } from "../cli/lab-scan.js";
import { startLab, type RunningLab } from "../lab/index.js";
import { parsePorts } from "../targets/index.js";
import { runScan, TIMINGS, type ScannedHost, type Timing } from "./index.js";

// This file owns 127.76.4.0/24 and 127.76.6.0/24.
const NORMAL = ["hikvision-ipc-current", "dahua-ipc", "axis-camera", "printer"];
const FAULTY = [
  "misbehave-tarpit",
  "misbehave-drip",
  "misbehave-flood",
  "misbehave-garbage",
  "misbehave-reset",
  "misbehave-half-open",
];
// Short reads and a short port budget keep the test quick; the bounds below are written in terms of them.
const t: Timing = { ...TIMINGS.T4, hosts: 16, readTimeoutMs: 400, portBudgetMs: 3000, retries: 0 };

interface Finished {
  host: ScannedHost | null;
  ms: number;
}

async function timedScan(lab: RunningLab, ids: string[]): Promise<Map<string, Finished>> {
  const devices = lab.devices.filter((d) => ids.includes(d.persona.id));
  const done = new Map<string, Finished>();
  const start = performance.now();
  await runScan({
    hosts: devices.map((d) => ({ address: d.address })),
    timing: t,
    probe: { ports: parsePorts(labPortSpec(lab)) },
    onHost: (host, address) => {
      const id = devices.find((d) => d.address === address)!.persona.id;
      done.set(id, { host, ms: performance.now() - start });
    },
  });
  return done;
}

describe("misbehaving devices cost only their own timeouts", () => {
  let lab: RunningLab;
  beforeAll(async () => {
    lab = await startLab({ range: "127.76.4.0/24", personas: [...NORMAL, ...FAULTY] });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it("every device ends within its bound, and the well-behaved ones are not held up", async () => {
    const alone = await timedScan(lab, NORMAL);
    const mixed = await timedScan(lab, [...NORMAL, ...FAULTY]);
    expect(mixed.size).toBe(NORMAL.length + FAULTY.length);

    for (const id of NORMAL) {
      const a = alone.get(id)!;
      const m = mixed.get(id)!;
      // Same verdict, and about the same time as without the faulty hosts beside them.
      expect(m.host?.identification.manufacturer).toBe(a.host?.identification.manufacturer);
      expect(m.host?.identification.model).toBe(a.host?.identification.model);
      expect(m.ms).toBeLessThan(a.ms * 1.5 + 1000);
    }
    // A faulty host's ports are probed a few at a time, each within the port budget; the UDP window overlaps.
    for (const id of FAULTY) {
      const device = lab.devices.find((d) => d.persona.id === id)!;
      const tcpPorts = device.services.filter((s) => !["sadp", "dhip"].includes(s.protocol)).length;
      const bound = Math.ceil(tcpPorts / t.perHostServices) * t.portBudgetMs + t.maxRttMs + 1000;
      expect(mixed.get(id)!.ms, id).toBeLessThan(bound);
    }
  }, 60_000);

  it("what a faulty device sent is recorded capped and flagged, never taken for a device", async () => {
    const mixed = await timedScan(lab, FAULTY);
    for (const id of FAULTY) {
      const h = mixed.get(id)?.host;
      if (!h) continue; // the reset host may leave nothing to record
      expect(h.identification.restricted, id).toBe(false);
      expect(h.identification.manufacturer, id).toBeNull();
      for (const o of h.observations) expect(JSON.stringify(o).length, id).toBeLessThan(200_000);
    }
    const flood = mixed.get("misbehave-flood")!.host!;
    expect(
      flood.observations.some((o) => o.response && "truncated" in o.response && o.response.truncated),
    ).toBe(true);
    const tarpit = mixed.get("misbehave-tarpit")!.host!;
    expect(tarpit.observations.some((o) => o.error?.startsWith("timeout"))).toBe(true);
  }, 60_000);
});

describe("IPv6 targets", () => {
  it("scans ::1 like any other address", async () => {
    const { tcpServer, replyAfter } = await import("../probes/__fixtures__/servers.js");
    const s = await tcpServer(
      "::1",
      replyAfter(
        (b) => b.includes("\r\n\r\n"),
        () =>
          "HTTP/1.1 401 Unauthorized\r\nServer: App-webs/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
      ),
    );
    try {
      const found = await runScan({
        hosts: [{ address: "::1" }],
        timing: { ...t, readTimeoutMs: 300 },
        probe: { ports: [{ port: s.port, service: "http" }], udp: false },
      });
      expect(found).toHaveLength(1);
      expect(found[0]!.address).toBe("::1");
      expect(found[0]!.openPorts).toEqual([s.port]);
      expect(found[0]!.observations.every((o) => o.target === "::1")).toBe(true);
      // App-webs is Hikvision's web server (protocols.md §2.2): the verdict comes through over IPv6 too.
      expect(found[0]!.identification.manufacturer).toBe("hikvision");
    } finally {
      await s.close();
    }
  });
});
