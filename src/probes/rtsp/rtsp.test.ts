import { afterEach, describe, expect, it } from "vitest";
import { ObservationSchema } from "../../observations/observation.js";
import { type Running, tarpit, tcpServer } from "../__fixtures__/servers.js";
import { headEnd, parseHead } from "./parse.js";
import { probeRtsp } from "./probe.js";

const H = "127.79.3.1";
const io = { connectTimeoutMs: 500, readTimeoutMs: 400, maxBodyBytes: 65536 };
const servers: Running[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Answers each complete RTSP request on the connection with reply(method). */
async function rtspServer(
  reply: (method: string, req: string) => string | undefined,
  closeAfterFirst = false,
) {
  const s = await tcpServer(H, (sock, received) => {
    let handled = 0;
    sock.on("data", () =>
      setImmediate(() => {
        const reqs = received().toString("latin1").split("\r\n\r\n").slice(0, -1);
        for (; handled < reqs.length; handled++) {
          const req = reqs[handled]!;
          const r = reply(req.split(" ")[0]!, req);
          if (r) sock.write(r);
          if (closeAfterFirst) sock.end();
        }
      }),
    );
  });
  servers.push(s);
  return s;
}

describe("rtsp probe", () => {
  it("parses Hikvision-style OPTIONS (two-space Date) and a 401 DESCRIBE on one connection", async () => {
    const s = await rtspServer((m) =>
      m === "OPTIONS"
        ? "RTSP/1.0 200 OK\r\nCSeq: 1\r\nPublic: OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER\r\nDate:  Thu, May 14 2020 16:45:35 GMT\r\n\r\n"
        : 'RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\nWWW-Authenticate: Digest realm="IP Camera(C2875)", nonce="938032d91ffc30ca80b5da94c18887ac", stale="FALSE"\r\nDate:  Thu, May 14 2020 16:45:35 GMT\r\n\r\n',
    );
    const obs = await probeRtsp(H, s.port, io);
    expect(obs).toHaveLength(2);
    expect(s.connections).toBe(1);
    const [opt, desc] = obs;
    expect(opt?.request).toEqual({ method: "OPTIONS", uri: `rtsp://${H}:${s.port}/` });
    expect(opt?.response).toMatchObject({ status: 200, version: "RTSP/1.0", reason: "OK", body: "" });
    expect((opt?.response as { headers: [string, string][] }).headers).toEqual([
      ["CSeq", "1"],
      ["Public", "OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER"],
      ["Date", " Thu, May 14 2020 16:45:35 GMT"],
    ]);
    expect(desc?.response).toMatchObject({ status: 401, reason: "Unauthorized" });
    const sent = s.received[0]!.toString("latin1");
    expect(sent).toContain(`OPTIONS rtsp://${H}:${s.port}/ RTSP/1.0\r\nCSeq: 1\r\n`);
    expect(sent).toMatch(/DESCRIBE rtsp:\/\/\S+ RTSP\/1\.0\r\nCSeq: 2\r\n[^]*Accept: application\/sdp\r\n/);
    for (const o of obs) expect(() => ObservationSchema.parse({ ...o, target: H })).not.toThrow();
  });

  it("reads a Content-Length body, LF-only lines, missing CSeq, and reconnects when the server closes", async () => {
    const sdp = "v=0\no=- 1 1 IN IP4 0.0.0.0\n";
    const s = await rtspServer(
      (m) =>
        m === "OPTIONS"
          ? "RTSP/1.0 200 OK\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, PAUSE\n\n"
          : `RTSP/1.0 200 OK\r\nServer: Dahua Rtsp Server\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`,
      true,
    );
    const obs = await probeRtsp(H, s.port, io);
    expect(s.connections).toBe(2);
    expect(obs[0]?.response).toMatchObject({
      status: 200,
      headers: [["Public", "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, PAUSE"]],
    });
    expect(obs[1]?.response).toMatchObject({
      status: 200,
      body: sdp,
      headers: [
        ["Server", "Dahua Rtsp Server"],
        ["Content-Length", String(sdp.length)],
      ],
    });
  });

  it("caps the body and marks it truncated", async () => {
    const s = await rtspServer(
      () => `RTSP/1.0 200 OK\r\nContent-Length: 100000\r\n\r\n${"a".repeat(100000)}`,
    );
    const obs = await probeRtsp(H, s.port, { ...io, maxBodyBytes: 100 });
    expect(obs[0]?.response).toMatchObject({ truncated: true });
    expect((obs[0]?.response as { body: string }).body).toHaveLength(100);
  });

  it("times out on a tarpit with error observations, and errors on non-RTSP replies", async () => {
    const t = await tarpit(H);
    servers.push(t);
    const start = Date.now();
    const obs = await probeRtsp(H, t.port, io);
    expect(Date.now() - start).toBeLessThan(2500);
    expect(obs.map((o) => o.error)).toEqual([
      expect.stringMatching(/^timeout/),
      expect.stringMatching(/^timeout/),
    ]);
    const http = await rtspServer(() => "HTTP/1.1 400 Bad Request\r\n\r\n");
    const obs2 = await probeRtsp(H, http.port, io);
    expect(obs2[0]?.error).toMatch(/not an RTSP response/);
  });
});

it("a device dripping its reply a byte at a time is given twice the read timeout per reply, no more", async () => {
  const reply = "RTSP/1.0 200 OK\r\nCSeq: 1\r\nPublic: OPTIONS, DESCRIBE\r\nServer: drip\r\n\r\n";
  const s = await tcpServer(H, (sock) => {
    let i = 0;
    const t = setInterval(() => (i < reply.length ? sock.write(reply[i++]!) : clearInterval(t)), 50);
    sock.on("close", () => clearInterval(t));
  });
  servers.push(s);
  const start = performance.now();
  const obs = await probeRtsp(H, s.port, io);
  // Two requests at 2 x 400 ms each, plus connects; the whole reply would take 3.5 s a byte at a time.
  expect(performance.now() - start).toBeLessThan(2 * 2 * io.readTimeoutMs + 600);
  expect(obs).toHaveLength(2);
});

describe("rtsp parse", () => {
  it("finds the head end with CRLF or LF", () => {
    expect(headEnd(Buffer.from("RTSP/1.0 200 OK\r\n\r\nxx"))).toBe(19);
    expect(headEnd(Buffer.from("RTSP/1.0 200 OK\n\nxx"))).toBe(17);
    expect(headEnd(Buffer.from("RTSP/1.0 200 OK\r\n"))).toBe(-1);
  });
  it("rejects non-RTSP status lines and tolerates junk header lines", () => {
    expect(parseHead("HTTP/1.1 200 OK\r\n\r\n")).toBeUndefined();
    expect(parseHead("RTSP/1.0 401 Unauthorized\r\nnonsense\r\nCSeq: 42 OPTIONS\r\n\r\n")).toMatchObject({
      status: 401,
      headers: [["CSeq", "42 OPTIONS"]],
    });
  });
});
