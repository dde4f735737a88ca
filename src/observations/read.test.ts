import { describe, expect, it } from "vitest";
import { parseObservations } from "./read.js";

const obs = (target: string) => ({
  target,
  port: 80,
  protocol: "http",
  response: { status: 200, headers: [], body: "" },
});

describe("parseObservations", () => {
  it("reads one object, an array, or JSON Lines", () => {
    expect(parseObservations(JSON.stringify(obs("a")), "f")).toHaveLength(1);
    expect(parseObservations(JSON.stringify(obs("a"), null, 2), "f")).toHaveLength(1);
    expect(parseObservations(JSON.stringify([obs("a"), obs("b")]), "f")).toHaveLength(2);
    const jsonl = [obs("a"), obs("b"), obs("c")].map((o) => JSON.stringify(o)).join("\n") + "\n";
    expect(parseObservations(jsonl, "f").map((o) => o.target)).toEqual(["a", "b", "c"]);
  });

  it("ignores unknown fields and normalises header objects to pairs", () => {
    const [o] = parseObservations(
      JSON.stringify({ ...obs("a"), extra: 1, response: { status: 200, headers: { Server: "x" } } }),
      "f",
    );
    expect(o).not.toHaveProperty("extra");
    expect(o?.response).toMatchObject({ headers: [["Server", "x"]], body: "" });
  });

  it("names the bad line of a JSON Lines file", () => {
    const text = [JSON.stringify(obs("a")), "{not json", JSON.stringify(obs("c"))].join("\n");
    expect(() => parseObservations(text, "obs.jsonl")).toThrow(/^obs\.jsonl:2: not valid JSON/);
  });

  it("names the line and field of an invalid observation", () => {
    const text = [JSON.stringify(obs("a")), JSON.stringify({ ...obs("b"), protocol: "smtp" })].join("\n");
    expect(() => parseObservations(text, "obs.jsonl")).toThrow(
      /^obs\.jsonl:2: invalid observation: protocol/,
    );
    expect(() => parseObservations(JSON.stringify({ ...obs("a"), port: 70000 }), "o.json")).toThrow(/port/);
  });

  it("reads nmap XML and nmap normal output", () => {
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE nmaprun>\n<nmaprun start="1"><host><address addr="192.0.2.1" addrtype="ipv4"/><ports><port protocol="tcp" portid="554"><state state="open"/><service name="rtsp" product="Dahua IP camera rtspd" devicetype="webcam"/></port></ports></host></nmaprun>`;
    expect(parseObservations(xml, "scan.xml")).toMatchObject([
      {
        target: "192.0.2.1",
        port: 554,
        protocol: "nmap",
        request: { service: "rtsp", product: "Dahua IP camera rtspd" },
      },
    ]);
    const normal =
      "Nmap scan report for 192.0.2.2\nPORT    STATE SERVICE VERSION\n554/tcp open  rtsp    Dahua IP camera rtspd\n";
    expect(parseObservations(normal, "scan.nmap")).toMatchObject([
      { target: "192.0.2.2", port: 554, protocol: "nmap", request: { product: "Dahua IP camera rtspd" } },
    ]);
  });

  it("names XML that is not nmap output, and refuses entity declarations", () => {
    expect(() => parseObservations("<html><body/></html>", "page.html")).toThrow(
      /^page\.html:1: XML that is not nmap/,
    );
    expect(() =>
      parseObservations('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><nmaprun/>', "e.xml"),
    ).toThrow(/^e\.xml:1: XML with a DTD internal subset/);
  });

  it("still reads JSON that mentions nmap", () => {
    const o = { ...obs("a"), protocol: "nmap", request: { product: "Nmap scan report for x" } };
    expect(parseObservations(JSON.stringify(o), "f")).toHaveLength(1);
  });
});

describe("a byte-order mark at the start", () => {
  it("is not part of the first line of JSON Lines (files saved on Windows)", () => {
    const line = (t: string) =>
      JSON.stringify({
        target: t,
        protocol: "http",
        port: 80,
        response: { status: 200, headers: [], body: "" },
      });
    const obs = parseObservations(`\uFEFF${line("a")}\r\n${line("b")}\r\n\r\n`, "obs.jsonl");
    expect(obs.map((o) => o.target)).toEqual(["a", "b"]);
  });
});
