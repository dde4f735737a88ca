import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "node:net";
import { createSocket } from "node:dgram";
import type { TLSSocket } from "node:tls";
import { startLab, formatLabDevices, type LabDevice, type RunningLab } from "./index.js";
import { isUdpProtocol, type Persona, type PersonaResponse, type PersonaRoute } from "./persona.js";
import { deriveVars } from "./template.js";
import {
  WireClient,
  exchange,
  challengeParams,
  dhipProbe,
  digestHeader,
  sadpProbe,
  udpExchange,
} from "./__fixtures__/client.js";

const RANGE = "127.78.1.0/24";
let lab: RunningLab;

beforeAll(async () => {
  lab = await startLab({ range: RANGE });
});
afterAll(async () => {
  await lab?.stop();
});

const portOf = (d: LabDevice, nominal: number) => {
  const s = d.services.find((x) => x.nominalPort === nominal);
  if (!s) throw new Error(`${d.persona.id} has no port ${nominal}`);
  return s.port;
};
const device = (id: string) => {
  const d = lab.devices.find((x) => x.persona.id === id);
  if (!d) throw new Error(`no device ${id}`);
  return d;
};

/** Regex for a rendered template: vars become their values, per-request placeholders match anything. */
function templateRegex(t: string, p: Persona, address: string): RegExp {
  const vars = deriveVars(p.vars);
  if (p.digest) vars.realm = p.digest.realm.replace(/\{(\w+)\}/g, (_, n: string) => vars[n] ?? "");
  vars.address = address;
  const parts = t.split(/(\{[A-Za-z][A-Za-z0-9_]*\})/);
  const src = parts
    .map((part) => {
      const m = /^\{(\w+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const v = vars[m[1] as string];
      return v !== undefined ? v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : "[^\\r\\n]*";
    })
    .join("");
  return new RegExp(`^${src}$`);
}

function rootResponse(p: Persona): PersonaResponse | undefined {
  const http = p.services.find((s) => s.protocol === "http");
  if (!http || http.protocol !== "http") return undefined;
  const r = http.routes.find((x) => x.path === "/" && (x.method === "GET" || x.method === "*"));
  return r ? (r.auth ? r.unauthorized : r) : http.default;
}

describe("lab startup", () => {
  it("gives consecutive addresses from the first usable one and lists them", () => {
    expect(lab.devices.length).toBeGreaterThanOrEqual(13);
    lab.devices.forEach((d, i) => expect(d.address).toBe(`127.78.1.${i + 1}`));
    const table = formatLabDevices(lab.devices);
    expect(table.split("\n")[0]).toMatch(/^ADDRESS\s+PERSONA\s+NAME\s+PORTS$/);
    expect(table).toContain("127.78.1.1");
    expect(table).toContain("37020/udp(sadp)");
  });
});

describe("HTTP GET / is byte-exact per persona", () => {
  it.each([
    "hikvision-ipc-current",
    "hikvision-ipc-legacy",
    "hikvision-nvr",
    "hiwatch-ipc",
    "lts-relabel",
    "dahua-ipc",
    "amcrest-relabel",
    "axis-camera",
    "hanwha-camera",
    "xiongmai-dvr",
    "printer",
    "router",
    "generic-webs-box",
    "hikvision-dvr",
    "hikvision-access-control",
    "hikvision-indoor-station",
    "hikvision-thermal",
    "bosch-vidos-nvr",
    "annke-camera",
    "unifi-nvr",
    "hikvision-ax-pro",
    "hikvision-nvr-eri",
    "dahua-nvr",
    "boa-ipcam-box",
    "hikvision-ptz",
  ])("%s", async (id) => {
    const d = device(id);
    const expected = rootResponse(d.persona);
    expect(expected).toBeDefined();
    if (!expected) return;
    const c = await WireClient.open(d.address, portOf(d, 80));
    c.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const m = await c.read({ untilCloseWithoutLength: true });
    c.close();
    expect(m.statusLine).toBe(`${expected.version ?? "HTTP/1.1"} ${expected.status} ${expected.reason}`);
    expect(m.headers.map(([k]) => k)).toEqual(expected.headers.map(([k]) => k));
    expected.headers.forEach(([name, value], i) => {
      const got = m.headers[i]?.[1] ?? "";
      if (value.includes("{contentLength}")) expect(Number(got), name).toBe(m.body.length);
      else expect(got, `${id} ${name}`).toMatch(templateRegex(value, d.persona, d.address));
    });
    if (expected.body !== undefined)
      expect(m.body.toString("utf8")).toMatch(templateRegex(expected.body, d.persona, d.address));
  });

  it("Dahua writes UPPERCASE header names, no Server header, and a BOM body", async () => {
    const d = device("dahua-ipc");
    const m = await exchange(d.address, portOf(d, 80), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(m.raw).toContain("\r\nCONNECTION: close\r\n");
    expect(m.headers.some(([k]) => k.toLowerCase() === "server")).toBe(false);
    expect(m.body.subarray(0, 3).toString("hex")).toBe("efbbbf");
    expect(m.body.toString()).toContain("<title>WEB SERVICE</title>");
  });

  it("Dahua answers the unauthenticated RPC2_Login with the login challenge", async () => {
    const d = device("dahua-ipc");
    const body =
      '{"method":"global.login","params":{"userName":"admin","password":"","clientType":"Web3.0","loginType":"Direct"},"id":1}';
    const m = await exchange(
      d.address,
      portOf(d, 80),
      `POST /RPC2_Login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    const j = JSON.parse(m.body.toString()) as {
      error: { code: number };
      params: { realm: string; mac: string };
    };
    expect(j.error.code).toBe(268632079);
    expect(j.params.realm).toBe(`Login to ${d.persona.vars.serial}`);
    expect(j.params.mac).toBe("4C11BF5A3E91");
  });

  it("unknown paths get the persona's default (routesFrom carries it to 8080)", async () => {
    const d = device("generic-webs-box");
    const m = await exchange(
      d.address,
      portOf(d, 8080),
      "GET /ISAPI/System/deviceInfo HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    expect(m.statusLine).toBe("HTTP/1.0 404 Site or Page Not Found");
    expect(m.headers[0]).toEqual(["Server", "Webs"]);
  });

  it("oversized headers are refused and the socket closed", async () => {
    const d = device("router");
    const c = await WireClient.open(d.address, portOf(d, 80));
    c.send(`GET / HTTP/1.1\r\nX-Big: ${"a".repeat(20 * 1024)}\r\n\r\n`);
    const m = await c.read({ untilCloseWithoutLength: true });
    expect(m.statusLine).toBe("HTTP/1.1 400 Bad Request");
    await c.readRaw(500);
    expect(c.isClosed()).toBe(true);
  });
});

describe("HTTP Digest", () => {
  const cases: [string, string][] = [
    ["hikvision-ipc-current", "/ISAPI/System/deviceInfo"],
    ["hikvision-ipc-legacy", "/ISAPI/System/deviceInfo"],
    ["hikvision-nvr", "/ISAPI/System/deviceInfo"],
    ["axis-camera", "/axis-cgi/param.cgi"],
    ["hanwha-camera", "/stw-cgi/system.cgi?msubmenu=deviceinfo&action=view"],
    ["hikvision-dvr", "/ISAPI/System/deviceInfo"],
    ["hikvision-access-control", "/ISAPI/System/deviceInfo"],
    ["hikvision-indoor-station", "/ISAPI/System/deviceInfo"],
    ["hikvision-thermal", "/ISAPI/System/deviceInfo"],
    ["hikvision-ax-pro", "/ISAPI/System/deviceInfo"],
    ["hikvision-nvr-eri", "/ISAPI/System/deviceInfo"],
    ["hikvision-ptz", "/ISAPI/System/deviceInfo"],
  ];
  it.each(cases)("%s %s: 401, then 200 with the right password, 401 with a wrong one", async (id, path) => {
    const d = device(id);
    const { username, password } = d.persona.vars as { username: string; password: string };
    const first = await exchange(
      d.address,
      portOf(d, 80),
      `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    expect(first.statusLine).toMatch(/ 401 /);
    const www = first.headers.find(([k]) => k === "WWW-Authenticate")?.[1] ?? "";
    const { realm, nonce } = challengeParams(www);

    const good = await WireClient.open(d.address, portOf(d, 80));
    good.send(
      `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${digestHeader("GET", path, realm, nonce, username, password)}\r\n\r\n`,
    );
    const ok = await good.read();
    good.close();
    expect(ok.statusLine).toMatch(/ 200 OK$/);

    const bad = await WireClient.open(d.address, portOf(d, 80));
    bad.send(
      `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${digestHeader("GET", path, realm, nonce, username, "wrong")}\r\n\r\n`,
    );
    const no = await bad.read();
    bad.close();
    expect(no.statusLine).toMatch(/ 401 /);
  });

  it("Hikvision current: realm IP Camera(XXXXX), hex-of-base64 nonce, deviceInfo after auth", async () => {
    const d = device("hikvision-ipc-current");
    const c = await WireClient.open(d.address, portOf(d, 80));
    c.send("GET /ISAPI/System/deviceInfo HTTP/1.1\r\nHost: x\r\n\r\n");
    const first = await c.read();
    const { realm, nonce } = challengeParams(
      first.headers.find(([k]) => k === "WWW-Authenticate")?.[1] ?? "",
    );
    expect(realm).toMatch(/^IP Camera\([0-9A-Z]{5}\)$/);
    expect(Buffer.from(nonce, "hex").toString("ascii")).toMatch(/^[A-Za-z0-9+/]+=*$/);
    // keep-alive on the 401 (as in the ISAPI guide example): the same connection carries the retry
    c.send(
      `GET /ISAPI/System/deviceInfo HTTP/1.1\r\nHost: x\r\nAuthorization: ${digestHeader("GET", "/ISAPI/System/deviceInfo", realm, nonce, "admin", "Lab-Pass-2024")}\r\n\r\n`,
    );
    const ok = await c.read({ untilCloseWithoutLength: true });
    c.close();
    expect(ok.body.toString()).toContain("<model>DS-2CD2385G1-I</model>");
    expect(ok.body.toString()).toContain("-5850ed1fe385</deviceID>");
  });
});

describe("HTTPS", () => {
  it("NVR presents the Hikvision default certificate subject and the same web server", async () => {
    const d = device("hikvision-nvr");
    const c = await WireClient.open(d.address, portOf(d, 443), true);
    const cert = (c.socket as TLSSocket).getPeerCertificate();
    expect(cert.subject).toMatchObject({
      CN: "www.hikvision.com",
      OU: "DVRNVR",
      O: "HIKVISION",
      L: "HangZhou",
      ST: "ZheJiang",
      C: "CN",
    });
    c.send("GET /SDK/activateStatus HTTP/1.1\r\nHost: x\r\n\r\n");
    const m = await c.read();
    c.close();
    expect(m.statusLine).toBe("HTTP/1.1 200 OK");
    expect(m.headers).toContainEqual(["Server", "DNVRS-Webs"]);
    expect(m.body.toString()).toContain("<Activated>true</Activated>");
  });
});

function rtspRoute(p: Persona, method: string): PersonaRoute | undefined {
  const s = p.services.find((x) => x.protocol === "rtsp");
  return s && s.protocol === "rtsp" ? s.routes.find((r) => r.method === method) : undefined;
}

describe("RTSP", () => {
  const rtspIds = [
    "hikvision-ipc-current",
    "hikvision-ipc-legacy",
    "hikvision-nvr",
    "hiwatch-ipc",
    "lts-relabel",
    "dahua-ipc",
    "lorex-relabel",
    "amcrest-relabel",
    "axis-camera",
    "hanwha-camera",
    "hikvision-dvr",
    "hikvision-indoor-station",
    "hikvision-thermal",
    "tp-link-camera",
    "avigilon-camera",
    "hanwha-ipolis-rtsp",
    "aiphone-intercom",
    "reolink-bc-rtsp",
    "dahua-nvr",
    "hikvision-ptz",
  ];

  it.each(rtspIds)(
    "%s: OPTIONS echoes CSeq; DESCRIBE 401 then 200 with Digest on the same connection",
    async (id) => {
      const d = device(id);
      const port = portOf(d, 554);
      const uri = `rtsp://${d.address}:${port}/`;
      const c = await WireClient.open(d.address, port);
      c.send(`OPTIONS ${uri} RTSP/1.0\r\nCSeq: 41\r\nUser-Agent: test\r\n\r\n`);
      const opt = await c.read();
      expect(opt.statusLine).toMatch(/^RTSP\/1\.0 \d{3} /);
      expect(opt.headers).toContainEqual(["CSeq", "41"]);

      c.send(`DESCRIBE ${uri} RTSP/1.0\r\nCSeq: 42\r\nAccept: application/sdp\r\n\r\n`);
      const desc = await c.read();
      expect(desc.statusLine).toBe("RTSP/1.0 401 Unauthorized");
      expect(desc.headers).toContainEqual(["CSeq", "42"]);
      const route = rtspRoute(d.persona, "DESCRIBE");
      if (route?.auth === "digest") {
        // a device may offer Basic first (tp-link-camera): answer the Digest challenge
        const { realm, nonce } = challengeParams(
          desc.headers.find(([k, v]) => k === "WWW-Authenticate" && v.startsWith("Digest "))?.[1] ?? "",
        );
        const { username, password } = d.persona.vars as { username: string; password: string };
        c.send(
          `DESCRIBE ${uri} RTSP/1.0\r\nCSeq: 43\r\nAccept: application/sdp\r\nAuthorization: ${digestHeader("DESCRIBE", uri, realm, nonce, username, password)}\r\n\r\n`,
        );
        const ok = await c.read();
        expect(ok.statusLine).toBe("RTSP/1.0 200 OK");
        expect(ok.body.toString()).toMatch(/^v=0\r\n/);
      }
      c.close();
    },
  );

  it("Hikvision: no Server header and `Date:` followed by two spaces", async () => {
    const d = device("hikvision-ipc-current");
    const m = await exchange(
      d.address,
      portOf(d, 554),
      `OPTIONS rtsp://${d.address}/ RTSP/1.0\r\nCSeq: 1\r\n\r\n`,
    );
    expect(m.raw).toMatch(/\r\nDate: {2}[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT\r\n/);
    expect(m.headers.some(([k]) => k.toLowerCase() === "server")).toBe(false);
  });

  it("Dahua: an HTTP request to the RTSP port gets RTSP/1.0 405 exactly", async () => {
    const d = device("dahua-ipc");
    const m = await exchange(d.address, portOf(d, 554), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(m.raw).toBe(
      "RTSP/1.0 405 Method Not Allowed\r\nServer: Dahua Rtsp Server\r\nContent-Length: 0\r\nCSeq: 0\r\n\r\n",
    );
  });
});

describe("raw TCP", () => {
  it("Hikvision port 8000 answers junk with the 16-byte frame", async () => {
    const d = device("hikvision-ipc-current");
    const c = await WireClient.open(d.address, portOf(d, 8000));
    c.send(Buffer.alloc(32));
    const got = await c.readRaw(1000, 16);
    c.close();
    expect(got.toString("hex")).toBe("000000100000001e0000001e00000000");
  });

  it("Dahua 37777 accepts and says nothing", async () => {
    const d = device("dahua-ipc");
    const c = await WireClient.open(d.address, portOf(d, 37777));
    const got = await c.readRaw(300);
    c.close();
    expect(got.length).toBe(0);
  });
});

describe("SADP", () => {
  const hik = [
    "hikvision-ipc-current",
    "hikvision-ipc-legacy",
    "hikvision-nvr",
    "hiwatch-ipc",
    "lts-relabel",
    "hikvision-dvr",
    "hikvision-access-control",
    "hikvision-indoor-station",
    "hikvision-thermal",
    "hikvision-ax-pro",
    "hikvision-nvr-eri",
    "hikvision-ptz",
  ];
  it.each(hik)("%s answers an inquiry with a ProbeMatch echoing the Uuid", async (id) => {
    const d = device(id);
    const uuid = "7C1A7A3E-5E41-4B2E-9E0E-3C3F0A1B2C3D";
    const replies = await udpExchange(d.address, portOf(d, 37020), sadpProbe(uuid));
    expect(replies).toHaveLength(1);
    const xml = replies[0]?.toString("utf8") ?? "";
    expect(xml).toContain("<ProbeMatch");
    expect(xml).toContain(`<Uuid>${uuid}</Uuid>`);
    expect(xml).toContain(`<DeviceDescription>${d.persona.expect.model}</DeviceDescription>`);
    expect(xml).toContain(`<MAC>${d.persona.vars.mac?.replace(/:/g, "-")}</MAC>`);
  });

  it("answers inquiry_v32 too, and never a state-changing type", async () => {
    const d = device("hikvision-ipc-current");
    const port = portOf(d, 37020);
    expect(await udpExchange(d.address, port, sadpProbe("A-1", "inquiry_v32"))).toHaveLength(1);
    expect(await udpExchange(d.address, port, sadpProbe("A-2", "activate"))).toHaveLength(0);
    expect(await udpExchange(d.address, port, sadpProbe("A-3", "update"))).toHaveLength(0);
  });

  it("NVR reports channels and a disk", async () => {
    const d = device("hikvision-nvr");
    const [r] = await udpExchange(d.address, portOf(d, 37020), sadpProbe("B-1"));
    const n = (tag: string) => Number(new RegExp(`<${tag}>(\\d+)</${tag}>`).exec(r?.toString() ?? "")?.[1]);
    expect(n("DigitalChannelNum")).toBeGreaterThan(1);
    expect(n("DiskNumber")).toBeGreaterThan(0);
  });
});

describe("DHIP", () => {
  it.each([
    ["dahua-ipc", "Dahua", 37777],
    ["lorex-relabel", "Lorex", 35000],
    ["amcrest-relabel", "General", 37777],
    ["dahua-vto", "General", 37777],
    ["dahua-nvr", "Dahua", 37777],
  ] as const)("%s replies with consistent framing and notifyDevInfo JSON", async (id, vendor, port) => {
    const d = device(id);
    const replies = await udpExchange(d.address, portOf(d, 37810), dhipProbe());
    expect(replies).toHaveLength(1);
    const r = replies[0] as Buffer;
    expect(r.subarray(0, 8).toString("hex")).toBe("2000000044484950");
    expect(r.readUInt32LE(16)).toBe(r.length - 32);
    expect(r.readUInt32LE(24)).toBe(r.length - 32);
    expect(r.readUInt32LE(20)).toBe(0);
    expect(r.readUInt32LE(28)).toBe(0);
    const j = JSON.parse(r.subarray(32).toString("utf8")) as {
      method: string;
      mac: string;
      params: { deviceInfo: Record<string, unknown> };
    };
    expect(j.method).toBe("client.notifyDevInfo");
    expect(j.mac).toBe(d.persona.vars.mac);
    expect(j.params.deviceInfo.Vendor).toBe(vendor);
    expect(j.params.deviceInfo.Port).toBe(port);
    expect(j.params.deviceInfo.DeviceType).toBe(d.persona.expect.model);
  });

  it("ignores datagrams without the DHIP header", async () => {
    const d = device("dahua-ipc");
    expect(
      await udpExchange(d.address, portOf(d, 37810), Buffer.from('{"method":"DHDiscover.search"}')),
    ).toHaveLength(0);
  });
});

describe("stop()", () => {
  it("frees every port (TCP and UDP) and is idempotent", async () => {
    const own = await startLab({ range: "127.78.4.0/24", personas: ["hikvision-ipc-current"] });
    const d = own.devices[0] as LabDevice;
    // leave a connection open: stop() must destroy it
    const c = await WireClient.open(d.address, portOf(d, 554));
    await own.stop();
    await own.stop();
    await c.readRaw(500);
    expect(c.isClosed()).toBe(true);
    for (const s of d.services) {
      if (isUdpProtocol(s.protocol)) {
        const u = createSocket("udp4");
        await new Promise<void>((res, rej) => {
          u.once("error", rej);
          u.bind({ address: d.address, port: s.port, exclusive: true }, () => res());
        });
        await new Promise<void>((res) => u.close(() => res()));
      } else {
        const srv = createServer();
        await new Promise<void>((res, rej) => {
          srv.once("error", rej);
          srv.listen({ host: d.address, port: s.port, exclusive: true }, () => res());
        });
        await new Promise<void>((res) => srv.close(() => res()));
      }
    }
  });
});
