import { afterEach, describe, expect, it } from "vitest";
import { type Running, tarpit, tcpServer } from "../__fixtures__/servers.js";
import { probeBanner, probeHikSdk } from "./probe.js";

const H = "127.79.5.1";
const io = { connectTimeoutMs: 500, readTimeoutMs: 400 };
const servers: Running[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
const run = async (on: Parameters<typeof tcpServer>[1]) => {
  const s = await tcpServer(H, on);
  servers.push(s);
  return s;
};

describe("banner probes", () => {
  it("hik-sdk: sends 32 zero bytes and records the 16-byte reply as base64", async () => {
    const frame = Buffer.from("000000100000001e0000001e00000000", "hex"); // protocols.md §2.9
    const s = await run((sock) => sock.once("data", () => sock.write(frame)));
    const obs = await probeHikSdk(H, s.port, io);
    expect(obs).toMatchObject({
      protocol: "banner",
      request: { payload: "00".repeat(32) },
      response: { raw: frame.toString("base64"), encoding: "base64" },
    });
    expect(s.received[0]).toEqual(Buffer.alloc(32));
  });

  it("hik-sdk: keeps at most 64 bytes; silence gives raw ''", async () => {
    const s = await run((sock) => sock.once("data", () => sock.write(Buffer.alloc(500, 1))));
    const obs = await probeHikSdk(H, s.port, io);
    expect(Buffer.from((obs.response as { raw: string }).raw, "base64").length).toBeLessThanOrEqual(64);
    const t = await tarpit(H);
    servers.push(t);
    expect(await probeHikSdk(H, t.port, io)).toMatchObject({ response: { raw: "" } });
  });

  it("connect banner: reads what the service says within the window, capped at 4 KiB", async () => {
    const s = await run((sock) => {
      sock.write("220 cam FTP ready\r\n");
      setTimeout(() => sock.write("more\r\n"), 50);
    });
    const start = Date.now();
    const obs = await probeBanner(H, s.port, { ...io, bannerMs: 300 });
    expect(Date.now() - start).toBeLessThan(1000);
    expect(obs).toMatchObject({
      protocol: "banner",
      request: { probe: "connect" },
      response: { raw: "220 cam FTP ready\r\nmore\r\n" },
    });
    const big = await run((sock) => sock.write(Buffer.alloc(10000, 0x41)));
    const r = (await probeBanner(H, big.port, { ...io, bannerMs: 300 })).response as {
      raw: string;
      truncated?: boolean;
    };
    expect(r.raw).toHaveLength(4096);
    expect(r.truncated).toBe(true);
  });

  it("connect banner: a silent port gives raw ''", async () => {
    const t = await tarpit(H);
    servers.push(t);
    expect(await probeBanner(H, t.port, { ...io, bannerMs: 200 })).toMatchObject({ response: { raw: "" } });
  });
});
