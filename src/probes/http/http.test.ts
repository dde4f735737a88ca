import { afterEach, describe, expect, it } from "vitest";
import type { Socket } from "node:net";
import { isMessage, ObservationSchema } from "../../observations/observation.js";
import { type Running, replyAfter, tarpit, tcpServer } from "../__fixtures__/servers.js";
import { sameHostRedirect } from "./parse.js";
import { httpRequest, probeHttp } from "./probe.js";
import { HTTP_PROBES } from "./requests.js";

const H = "127.79.2.1";
const OTHER = "127.79.2.99";
const io = { connectTimeoutMs: 500, readTimeoutMs: 500, maxBodyBytes: 65536 };
const servers: Running[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** True once a full request (head + Content-Length body) is buffered. */
function requestDone(b: Buffer): boolean {
  const s = b.toString("latin1");
  const i = s.indexOf("\r\n\r\n");
  if (i < 0) return false;
  const cl = /\r\ncontent-length:\s*(\d+)/i.exec(s.slice(0, i));
  return b.length >= i + 4 + (cl ? Number(cl[1]) : 0);
}
const pathOf = (req: Buffer) => req.toString("latin1").split(" ")[1] ?? "";

async function serve(host: string, reply: (req: Buffer) => string | Buffer | undefined) {
  const s = await tcpServer(host, replyAfter(requestDone, reply));
  servers.push(s);
  return s;
}

/** Answers every request on a connection, in order, and never closes it (an HTTP/1.1 keep-alive server). */
function keepAliveDevice(reply: string) {
  return (sock: Socket, received: () => Buffer) => {
    let used = 0;
    sock.on("data", () =>
      setImmediate(() => {
        for (;;) {
          const buf = received().subarray(used);
          const end = buf.indexOf("\r\n\r\n");
          if (end < 0) return;
          const length = Number(/content-length: *(\d+)/i.exec(buf.toString("latin1", 0, end))?.[1] ?? 0);
          if (buf.length < end + 4 + length) return;
          used += end + 4 + length;
          sock.write(reply);
        }
      }),
    );
  };
}

it("a device that closes after each reply still answers every probe (a fresh connection each)", async () => {
  const s = await serve(H, () => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  const obs = await probeHttp({ address: H }, s.port, "http", io);
  expect(obs).toHaveLength(HTTP_PROBES.length);
  expect(obs.every((o) => isMessage(o.response) && o.response.status === 404)).toBe(true);
  expect(s.connections).toBeGreaterThanOrEqual(HTTP_PROBES.length);
});

describe("http probe", () => {
  it("keeps raw header names in wire order and case", async () => {
    const s = await serve(
      H,
      () =>
        "HTTP/1.1 200 OK\r\nCONNECTION: close\r\nCONTENT-LENGTH: 5\r\nX-b: 1\r\nx-A: 2\r\nx-a: 3\r\n\r\nhello",
    );
    const r = await httpRequest(
      { address: H },
      { scheme: "http", port: s.port, path: "/" },
      { method: "GET" },
      io,
    );
    expect(r.headers).toEqual([
      ["CONNECTION", "close"],
      ["CONTENT-LENGTH", "5"],
      ["X-b", "1"],
      ["x-A", "2"],
      ["x-a", "3"],
    ]);
    expect(r).toMatchObject({ status: 200, version: "HTTP/1.1", reason: "OK", body: "hello" });
    expect(r.truncated).toBeUndefined();
    const req = s.received[0]!.toString("latin1");
    expect(req).toMatch(/^GET \/ HTTP\/1\.1\r\n/);
    expect(req).toContain(`Host: ${H}:${s.port}\r\n`);
    expect(req).toContain("User-Agent: camsweep/0.1\r\n");
  });

  it("caps the body and flags it truncated", async () => {
    const big = "x".repeat(100_000);
    const s = await serve(H, () => `HTTP/1.0 200 OK\r\nContent-Length: ${big.length}\r\n\r\n${big}`);
    const r = await httpRequest(
      { address: H },
      { scheme: "http", port: s.port, path: "/" },
      { method: "GET" },
      { ...io, maxBodyBytes: 1000 },
    );
    expect(r.body).toHaveLength(1000);
    expect(r.truncated).toBe(true);
    expect(r.version).toBe("HTTP/1.0");
  });

  it("keeps a UTF-8 BOM and base64-encodes non-UTF-8 bodies", async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("<!doctype html>")]);
    const s1 = await serve(H, () =>
      Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`), body]),
    );
    const r1 = await httpRequest(
      { address: H },
      { scheme: "http", port: s1.port, path: "/" },
      { method: "GET" },
      io,
    );
    expect(r1.body).toBe("\ufeff<!doctype html>");
    expect(r1.bodyEncoding).toBeUndefined();
    const bin = Buffer.from([0xff, 0xfe, 0x00, 0x80]);
    const s2 = await serve(H, () =>
      Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n`), bin]),
    );
    const r2 = await httpRequest(
      { address: H },
      { scheme: "http", port: s2.port, path: "/" },
      { method: "GET" },
      io,
    );
    expect(r2).toMatchObject({ body: bin.toString("base64"), bodyEncoding: "base64" });
  });

  it("sends the probes over one kept-alive connection, POST bodies exact with application/json", async () => {
    const s = await tcpServer(H, keepAliveDevice("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
    servers.push(s);
    const obs = await probeHttp({ address: H }, s.port, "http", io);
    expect(obs.map((o) => `${o.request?.method} ${o.request?.path}`)).toEqual(
      HTTP_PROBES.map((p) => `${p.method} ${p.path}`),
    );
    for (const o of obs) expect(() => ObservationSchema.parse({ ...o, target: H })).not.toThrow();
    expect(obs.every((o) => isMessage(o.response) && o.response.status === 404)).toBe(true);
    // A device that keeps the connection open gets every probe on it.
    expect(s.connections).toBe(1);
    const requests = s.received
      .map((b) => b.toString("utf8"))
      .join("")
      .split(/(?=(?:GET|POST) \/\S* HTTP\/1\.1\r\n)/);
    expect(requests).toHaveLength(HTTP_PROBES.length);
    const posts = requests.filter((r) => r.startsWith("POST"));
    expect(posts).toHaveLength(2);
    const rpc = posts.find((p) => p.startsWith("POST /RPC2_Login "))!;
    expect(rpc).toContain("Content-Type: application/json\r\n");
    expect(rpc.split("\r\n\r\n")[1]).toBe(
      '{"method":"global.login","params":{"userName":"admin","password":"","clientType":"Web3.0","loginType":"Direct"},"id":1}',
    );
    const axis = posts.find((p) => p.startsWith("POST /axis-cgi/basicdeviceinfo.cgi "))!;
    expect(axis.split("\r\n\r\n")[1]).toBe('{"apiVersion":"1.0","method":"getAllUnrestrictedProperties"}');
  });

  it("follows at most 2 same-host redirects, each its own observation", async () => {
    const next: Record<string, string> = { "/": "/a", "/a": "b?x=1", "/b?x=1": "/c" };
    const s = await serve(H, (req) => {
      const loc = next[pathOf(req)];
      return loc ? `HTTP/1.0 302 Found\r\nLocation: ${loc}\r\n\r\n` : "HTTP/1.0 200 OK\r\n\r\nend";
    });
    const obs = await probeHttp({ address: H }, s.port, "http", io, [
      { method: "GET", path: "/", followRedirects: true },
    ]);
    expect(obs.map((o) => o.request?.path)).toEqual(["/", "/a", "/b?x=1"]);
    expect(obs.map((o) => o.request?.redirect)).toEqual([undefined, 1, 2]);
    expect(s.received.map(pathOf)).toEqual(["/", "/a", "/b?x=1"]); // /c never requested
  });

  it("refuses an off-host redirect (no connection to the other host)", async () => {
    const other = await serve(OTHER, () => "HTTP/1.0 200 OK\r\n\r\n");
    const s = await serve(H, () => `HTTP/1.0 302 Found\r\nLocation: http://${OTHER}:${other.port}/x\r\n\r\n`);
    const obs = await probeHttp({ address: H }, s.port, "http", io, [
      { method: "GET", path: "/", followRedirects: true },
    ]);
    expect(obs).toHaveLength(1);
    expect(other.connections).toBe(0);
  });

  it("a tarpit times out and the port is given up after two timeouts", async () => {
    const t = await tarpit(H);
    servers.push(t);
    const start = Date.now();
    const obs = await probeHttp({ address: H }, t.port, "http", {
      ...io,
      connectTimeoutMs: 200,
      readTimeoutMs: 200,
    });
    expect(Date.now() - start).toBeLessThan(2000);
    expect(obs).toHaveLength(2);
    for (const o of obs) expect(o.error).toMatch(/^timeout/);
  });

  it("refuses an oversized header block (16 KiB cap) with an error observation", async () => {
    const s = await serve(
      H,
      () => `HTTP/1.1 200 OK\r\nX-Junk: ${"j".repeat(20_000)}\r\nContent-Length: 0\r\n\r\n`,
    );
    const obs = await probeHttp({ address: H }, s.port, "http", io, [{ method: "GET", path: "/" }]);
    expect(obs[0]?.error).toMatch(/HPE_HEADER_OVERFLOW/);
  });

  it("records a reset as an error observation", async () => {
    const s = await tcpServer(H, (sock) => sock.on("data", () => sock.resetAndDestroy()));
    servers.push(s);
    const obs = await probeHttp({ address: H }, s.port, "http", io, [{ method: "GET", path: "/" }]);
    expect(obs[0]?.error).toMatch(/ECONNRESET|socket hang up/);
  });
});

