// Summarises one lab-vs-nmap run as JSON: times, the ratio, and how many hosts each tool named a maker for.
import { readFileSync } from "node:fs";
import { XMLParser } from "fast-xml-parser";

const [jsonl, nmapXml, hosts, camsweepMs, nmapMs, nmapVersion] = process.argv.slice(2);
const devices = readFileSync(jsonl, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", processEntities: false });
const run = xml.parse(readFileSync(nmapXml, "utf8")).nmaprun;
const list = (x) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
// nmap names a maker when a service's product/devicetype mentions one; collect per host.
const makers =
  /hikvision|dahua|lorex|amcrest|axis|hanwha|samsung|xiongmai|netsurveillance|hp |mikrotik|routeros/i;
const nmapNamed = list(run.host).filter((h) =>
  list(h.ports?.port).some((p) => makers.test(`${p.service?.product ?? ""} ${p.service?.devicetype ?? ""}`)),
).length;
console.log(
  JSON.stringify(
    {
      date: new Date().toISOString(),
      hosts: Number(hosts),
      ports: 7,
      camsweep: {
        ms: Number(camsweepMs),
        devices: devices.length,
        withManufacturer: devices.filter((d) => d.manufacturer).length,
        restricted: devices.filter((d) => d.restricted).length,
      },
      nmap: {
        version: nmapVersion,
        command: "nmap -sV -Pn -n -p <ports>",
        ms: Number(nmapMs),
        hostsWithMakerInProduct: nmapNamed,
      },
      speedup: Math.round((Number(nmapMs) / Number(camsweepMs)) * 10) / 10,
    },
    null,
    2,
  ),
);
