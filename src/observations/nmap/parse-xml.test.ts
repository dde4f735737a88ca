import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { packagePath } from "../../shared/paths.js";
import { InputError } from "../../shared/errors.js";
import { decodeXmlText, parseNmapXml } from "./parse-xml.js";
import { parseNmapObservations } from "./index.js";

// The document structure is nmap's -oX (as in the published corpus/nmap/raw/*.xml); the service values are nmap's
// own product names (nmap-service-probes 7.93 lines 14560, 1801) and a reply nmap's Dahua match line names (11363).
const SF = String.raw`SF-Port554-TCP:V=7.93%I=7%D=1/14%Time=63C27A21%P=x86_64-pc-linux-gnu%r(RTSPReq&#xa;SF:uest,58,&quot;RTSP/1\.0\x20405\x20Method\x20Not\x20Allowed\r\nServer:\x20Dahua\x20Rtsp\x20Server\r\nConte&#xa;SF:nt-Length:\x200\r\nCSeq:\x200\r\n\r\n&quot;);`;
const XML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<?xml-stylesheet href="file:///usr/bin/../share/nmap/nmap.xsl" type="text/xsl"?>
<nmaprun scanner="nmap" args="nmap -sV 192.0.2.0/30" start="1673690400" version="7.93" xmloutputversion="1.05">
<host starttime="1673690401" endtime="1673690500"><status state="up" reason="arp-response" reason_ttl="0"/>
<address addr="192.0.2.10" addrtype="ipv4"/>
<address addr="44:19:B6:00:00:01" addrtype="mac" vendor="Hangzhou Hikvision Digital Technology"/>
<hostnames><hostname name="cam1.example" type="PTR"/></hostnames>
<ports><extraports state="closed" count="997"><extrareasons reason="reset" count="997"/></extraports>
<port protocol="tcp" portid="554"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="rtsp" product="Hikvision 7513 POE IP camera rtspd" devicetype="webcam" method="probed" conf="10"/><script id="rtsp-methods" output="OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER"/></port>
<port protocol="tcp" portid="8000"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="ipcam" product="Hikvision IPCam control port" method="probed" conf="10"><cpe>cpe:/h:hikvision:x</cpe></service></port>
<port protocol="tcp" portid="23"><state state="closed" reason="reset" reason_ttl="64"/><service name="telnet" method="table" conf="3"/></port>
</ports></host>
<host starttime="1673690402" endtime="1673690500"><status state="up" reason="arp-response" reason_ttl="0"/>
<address addr="192.0.2.11" addrtype="ipv4"/>
<ports><port protocol="tcp" portid="554"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="rtsp" servicefp="${SF}" method="probed" conf="10"/><script id="http-title" output="A &amp; B &lt;x&gt;&#xa;line2"><elem key="title">A &amp; B</elem></script></port></ports>
</host>
<host><status state="up" reason="arp-response"/><address addr="192.0.2.12" addrtype="ipv4"/><address addr="BC:AD:28:00:00:02" addrtype="mac" vendor="Hangzhou Hikvision Digital Technology"/></host>
<runstats><finished time="1673690500" timestr="x" elapsed="100" exit="success"/></runstats>
</nmaprun>
`;

describe("nmap XML", () => {
  it("reads hosts, addresses, MAC, hostnames, services and scripts", () => {
    const hosts = parseNmapXml(XML, "scan.xml");
    expect(hosts).toHaveLength(3);
    expect(hosts[0]).toMatchObject({
      address: "192.0.2.10",
      mac: "44:19:B6:00:00:01",
      macVendor: "Hangzhou Hikvision Digital Technology",
      hostname: "cam1.example",
      time: "2023-01-14T10:00:01.000Z",
    });
    expect(hosts[0]?.ports.map((p) => [p.port, p.state])).toEqual([
      [554, "open"],
      [8000, "open"],
      [23, "closed"],
    ]);
    expect(hosts[0]?.ports[1]?.service).toMatchObject({ name: "ipcam", cpe: ["cpe:/h:hikvision:x"] });
    expect(hosts[1]?.ports[0]?.scripts).toEqual([["http-title", "A & B <x>\nline2"]]);
  });

  it("gives one nmap observation per open port, the decoded fingerprint, and the MAC", () => {
    const obs = parseNmapObservations(XML, "scan.xml");
    expect(obs.map((o) => [o.target, o.port, o.protocol])).toEqual([
      ["192.0.2.10", 554, "nmap"],
      ["192.0.2.10", 8000, "nmap"],
      ["192.0.2.11", 554, "nmap"],
      ["192.0.2.11", 554, "rtsp"],
      ["192.0.2.12", undefined, "nmap"],
    ]);
    expect(obs[0]).toMatchObject({
      request: {
        service: "rtsp",
        product: "Hikvision 7513 POE IP camera rtspd",
        devicetype: "webcam",
        method: "probed",
        conf: "10",
        transport: "tcp",
        hostname: "cam1.example",
        macVendor: "Hangzhou Hikvision Digital Technology",
        scripts: { "rtsp-methods": expect.stringContaining("DESCRIBE") },
      },
      response: { raw: expect.stringMatching(/^rtsp-methods: OPTIONS/) },
      mac: "44:19:B6:00:00:01",
      time: "2023-01-14T10:00:01.000Z",
    });
    expect(obs[3]?.mac).toBe(obs[2]?.mac);
    expect(obs[3]).toMatchObject({
      request: { method: "OPTIONS", uri: "/", source: "nmap" },
      response: {
        status: 405,
        headers: [
          ["Server", "Dahua Rtsp Server"],
          ["Content-Length", "0"],
          ["CSeq", "0"],
        ],
      },
    });
    expect(obs[4]).toMatchObject({ mac: "BC:AD:28:00:00:02" });
  });

  it("decodes only predefined entities and character references", () => {
    expect(decodeXmlText("&lt;&amp;&gt;&quot;&apos;&#65;&#x42;&custom;&#0;")).toBe("<&>\"'AB&custom;&#0;");
  });

  it("refuses DTDs with entity declarations, naming the file and line", () => {
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE nmaprun [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n<nmaprun><host><address addr="&b;" addrtype="ipv4"/></host></nmaprun>`;
    expect(() => parseNmapObservations(bomb, "bomb.xml")).toThrow(InputError);
    expect(() => parseNmapObservations(bomb, "bomb.xml")).toThrow(
      /^bomb\.xml:2: XML with a DTD internal subset/,
    );
  });

  it("names the line of malformed XML and says when the file was cut", () => {
    const cut = XML.slice(0, XML.indexOf('<host starttime="1673690402"') + 40);
    expect(() => parseNmapObservations(cut, "cut.xml")).toThrow(
      /^cut\.xml:\d+: not valid XML .*ends before <\/nmaprun>/,
    );
    const bad = XML.replace("</ports></host>\n<host starttime", "</ports></hostx>\n<host starttime");
    expect(() => parseNmapObservations(bad, "bad.xml")).toThrow(/^bad\.xml:\d+: not valid XML/);
  });

  it("refuses XML that is not nmap's", () => {
    expect(() => parseNmapXml('<?xml version="1.0"?><other/>', "o.xml")).toThrow(/not nmap output/);
  });

  it("caps long values and survives hostile structure", () => {
    const long = "A".repeat(100_000);
    const doc = `<nmaprun><host><address addr="192.0.2.1" addrtype="ipv4"/><ports><port protocol="tcp" portid="80"><state state="open"/><service name="http" product="${long}"/><script id="x" output="${long}"/></port><port protocol="tcp" portid="99999"><state state="open"/></port><port protocol="tcp" portid="-1"><state state="open"/></port></ports></host></nmaprun>`;
    const obs = parseNmapObservations(doc, "long.xml");
    expect(obs).toHaveLength(1);
    expect((obs[0]?.request?.product as string).length).toBe(1024);
    const deep = `<nmaprun><host><ports><port protocol="tcp" portid="1"><state state="open"/><script id="s" output="o">${"<table>".repeat(5000)}${"</table>".repeat(5000)}</script></port></ports></host></nmaprun>`;
    expect(() => parseNmapObservations(deep, "deep.xml")).not.toThrow();
  });

  it("reads the published XML in the corpus", () => {
    const p = packagePath("corpus", "nmap", "raw", "nmap.metasploitable-vsftpd-xml.xml");
    const obs = parseNmapObservations(readFileSync(p, "utf8"), p);
    expect(obs[0]).toMatchObject({
      target: "192.168.56.101",
      port: 21,
      request: {
        service: "ftp",
        product: "vsftpd",
        version: "2.3.4",
        ostype: "Unix",
        cpe: ["cpe:/a:vsftpd:vsftpd:2.3.4"],
      },
      time: "2019-07-25T12:39:36.000Z",
    });
  });
});