describe("sameHostRedirect", () => {
  const from = { scheme: "http" as const, port: 80, path: "/" };
  it("accepts relative and same-host absolute locations only", () => {
    expect(sameHostRedirect("/index.asp", from, { address: "10.0.0.5" })).toEqual({
      scheme: "http",
      port: 80,
      path: "/index.asp",
    });
    expect(sameHostRedirect("https://10.0.0.5:8443/x", from, { address: "10.0.0.5" })).toEqual({
      scheme: "https",
      port: 8443,
      path: "/x",
    });
    expect(
      sameHostRedirect("http://cam.lan/x", from, { address: "10.0.0.5", hostname: "cam.lan" }),
    ).toMatchObject({ path: "/x" });
    expect(sameHostRedirect("http://[::1]:81/y", from, { address: "::1" })).toEqual({
      scheme: "http",
      port: 81,
      path: "/y",
    });
    expect(sameHostRedirect("http://192.168.1.64/index.asp", from, { address: "10.0.0.5" })).toBeUndefined();
    expect(sameHostRedirect("javascript:alert(1)", from, { address: "10.0.0.5" })).toBeUndefined();
    expect(sameHostRedirect("//evil.example/", from, { address: "10.0.0.5" })).toBeUndefined();
    expect(sameHostRedirect("http://u:p@10.0.0.5/", from, { address: "10.0.0.5" })).toBeUndefined();
  });
});
