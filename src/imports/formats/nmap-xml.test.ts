import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseNmapObservations } from "../../observations/nmap/index.js";
import { packagePath } from "../../shared/paths.js";
import { collect, fixture } from "./__fixtures__/collect.js";
import { nmapXml } from "./nmap-xml.js";

const tmp = mkdtempSync(join(tmpdir(), "csw-e2-nmap-"));
const write = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};
/** Observations without the import's own request.line, to compare with what `identify` reads from the file. */
const withoutLine = (o: { request?: Record<string, unknown> }) => {
  const { line: _line, ...request } = o.request ?? {};
  return { ...o, request };
};

describe("nmap XML import", () => {
  it("yields one record per host that is up, with the host's line, address, MAC and name", async () => {
    const { records, errors } = await collect(nmapXml, fixture("nmap-scan.xml"));
    expect(records.map((r) => [r.line, r.address, r.mac, r.hostname])).toEqual([
      [10, "192.0.2.10", "44:19:b6:00:00:01", "cam1.example"],
      [20, "192.0.2.12", "bc:ad:28:00:00:02", undefined],
    ]);
    expect(errors).toEqual([
      { line: 21, field: "address", message: 'host "192.0.2.300": not an IP address' },
    ]);
  });

  it("gives the observations identify builds from the same file (streamed, entities decoded once)", async () => {
    const file = fixture("nmap-scan.xml");
    const { records } = await collect(nmapXml, file);
    const whole = parseNmapObservations(readFileSync(file, "utf8"), "nmap-scan.xml")
      // identify keeps nmap's spelling of the MAC; the import's is canonical; down and bad hosts are not devices.
      .filter((o) => o.target === "192.0.2.10" || o.target === "192.0.2.12")
      .map((o) => ({ ...o, ...(o.mac ? { mac: o.mac.toLowerCase() } : {}) }));
    const streamed = records.flatMap((r) => r.observations);
    expect(streamed.map(withoutLine)).toEqual(whole.map(withoutLine));
    expect(streamed.every((o, i) => o.request?.line === (i < streamed.length - 1 ? 10 : 20))).toBe(true);
    const http = streamed.find((o) => o.port === 80 && o.protocol === "nmap");
    expect(http?.request).toMatchObject({
      product: "A & B <x>",
      scripts: { "http-title": "Title & more\nline2" },
    });
  });

  it("reads a published scan from the corpus", async () => {
    const { records, errors } = await collect(
      nmapXml,
      packagePath("corpus/nmap/raw/nmap.metasploitable-vsftpd-xml.xml"),
    );
    expect(errors).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]?.observations[0]).toMatchObject({
      target: "192.168.56.101",
      port: 21,
      protocol: "nmap",
      request: { product: "vsftpd", version: "2.3.4", cpe: ["cpe:/a:vsftpd:vsftpd:2.3.4"] },
    });
  });

  it("keeps the hosts before an interruption and says where the file stopped", async () => {
    const text = readFileSync(fixture("nmap-scan.xml"), "utf8");
    const cut = write("cut.xml", text.slice(0, text.indexOf('<host><status state="up" reason="echo-reply"')));
    const { records, errors } = await collect(nmapXml, cut);
    expect(records.map((r) => r.address)).toEqual(["192.0.2.10", "192.0.2.12"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/ends before <\/nmaprun>: an interrupted scan/);
  });

  it("stops at damage, keeping what came before", async () => {
    const text = readFileSync(fixture("nmap-scan.xml"), "utf8").replace(
      '<host><status state="up" reason="arp-response"/>',
      "<host><oops></host>",
    );
    const { records, errors } = await collect(nmapXml, write("bad.xml", text));
    expect(records.map((r) => r.address)).toEqual(["192.0.2.10"]);
    expect(errors[0]).toMatchObject({ line: 20 });
    expect(errors[0]?.message).toMatch(/not well-formed XML .*the rest of the file was not read/);
  });

  it("never expands entities: a DTD subset is refused, an undeclared entity is damage", async () => {
    const xxe = write(
      "xxe.xml",
      '<?xml version="1.0"?><!DOCTYPE nmaprun [<!ENTITY x SYSTEM "file:///etc/passwd">]><nmaprun><host><hostnames><hostname name="&x;"/></hostnames></host></nmaprun>',
    );
    await expect(collect(nmapXml, xxe)).rejects.toThrow(/xxe\.xml:1: XML with a DTD internal subset/);
    const undeclared = write(
      "ent.xml",
      '<nmaprun><host><status state="up"/><address addr="10.0.0.1" addrtype="ipv4"/></host><host><hostnames><hostname name="&x;"/></hostnames></host></nmaprun>',
    );
    const { records, errors } = await collect(nmapXml, undeclared);
    expect(records.map((r) => r.address)).toEqual(["10.0.0.1"]);
    expect(errors[0]?.message).toMatch(/entity/i);
  });

  it("refuses other XML and non-XML, naming the file", async () => {
    await expect(collect(nmapXml, write("svg.xml", "<svg><g/></svg>"))).rejects.toThrow(
      /svg\.xml: XML with a <svg> root: not nmap output/,
    );
    await expect(collect(nmapXml, fixture("masscan.list"))).rejects.toThrow(/masscan\.list: not XML/);
  });
});
