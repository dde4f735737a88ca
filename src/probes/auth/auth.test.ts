import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCredentials, type Credential } from "../../credentials/index.js";
import { identify, loadKnowledge } from "../../identify/index.js";
import { labDevice, parseDigest, startLab, type LabDevice, type RunningLab } from "../../lab/index.js";
import { isMessage, ObservationSchema, type Observation } from "../../observations/observation.js";
import type { ObservationPart } from "../observe.js";
import { countingProxy } from "./__fixtures__/counting-proxy.js";
import { type AuthPlan, probeAuthenticated, probeWithCredentials } from "./index.js";

const RANGE = "127.77.231.0/24";
const PROXY_AT = "127.77.231.200";
const PASSWORD = "Lab-Pass-2024"; // the personas' vars.password
const io = { connectTimeoutMs: 1500, readTimeoutMs: 3000, maxBodyBytes: 65536 };
const kb = loadKnowledge();

let lab: RunningLab;
beforeAll(async () => {
  lab = await startLab({ range: RANGE, personas: ["hikvision-ipc-current", "hikvision-nvr", "dahua-ipc"] });
});
afterAll(async () => {
  await lab?.stop();
});

const device = (id: string): LabDevice => labDevice(lab, id);
const web = (d: LabDevice) => d.services.find((s) => s.nominalPort === 80)?.port ?? 0;
const credential = (password: string): Credential => {
  const c = loadCredentials(undefined, { CAMSWEEP_USERNAME: "admin", CAMSWEEP_PASSWORD: password }).for(
    PROXY_AT,
  );
  if (!c) throw new Error("no credential");
  return c;
};

/** Runs a plan against a persona through a counting relay; observations stamped as the scan would stamp them. */
async function run(id: string, plan: Omit<AuthPlan, "port" | "scheme">, password: string) {
  const d = device(id);
  const proxy = await countingProxy(PROXY_AT, { address: d.address, port: web(d) });
  const parts: ObservationPart[] = [];
  try {
    await probeAuthenticated(
      { address: proxy.address },
      { ...plan, port: proxy.port, scheme: "http" },
      credential(password),
      io,
      (p) => parts.push(p),
    );
  } finally {
    await proxy.close();
  }
  const observations = parts.map((p) => ObservationSchema.parse({ target: d.address, ...p }));
  return { d, proxy, parts, observations };
}

const only = { isapi: false, onvif: false, channels: false };

