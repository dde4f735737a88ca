import { describe, expect, it } from "vitest";
import { HTTP_PROBES } from "../probes/index.js";
import { parsePorts } from "../targets/index.js";
import { planScan } from "./plan.js";
import { timing } from "./timing.js";

describe("planScan", () => {
  const ports = parsePorts("80,443,554,8000,8080,8443,37777");

  it("counts the discovery SYNs, the most with retries (a live host's), and what each host found costs", () => {
    const p = planScan(65534, ports, timing("T4"), true);
    expect(p.connects).toEqual({ discovery: 65534 * 3, atMost: 65534 * 7 * (1 + 3), perLiveHost: 4 });
    // 80 and 8080 (http), 443 and 8443 (https, one handshake more), 554 (OPTIONS, DESCRIBE), 8000 (one frame).
    const http = HTTP_PROBES.length + 2;
    expect(p.perLiveHost).toEqual({ datagrams: 6, requests: 2 * http + 2 * (http + 1) + 2 + 1 });
    expect(p.minSeconds).toBeCloseTo((65534 * 3) / 10000, 5);
  });

  it("asks every port of a host assumed up, and sends no datagram without UDP", () => {
    const p = planScan(10, ports, timing("T3"), false, true);
    expect(p.connects.discovery).toBe(70);
    expect(p.connects.perLiveHost).toBe(0);
    expect(p.perLiveHost.datagrams).toBe(0);
  });

  it("with fewer ports than the discovery asks, asks them all", () => {
    const p = planScan(4, parsePorts("80"), timing("T2"), true);
    expect(p.connects).toEqual({ discovery: 4, atMost: 4 * (1 + 4), perLiveHost: 0 });
  });
});
