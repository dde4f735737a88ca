import { describe, expect, it } from "vitest";
import { ObservationSchema, type Observation, type ObservationInput } from "../observations/observation.js";
import { identify, loadKnowledge } from "./index.js";

/** Everything a device says is hostile: none of these crashes or hangs, and what could not be read is noted. */
const kb = loadKnowledge();
const obs = (o: ObservationInput): Observation =>
  ObservationSchema.parse({ target: "127.0.0.9", time: "2026-11-22T10:00:00.000Z", ...o });
const isapi = (body: string, bodyEncoding?: "base64") =>
  obs({
    protocol: "http",
    port: 80,
    request: { method: "GET", path: "/ISAPI/System/deviceInfo" },
    response: { status: 200, headers: [["Content-Type", "application/xml"]], body, bodyEncoding },
  });

/** A real deviceInfo (protocols.md §2.6) that, well-formed, identifies as Hikvision. */
const DEVICE_INFO = `<?xml version="1.0" encoding="UTF-8"?>
<DeviceInfo version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
<deviceName>IP CAMERA</deviceName>
<model>DS-2CD2032-I</model>
<serialNumber>DS-2CD2032-I20140811CCWR474497894</serialNumber>
<firmwareVersion>V5.4.0</firmwareVersion>
<firmwareReleasedDate>build 160530</firmwareReleasedDate>
<deviceType>IPCamera</deviceType>
</DeviceInfo>`;

function timed<T>(f: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = f();
  return { value, ms: performance.now() - t };
}

describe("hostile input", () => {
  it("the well-formed control case is identified (so the cases below test the damage, not the sample)", () => {
    expect(identify([isapi(DEVICE_INFO)], kb).model).toBe("DS-2CD2032-I");
  });

  it("truncated XML: not parsed as a document, said so; the leaf elements before the cut are still read", () => {
    const id = identify([isapi(DEVICE_INFO.slice(0, 200))], kb);
    expect(id.model).toBe("DS-2CD2032-I");
    expect(id.notes.join("\n")).toMatch(/malformed XML/);
    expect(id.notes.join("\n")).toMatch(/leaf elements read one by one/);
    // Cut inside an element: that element is not read.
    const cut = identify([isapi(DEVICE_INFO.slice(0, DEVICE_INFO.indexOf("</model>")))], kb);
    expect(cut.evidence.some((e) => e.part === "isapi.model")).toBe(false);
  });

  it("malformed XML (mismatched tags): not parsed, said so; the mismatched element is not read", () => {
    const id = identify([isapi(DEVICE_INFO.replace("</model>", "</modle>"))], kb);
    expect(id.evidence.some((e) => e.part === "isapi.model")).toBe(false);
    expect(id.notes.join("\n")).toMatch(/GET \/ISAPI\/System\/deviceInfo: malformed XML/);
  });

  it("a damaged deviceInfo shaped to make the leaf-by-leaf reader backtrack is read at once", () => {
    const open = ("<" + "a".repeat(63) + " " + "b".repeat(299) + ">" + "c".repeat(1023)).repeat(45);
    for (const body of [open, "<a>".repeat(20_000), "<a><b>".repeat(10_000)]) {
      const { value: id, ms } = timed(() => identify([isapi(body)], kb));
      expect(id.manufacturer).toBeNull();
      expect(ms).toBeLessThan(1000);
    }
  });

  it("entity-expansion XML (billion laughs) is refused before any parsing", () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from(
      { length: 9 },
      (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? "" : i};`.repeat(10)}">`,
    ).join("")}]><DeviceInfo><model>&lol9;</model></DeviceInfo>`;
    const { value: id, ms } = timed(() => identify([isapi(lol)], kb));
    expect(id.manufacturer).toBeNull();
    expect(id.model).toBeNull();
    expect(id.notes.join("\n")).toMatch(/DOCTYPE or ENTITY declaration refused/);
    expect(ms).toBeLessThan(2000);
  });

  it("binary junk in every protocol: unknown, no throw", () => {
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)).toString(
      "base64",
    );
    const all = [
      isapi(junk, "base64"),
      obs({ protocol: "sadp", response: { raw: junk, encoding: "base64" } }),
      obs({ protocol: "dahua-dhip", response: { raw: junk, encoding: "base64" } }),
      obs({ protocol: "onvif-probe", response: { raw: junk, encoding: "base64" } }),
      obs({ protocol: "banner", port: 8000, response: { raw: junk, encoding: "base64" } }),
      obs({
        protocol: "rtsp",
        port: 554,
        response: { status: 200, headers: [], body: junk, bodyEncoding: "base64" },
      }),
    ];
    const id = identify(all, kb);
    expect(id.manufacturer).toBeNull();
    expect(id.restricted).toBe(false);
    expect(id.notes.length).toBeGreaterThan(0);
  });

  it("invalid UTF-8 in a reply is read as replacement characters, and the valid part still counts", () => {
    const bytes = Buffer.concat([
      Buffer.from(
        '<?xml version="1.0"?><ProbeMatch><DeviceDescription>DS-2CD2032-I</DeviceDescription><Junk>',
      ),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]),
      Buffer.from("</Junk><SoftwareVersion>V5.4.0build 160530</SoftwareVersion></ProbeMatch>"),
    ]);
    const id = identify(
      [obs({ protocol: "sadp", response: { raw: bytes.toString("base64"), encoding: "base64" } })],
      kb,
    );
    expect(id.manufacturer).toBe("hikvision");
    expect(id.firmware).toBe("V5.4.0 build 160530");
  });

  it("a megabyte header is capped, said so, and costs little", () => {
    const huge = "A".repeat(1024 * 1024);
    const o = obs({
      protocol: "http",
      port: 80,
      request: { method: "GET", path: "/" },
      response: {
        status: 200,
        headers: [
          ["Server", huge],
          ["X-Junk", huge],
          ["Set-Cookie", huge],
        ],
        body: huge,
      },
    });
    const { value: id, ms } = timed(() => identify([o], kb));
    expect(id.manufacturer).toBeNull();
    expect(id.notes.join("\n")).toMatch(/longer than 8 KiB/);
    expect(ms).toBeLessThan(2000);
  });

  it("a body built to make the title search backtrack (unclosed <title repeated) costs little", () => {
    const o = obs({
      protocol: "http",
      port: 80,
      request: { method: "GET", path: "/" },
      response: { status: 200, headers: [], body: "<title".repeat(11000) },
    });
    const { value: id, ms } = timed(() => identify([o], kb));
    expect(id.manufacturer).toBeNull();
    // Unbounded, this took about a second; bounded it is linear (tens of ms at most even on a slow machine).
    expect(ms).toBeLessThan(500);
  });

  it("an oversized XML body is not parsed, and says so", () => {
    const big = DEVICE_INFO.replace("<deviceName>", `<pad>${"x".repeat(70 * 1024)}</pad><deviceName>`);
    const id = identify([isapi(big)], kb);
    expect(id.model).toBeNull();
    expect(id.notes.join("\n")).toMatch(/XML over 64 KiB not parsed/);
  });

  it("malformed JSON where JSON is expected (RPC2, DHIP) is said, not thrown", () => {
    const o = obs({
      protocol: "http",
      port: 80,
      request: { method: "POST", path: "/RPC2_Login" },
      response: { status: 200, headers: [], body: '{"params": {"realm": "Login to ' },
    });
    const id = identify([o], kb);
    expect(id.manufacturer).toBeNull();
    expect(id.notes).toEqual(["http :80 POST /RPC2_Login: malformed JSON"]);
  });
});