describe("authorized requests against the lab", () => {
  it("right password: ISAPI deviceInfo with Digest, identified as the persona's model", async () => {
    const { d, proxy, observations } = await run("hikvision-ipc-current", { ...only, isapi: true }, PASSWORD);
    expect(proxy.log).toEqual([
      "GET /ISAPI/System/deviceInfo HTTP/1.1",
      "GET /ISAPI/System/deviceInfo HTTP/1.1 +auth",
    ]);
    expect(observations).toHaveLength(1);
    const [o] = observations as [Observation];
    expect(o.request).toEqual({
      method: "GET",
      path: "/ISAPI/System/deviceInfo",
      scheme: "http",
      auth: "digest",
    });
    expect(isMessage(o.response) && o.response.status).toBe(200);
    const id = identify([o], kb);
    expect(id.model).toBe(d.persona.expect.model);
    expect(id.manufacturer).toBe("hikvision");
  });

  it("right password: ONVIF GetDeviceInformation with a UsernameToken, read as onvif-devinfo", async () => {
    for (const persona of ["hikvision-ipc-current", "dahua-ipc"]) {
      const { d, proxy, observations } = await run(persona, { ...only, onvif: true }, PASSWORD);
      // GetSystemDateAndTime without credentials (the clock), then one GetDeviceInformation with them.
      expect(proxy.log).toEqual([
        "POST /onvif/device_service HTTP/1.1",
        "POST /onvif/device_service HTTP/1.1 +auth",
      ]);
      expect(observations).toHaveLength(1);
      const [o] = observations as [Observation];
      expect(o.protocol).toBe("onvif-devinfo");
      expect(o.request).toMatchObject({ method: "POST", path: "/onvif/device_service", auth: "wsse" });
      const id = identify([o], kb);
      expect(id.model).toBe(d.persona.expect.model);
      expect(id.manufacturer).toBe(d.persona.expect.manufacturer);
    }
  });

  it("NVR: deviceInfo names a recorder, so its channel list follows; each camera becomes its own target, via the NVR", async () => {
    const { d, proxy, observations } = await run("hikvision-nvr", { ...only, isapi: true }, PASSWORD);
    expect(proxy.authenticated()).toBe(2);
    const list = observations.find(
      (o) => o.target === d.address && o.request?.path === "/ISAPI/ContentMgmt/InputProxy/channels",
    );
    expect(isMessage(list?.response) && list.response.status).toBe(200);
    const cameras = observations.filter((o) => o.request?.via !== undefined);
    expect(cameras.map((o) => o.target)).toEqual(["192.168.254.2", "192.168.254.3", "192.168.254.4"]);
    for (const c of cameras) {
      // via names the address the requests went to: here the counting relay in front of the NVR.
      expect(c.request).toMatchObject({ via: PROXY_AT, auth: "digest" });
      expect(c.port).toBeUndefined();
    }
    const first = cameras[0]?.response;
    expect(isMessage(first) && first.body).toContain("<model>DS-2CD2320D-I</model>");
    expect(JSON.stringify(cameras)).not.toContain("userName");
  });

  it("wrong password: one authenticated attempt, then nothing more to the device (no retry, no other kind)", async () => {
    const all = { isapi: true, onvif: true, channels: true };
    const { proxy, observations } = await run("hikvision-ipc-current", all, "wrong-password");
    expect(proxy.authenticated()).toBe(1);
    expect(proxy.log).toEqual([
      "GET /ISAPI/System/deviceInfo HTTP/1.1",
      "GET /ISAPI/System/deviceInfo HTTP/1.1 +auth",
    ]);
    expect(observations).toHaveLength(1);
    expect(isMessage(observations[0]?.response) && observations[0].response.status).toBe(401);

    const onvif = await run("dahua-ipc", { ...only, onvif: true }, "wrong-password");
    expect(onvif.proxy.authenticated()).toBe(1);
    expect(onvif.proxy.requests()).toBe(2);
    const fault = onvif.observations[0]?.response;
    expect(isMessage(fault) && fault.body).toContain("NotAuthorized");

    // A refused channel list also stops ONVIF.
    const nvr = await run("hikvision-nvr", { ...only, channels: true, onvif: true }, "wrong-password");
    expect(nvr.proxy.authenticated()).toBe(1);
    expect(nvr.proxy.log.at(-1)).toBe("GET /ISAPI/ContentMgmt/InputProxy/channels HTTP/1.1 +auth");
  });

  it("no credential for the scope: no request at all", async () => {
    const d = device("hikvision-ipc-current");
    const proxy = await countingProxy(PROXY_AT, { address: d.address, port: web(d) });
    // The unauthenticated scan saw the ISAPI challenge, so there would be a plan.
    const seen = [
      ObservationSchema.parse({
        target: proxy.address,
        port: proxy.port,
        protocol: "http",
        request: { method: "GET", path: "/ISAPI/System/deviceInfo", scheme: "http" },
        response: {
          status: 401,
          headers: [["WWW-Authenticate", 'Digest realm="r", nonce="n", qop="auth"']],
          body: "",
        },
      }),
    ];
    const parts: ObservationPart[] = [];
    try {
      const out = loadCredentials(undefined, {});
      expect(
        await probeWithCredentials({ address: proxy.address }, seen, out, io, (p) => parts.push(p)),
      ).toBe(false);
      const file = join(mkdtempSync(join(tmpdir(), "camsweep-auth-")), "creds.yaml");
      writeFileSync(
        file,
        `credentials:\n  - scope: [10.0.0.0/8]\n    username: admin\n    password: "${PASSWORD}"\n`,
        { mode: 0o600 },
      );
      const elsewhere = loadCredentials(undefined, { CAMSWEEP_CREDENTIALS: file });
      expect(elsewhere.size).toBe(1);
      expect(
        await probeWithCredentials({ address: proxy.address }, seen, elsewhere, io, (p) => parts.push(p)),
      ).toBe(false);
      expect(proxy.requests()).toBe(0);
      // Control: with a credential covering it, the same call does make its requests.
      const mine = loadCredentials(undefined, { CAMSWEEP_USERNAME: "admin", CAMSWEEP_PASSWORD: PASSWORD });
      expect(
        await probeWithCredentials({ address: proxy.address }, seen, mine, io, (p) => parts.push(p)),
      ).toBe(true);
      expect(proxy.authenticated()).toBe(1);
    } finally {
      await proxy.close();
    }
  });
});

