import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { ObservationSchema } from "../../observations/observation.js";
import { probeHttp } from "../http/probe.js";
import { probeTls } from "./probe.js";

const H = "127.79.4.1";
const fx = (f: string) => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url));
const cert = fx("hik-default.cert.pem");
const key = fx("hik-default.key.pem");
const io = { connectTimeoutMs: 500, readTimeoutMs: 500, maxBodyBytes: 65536 };
const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

describe("tls probe", () => {
  it("captures the self-signed cert subject in the cert's RDN order", async () => {
    const srv = createTlsServer({ cert, key }, (s) => s.end());
    await new Promise<void>((r) => srv.listen(0, H, r));
    closers.push(() => srv.close());
    const port = (srv.address() as AddressInfo).port;
    const obs = await probeTls(H, port, io);
    expect(obs.error).toBeUndefined();
    const c = (obs.response as { cert: Record<string, unknown> }).cert;
    expect(c.subject).toBe("CN=www.hikvision.com,OU=DVRNVR,O=HIKVISION,L=HangZhou,ST=ZheJiang,C=CN");
    expect(c.issuer).toBe(c.subject);
    expect(c.selfSigned).toBe(true);
    expect(c.subjectAltName).toBe("DNS:www.hikvision.com, IP Address:127.79.4.1");
    expect(c.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(c.validTo).toMatch(/2126/);
    expect(() => ObservationSchema.parse({ ...obs, target: H })).not.toThrow();
  });

  it("records a handshake failure against a plain TCP server as an error", async () => {
    const { createServer } = await import("node:net");
    const srv = createServer((s) => s.end("HTTP/1.0 400 Bad\r\n\r\n"));
    await new Promise<void>((r) => srv.listen(0, H, r));
    closers.push(() => srv.close());
    const obs = await probeTls(H, (srv.address() as AddressInfo).port, io);
    expect(obs.protocol).toBe("tls");
    expect(obs.error).toBeTruthy();
  });

  it("https requests work against a self-signed device", async () => {
    const srv = createHttpsServer({ cert, key }, (req, res) => {
      res.writeHead(200, { Server: "App-webs/" });
      res.end(req.url);
    });
    await new Promise<void>((r) => srv.listen(0, H, r));
    closers.push(() => srv.close());
    const port = (srv.address() as AddressInfo).port;
    const obs = await probeHttp({ address: H }, port, "https", io, [
      { method: "GET", path: "/SDK/activateStatus" },
    ]);
    expect(obs[0]?.request).toMatchObject({ scheme: "https" });
    expect(obs[0]?.response).toMatchObject({ status: 200, body: "/SDK/activateStatus" });
  });
});
