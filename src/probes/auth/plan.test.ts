import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLab, type LabDevice, type RunningLab } from "../../lab/index.js";
import {
  ObservationSchema,
  type Observation,
  type ObservationInput,
} from "../../observations/observation.js";
import { probeHttp } from "../http/probe.js";
import { probeSadp } from "../sadp/probe.js";
import { planAuthenticated } from "./plan.js";

const T = "127.0.0.9";
const obs = (o: Omit<ObservationInput, "target">): Observation =>
  ObservationSchema.parse({ target: T, ...o });
const http = (
  port: number,
  path: string,
  status: number,
  headers: [string, string][] = [],
  body = "",
  scheme = "http",
) =>
  obs({
    port,
    protocol: "http",
    request: { method: "GET", path, scheme },
    response: { status, headers, body },
  });
const challenge = (port: number, scheme = "http") =>
  http(
    port,
    "/ISAPI/System/deviceInfo",
    401,
    [["WWW-Authenticate", 'Digest qop="auth", realm="IP Camera(C2183)", nonce="4e54"']],
    "",
    scheme,
  );

describe("planAuthenticated (pure)", () => {
  it("nothing to do without camera markers", () => {
    expect(planAuthenticated([])).toBeNull();
    expect(planAuthenticated([http(80, "/", 200, [["Server", "Apache"]], "<html/>")])).toBeNull();
    // A 401 without Digest (Basic only) is not an ISAPI challenge we would answer.
    expect(
      planAuthenticated([
        http(80, "/ISAPI/System/deviceInfo", 401, [["WWW-Authenticate", 'Basic realm="x"']]),
      ]),
    ).toBeNull();
  });

  it("ISAPI challenge: that port; https preferred on a tie; channels only for a recorder", () => {
    expect(planAuthenticated([challenge(80)])).toEqual({
      port: 80,
      scheme: "http",
      isapi: true,
      onvif: false,
      channels: false,
    });
    expect(planAuthenticated([challenge(80), challenge(443, "https")])).toMatchObject({
      port: 443,
      scheme: "https",
    });
    expect(planAuthenticated([http(8080, "/", 200), challenge(80)])).toMatchObject({ port: 80 });
    const nvr = [challenge(80), http(80, "/", 200, [["Server", "DNVRS-Webs"]])];
    expect(planAuthenticated(nvr)).toMatchObject({ isapi: true, channels: true });
    const sadp = obs({
      port: 37020,
      protocol: "sadp",
      response: {
        raw: "<ProbeMatch><DigitalChannelNum>8</DigitalChannelNum><DiskNumber>1</DiskNumber></ProbeMatch>",
      },
    });
    expect(planAuthenticated([challenge(80), sadp])).toMatchObject({ channels: true });
    const camSadp = obs({
      port: 37020,
      protocol: "sadp",
      response: {
        raw: "<ProbeMatch><DigitalChannelNum>1</DigitalChannelNum><DiskNumber>0</DiskNumber></ProbeMatch>",
      },
    });
    expect(planAuthenticated([challenge(80), camSadp])).toMatchObject({ channels: false });
  });

  it("ONVIF: when the device answered ONVIF, or shows camera markers without ISAPI", () => {
    const dahua = http(
      80,
      "/RPC2_Login",
      200,
      [],
      '{"error":{"message":"Component error: login challenge!"},"params":{"realm":"Login to 4C045ADPAG60CD"}}',
    );
    expect(planAuthenticated([dahua])).toEqual({
      port: 80,
      scheme: "http",
      isapi: false,
      onvif: true,
      channels: false,
    });
    const probe = obs({
      port: 3702,
      protocol: "onvif-probe",
      response: { raw: "<d:XAddrs>http://10.0.0.9:8899/onvif/device_service</d:XAddrs>" },
    });
    expect(planAuthenticated([http(80, "/", 200), http(8899, "/", 404), probe])).toMatchObject({
      port: 8899,
      onvif: true,
    });
    expect(planAuthenticated([challenge(80), probe, http(8899, "/", 404)])).toMatchObject({
      port: 80,
      isapi: true,
      onvif: false,
    });
    // ISAPI alone: deviceInfo gives the same facts; no extra ONVIF login attempt.
    expect(
      planAuthenticated([
        challenge(80),
        http(
          80,
          "/SDK/activateStatus",
          200,
          [],
          "<ActivateStatus><Activated>true</Activated></ActivateStatus>",
        ),
      ]),
    ).toMatchObject({ onvif: false });
  });

  it("ignores its own authenticated replies and observations read through another device", () => {
    const mine = obs({
      port: 80,
      protocol: "http",
      request: { method: "GET", path: "/ISAPI/System/deviceInfo", scheme: "http", auth: "digest" },
      response: { status: 401, headers: [["WWW-Authenticate", 'Digest realm="r", nonce="n"']], body: "" },
    });
    expect(planAuthenticated([mine])).toBeNull();
  });
});

describe("planAuthenticated on what the unauthenticated probes saw in the lab", () => {
  let lab: RunningLab;
  beforeAll(async () => {
    lab = await startLab({
      range: "127.77.232.0/24",
      personas: ["hikvision-ipc-current", "hikvision-nvr", "dahua-ipc", "axis-camera", "printer"],
    });
  });
  afterAll(async () => {
    await lab?.stop();
  });
  const io = { connectTimeoutMs: 1500, readTimeoutMs: 3000, maxBodyBytes: 65536 };
  async function seen(d: LabDevice): Promise<Observation[]> {
    const parts = [];
    for (const s of d.services.filter((x) => x.protocol === "http"))
      parts.push(...(await probeHttp({ address: d.address }, s.port, "http", io)));
    const sadp = d.services.find((s) => s.protocol === "sadp");
    if (sadp) parts.push(...(await probeSadp(d.address, { timeoutMs: 1000, port: sadp.port })));
    return parts.map((p) => ObservationSchema.parse({ target: d.address, ...p }));
  }
  const dev = (id: string) => lab.devices.find((d) => d.persona.id === id) as LabDevice;

  it("plans per device type", async () => {
    const web = (id: string) => dev(id).services.find((s) => s.nominalPort === 80)?.port;
    expect(planAuthenticated(await seen(dev("hikvision-ipc-current")))).toEqual({
      port: web("hikvision-ipc-current"),
      scheme: "http",
      isapi: true,
      onvif: false,
      channels: false,
    });
    expect(planAuthenticated(await seen(dev("hikvision-nvr")))).toEqual({
      port: web("hikvision-nvr"),
      scheme: "http",
      isapi: true,
      onvif: false,
      channels: true,
    });
    expect(planAuthenticated(await seen(dev("dahua-ipc")))).toEqual({
      port: web("dahua-ipc"),
      scheme: "http",
      isapi: false,
      onvif: true,
      channels: false,
    });
    expect(planAuthenticated(await seen(dev("axis-camera")))).toBeNull();
    expect(planAuthenticated(await seen(dev("printer")))).toBeNull();
  });
});
