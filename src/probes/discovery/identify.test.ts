import { describe, expect, it } from "vitest";
import { identify, loadKnowledge } from "../../identify/index.js";
import { partsOf } from "../../identify/parts/index.js";
import { type Observation, ObservationSchema } from "../../observations/observation.js";
import { discoveryProtocol } from "./table.js";
import { legacyReply, SSDP_REPLY } from "./__fixtures__/replies.js";

const kb = loadKnowledge();
const T = "127.76.20.1";
const obs = (o: object): Observation => ObservationSchema.parse({ target: T, ...o });
const names = (o: Observation) => new Map(partsOf(o, 0).map((p) => [p.name, p.value]));

const DESCRIPTION =
  '<?xml version="1.0"?>\r\n<root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>' +
  "<device><deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType><friendlyName>Front door</friendlyName>" +
  "<manufacturer>Example Maker</manufacturer><modelName>EX-100</modelName><modelNumber>1.0</modelNumber>" +
  "<serialNumber>SN123</serialNumber><UDN>uuid:11111111-2222-3333-4444-555555555555</UDN>" +
  "<deviceList><device><manufacturer>Embedded Other</manufacturer></device></deviceList></device></root>";

describe("identification of discovery replies", () => {
  it("an SSDP reply: its headers as ssdp.* parts", () => {
    const part = discoveryProtocol("ssdp").observe(Buffer.from(SSDP_REPLY), false)!;
    const p = names(obs(part));
    expect(p.get("ssdp.kind")).toBe("response");
    expect(p.get("ssdp.server")).toBe("Linux/3.0, UPnP/1.0, Portable SDK for UPnP devices/1.6.22");
    expect(p.get("ssdp.usn")).toBe("uuid:11111111-2222-3333-4444-555555555555::upnp:rootdevice");
    expect(p.get("ssdp.st")).toBe("upnp:rootdevice");
    expect(p.get("ssdp.location")).toBe("http://192.168.1.64:49152/description.xml");
    const notify = names(
      obs({
        protocol: "ssdp",
        port: 1900,
        response: { raw: "NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\nNTS: ssdp:byebye\r\n\r\n" },
      }),
    );
    expect(notify.get("ssdp.kind")).toBe("notify");
    expect(notify.get("ssdp.nts")).toBe("ssdp:byebye");
    // not SSDP at all: nothing
    expect(
      partsOf(
        obs({ protocol: "ssdp", port: 1900, response: { raw: "M-SEARCH * HTTP/1.1\r\nST: x\r\n\r\n" } }),
        0,
      ),
    ).toEqual([]);
  });

  it("the UPnP description fetched from LOCATION: the root device's fields as upnp.*, whatever its path", () => {
    const d = obs({
      protocol: "http",
      port: 49152,
      request: { method: "GET", path: "/any/name.xml", scheme: "http", upnp: "description" },
      response: { status: 200, headers: [["Content-Type", "text/xml"]], body: DESCRIPTION },
    });
    const p = names(d);
    expect(p.get("upnp.manufacturer")).toBe("Example Maker"); // the root device, not the embedded one
    expect(p.get("upnp.modelName")).toBe("EX-100");
    expect(p.get("upnp.modelNumber")).toBe("1.0");
    expect(p.get("upnp.serialNumber")).toBe("SN123");
    expect(p.get("upnp.friendlyName")).toBe("Front door");
    expect(p.get("upnp.UDN")).toBe("uuid:11111111-2222-3333-4444-555555555555");
    // hostile: a DTD is refused with a note, no upnp parts
    const notes: string[] = [];
    const evil = obs({
      ...d,
      response: {
        status: 200,
        body: `<!DOCTYPE r [<!ENTITY a "b">]>${DESCRIPTION.replace(/^<\?xml[^>]*>\r\n/, "").replace("EX-100", "&a;")}`,
      },
    });
    expect([...partsOf(evil, 0, notes)].some((x) => x.name.startsWith("upnp."))).toBe(false);
    expect(notes.join()).toMatch(/DOCTYPE/);
    // a page that is no description gives none
    expect(
      [
        ...names(
          obs({
            ...d,
            response: { status: 200, body: "<root><device><manufacturer>x</manufacturer></device></root>" },
          }),
        ).keys(),
      ].some((k) => k.startsWith("upnp.")),
    ).toBe(false);
    // SSDP + description identify without error (no UPnP fingerprint claims: parts only)
    const id = identify([obs(discoveryProtocol("ssdp").observe(Buffer.from(SSDP_REPLY), false)!), d], kb);
    expect(id.target).toBe(T);
  });

  it("a legacy DHIP reply (UDP 5050): device type, IPv4 and MAC as dhip.legacy.* parts, no model claim", () => {
    const part = discoveryProtocol("dhip-legacy").observe(
      legacyReply("DH-NVR4104", [10, 1, 2, 3], "3c:ef:8c:aa:bb:cc"),
      false,
    )!;
    const o = obs(part);
    const p = names(o);
    expect(p.get("dhip.legacy.deviceType")).toBe("DH-NVR4104");
    expect(p.get("dhip.legacy.ipv4")).toBe("10.1.2.3");
    expect(p.get("dhip.legacy.mask")).toBe("255.255.255.0");
    expect(p.get("dhip.legacy.mac")).toBe("3c:ef:8c:aa:bb:cc");
    expect(p.has("dhip.DeviceType")).toBe(false);
    expect(identify([o], kb).model).toBeNull();
    // garbage in the type field is not a part
    const junk = legacyReply("", [1, 2, 3, 4]);
    junk.set([0x01, 0xff, 0x41], 0x28);
    expect(
      names(obs(discoveryProtocol("dhip-legacy").observe(junk, false)!)).has("dhip.legacy.deviceType"),
    ).toBe(false);
  });
});