describe("the password stays out of observations and errors", () => {
  let echo: Server;
  let port = 0;
  beforeAll(async () => {
    // A hostile device: challenges, then echoes back whatever it was sent (headers and body), and lists a password.
    echo = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString("utf8")));
      req.on("end", () => {
        if (req.method === "GET" && !req.headers.authorization) {
          res.writeHead(401, { "WWW-Authenticate": 'Digest realm="echo", nonce="abc123", qop="auth"' }).end();
          return;
        }
        const heard = `${JSON.stringify(req.headers)}\n${body}`;
        res
          .writeHead(200, { "X-Echo": req.headers.authorization ?? "", "Content-Type": "text/plain" })
          .end(`${heard}<password>${PASSWORD}</password>${PASSWORD}`);
      });
    });
    await new Promise<void>((r) => echo.listen(0, "127.77.231.201", () => r()));
    port = (echo.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => echo.close(() => r())));

  it("an echoing device gets nothing back into the record: no password, no Digest response, no token digest", async () => {
    const parts: ObservationPart[] = [];
    const plan: AuthPlan = { port, scheme: "http", isapi: true, onvif: true, channels: true };
    await probeAuthenticated({ address: "127.77.231.201" }, plan, credential(PASSWORD), io, (p) =>
      parts.push(p),
    );
    const text = JSON.stringify(parts);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(text).toContain("[redacted]");
    expect(text).not.toContain(PASSWORD);
    const echoed = parts.find((p) => p.request?.path === "/ISAPI/System/deviceInfo");
    const body = isMessage(echoed?.response) ? echoed.response.body : "";
    // The Authorization header came back in the body: its response hash must be gone.
    const auth = /"authorization":"((?:[^"\\]|\\.)*)"/.exec(body)?.[1]?.replace(/\\"/g, '"') ?? "";
    expect(parseDigest(auth)?.response).toBe("[redacted]");
    const onvif = parts.find((p) => p.protocol === "onvif-devinfo");
    const soap = isMessage(onvif?.response) ? onvif.response.body : "";
    expect(soap).toMatch(/#PasswordDigest\\?">\[redacted\]</);
    expect(soap).toMatch(/Base64Binary\\?">\[redacted\]</);
  });

  it("network errors name no secret either", async () => {
    const parts: ObservationPart[] = [];
    const closed: AuthPlan = { port: 1, scheme: "http", isapi: true, onvif: true, channels: true };
    await probeAuthenticated({ address: "127.77.231.202" }, closed, credential(PASSWORD), io, (p) =>
      parts.push(p),
    );
    expect(parts.length).toBeGreaterThan(0);
    for (const p of parts) expect(p.error).toBeTruthy();
    expect(JSON.stringify(parts)).not.toContain(PASSWORD);
  });
});
