import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Observation, ObservationSchema } from "../observations/observation.js";
import {
  type Running,
  type UdpResponder,
  closedPort,
  replyAfter,
  tarpit,
  tcpServer,
  udpResponder,
} from "./__fixtures__/servers.js";
import { dhipFrame } from "./dhip/parse.js";
import { DHIP_PORT, SADP_PORT, probeHost } from "./index.js";

const H = "127.79.8.1";
const T = "127.79.8.2"; // tarpit host
const fast = { connectTimeoutMs: 300, readTimeoutMs: 300, bannerMs: 200 };
const running: { close: () => Promise<void> }[] = [];
let http: Running, rtsp: Running, sdk: Running, closed: number, sadp: UdpResponder, dhip: UdpResponder;

beforeAll(async () => {
  http = await tcpServer(
    H,
    replyAfter(
      (b) => b.includes("\r\n\r\n"),
      () => "HTTP/1.1 200 OK\r\nCONNECTION: close\r\nCONTENT-LENGTH: 26\r\n\r\n<title>WEB SERVICE</title>",
    ),
  );
  rtsp = await tcpServer(H, (s) =>
    s.on("data", (d) =>
      s.write(`RTSP/1.0 401 Unauthorized\r\nCSeq: ${/CSeq: (\d+)/.exec(d.toString())?.[1]}\r\n\r\n`),
    ),
  );
  sdk = await tcpServer(H, (s) =>
    s.once("data", () => s.end(Buffer.from("000000100000001e0000001e00000000", "hex"))),
  );
  closed = await closedPort(H);
  sadp = await udpResponder(H, SADP_PORT, () => [
    Buffer.from("<ProbeMatch><DeviceDescription>X</DeviceDescription></ProbeMatch>"),
  ]);
  dhip = await udpResponder(H, DHIP_PORT, () => [dhipFrame('{"method":"client.notifyDevInfo"}')]);
  running.push(http, rtsp, sdk, sadp, dhip);
});
afterAll(async () => {
  await Promise.all(running.map((r) => r.close()));
});

describe("probeHost", () => {
  it("scans ports, runs each open port's probes, then unicast SADP + DHIP", async () => {
    const streamed: Observation[] = [];
    const ports = [
      { port: http.port, service: "http" as const },
      { port: closed, service: "http" as const },
      { port: rtsp.port, service: "rtsp" as const },
      { port: sdk.port, service: "hik-sdk" as const },
    ];
    const res = await probeHost(
      { address: H, hostname: "cam.test" },
      { ports, ...fast, onObservation: (o) => streamed.push(o) },
    );
    expect(res.address).toBe(H);
    expect(res.hostname).toBe("cam.test");
    expect(res.openPorts).toEqual([http.port, rtsp.port, sdk.port]);
    expect(res.observations.some((o) => o.port === closed)).toBe(false);
    expect(streamed).toEqual(res.observations);
    const kinds = res.observations.map((o) => `${o.protocol}:${o.port}`);
    expect(kinds.filter((k) => k === `http:${http.port}`)).toHaveLength(7);
    expect(kinds.filter((k) => k === `rtsp:${rtsp.port}`)).toHaveLength(2);
    expect(kinds).toContain(`banner:${sdk.port}`);
    expect(kinds).toContain(`sadp:${SADP_PORT}`);
    expect(kinds).toContain(`dahua-dhip:${DHIP_PORT}`);
    for (const o of res.observations) {
      expect(o.target).toBe(H);
      expect(new Date(o.time).toISOString()).toBe(o.time);
      expect(() => ObservationSchema.parse(o)).not.toThrow();
    }
    const root = res.observations.find((o) => o.protocol === "http" && o.request?.path === "/");
    expect(root?.response).toMatchObject({
      headers: [
        ["CONNECTION", "close"],
        ["CONTENT-LENGTH", "26"],
      ],
    });
    // The hostname rides in the Host header.
    expect(http.received.some((b) => b.toString().includes(`Host: cam.test:${http.port}\r\n`))).toBe(true);
  });

  it("closed ports only: no observations, and udp:false sends nothing", async () => {
    const before = sadp.got.length;
    const res = await probeHost(
      { address: H },
      { ports: [{ port: closed, service: "http" }], ...fast, udp: false },
    );
    // A refused port shows a host is there, but it has nothing to probe.
    expect(res).toEqual({ address: H, openPorts: [], up: true, observations: [] });
    expect(sadp.got.length).toBe(before);
  });

  it("a tarpit host finishes in bounded time with timeout observations", async () => {
    const a = await tarpit(T);
    const b = await tarpit(T);
    try {
      const start = Date.now();
      const res = await probeHost(
        { address: T },
        {
          ports: [
            { port: a.port, service: "http" },
            { port: b.port, service: "rtsp" },
          ],
          ...fast,
          udp: false,
        },
      );
      expect(Date.now() - start).toBeLessThan(4000);
      expect(res.openPorts).toEqual([a.port, b.port]);
      expect(res.observations.length).toBeGreaterThan(0);
      expect(res.observations.every((o) => o.error?.startsWith("timeout"))).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("stops promptly when aborted", async () => {
    const a = await tarpit(T);
    try {
      const ac = new AbortController();
      const seen: Observation[] = [];
      const start = Date.now();
      setTimeout(() => ac.abort(), 150);
      await expect(
        probeHost(
          { address: T },
          {
            ports: [{ port: a.port, service: "http" }],
            connectTimeoutMs: 5000,
            readTimeoutMs: 5000,
            signal: ac.signal,
            onObservation: (o) => seen.push(o),
          },
        ),
      ).rejects.toThrow();
      expect(Date.now() - start).toBeLessThan(1000);
      expect(seen).toEqual([]);
    } finally {
      await a.close();
    }
  });
});
