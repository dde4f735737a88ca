import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonLines, runCli } from "./cli.js";

/**
 * Issue 6's mixed import, end to end through the CLI: one site, four sources (nmap -oX, ISC dhcpd leases, a Zeek
 * dns.log, a CMDB CSV) that each see part of the same cameras, merged into one device list with its sources.
 * The file shapes follow the real-format fixtures in src/imports/formats/__fixtures__ (their sources are cited
 * there); addresses, MACs and serials are invented.
 */
const NMAP = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<nmaprun scanner="nmap" args="nmap -sV 10.20.5.0/24" start="1673690400" version="7.93" xmloutputversion="1.05">
<host starttime="1673690401" endtime="1673690500"><status state="up" reason="arp-response" reason_ttl="0"/>
<address addr="10.20.5.31" addrtype="ipv4"/>
<address addr="44:19:B6:12:34:56" addrtype="mac" vendor="Hangzhou Hikvision Digital Technology"/>
<ports><port protocol="tcp" portid="554"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="rtsp" product="Hikvision 7513 POE IP camera rtspd" devicetype="webcam" method="probed" conf="10"/></port></ports>
</host>
<runstats><finished time="1673690500" elapsed="100"/><hosts up="1" down="0" total="1"/></runstats>
</nmaprun>
`;
const LEASES = `# The format of this file is documented in the dhcpd.leases(5) manual page.
lease 10.20.5.31 {
  starts 0 2026/11/15 21:36:16;
  ends 0 2026/11/15 21:46:16;
  binding state active;
  hardware ethernet 44:19:b6:12:34:56;
  client-hostname "lobby-cam-1";
}
lease 10.20.5.50 {
  starts 0 2026/11/15 21:36:16;
  binding state active;
  hardware ethernet 4c:11:bf:5a:3e:91;
  client-hostname "dock-nvr";
}
`;
const ZEEK = [
  "#separator \\x09",
  "#set_separator\t,",
  "#empty_field\t(empty)",
  "#unset_field\t-",
  "#path\tdns",
  "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected",
  "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool",
  "1591367999.306059\tCazOhH2qDUiJTWMCY\t10.20.5.77\t36844\t10.20.5.1\t53\tudp\t8555\t-\texample.org\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tF\t0\t-\t-\tF",
  "1591368001.100000\tC1hik0000000000001\t10.20.5.31\t40112\t10.20.5.1\t53\tudp\t4242\t0.031000\tlitedev.hik-connect.com\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t-\t-\tF",
  "",
].join("\n");
const CSV = `Asset Tag,Hostname,IP Address,MAC Address,Manufacturer,Model,Serial Number,Firmware,Location
CAM-0001,lobby-cam-1,10.20.5.31,44:19:B6:12:34:56,Hikvision,DS-2CD2320D-I,DS-2CD2320D-I20180919AACHC52932642,V5.5.82 build 190909,"Lobby, east door"
CAM-0004,axis-4,10.20.5.34,ACCC8E494578,Axis Communications,M3045-V,,,Office
CAM-0005,broken,10.20.5.999,,Axis Communications,M3045-V,,,Office
`;

describe("camsweep import: one site from four sources", () => {
  let dir: string;
  let inv: string;
  const files: Record<string, string> = {};
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "camsweep-import-cli-"));
    inv = join(dir, "inv");
    for (const [name, text] of Object.entries({
      "scan.xml": NMAP,
      "dhcpd.leases": LEASES,
      "dns.log": ZEEK,
      "cmdb.csv": CSV,
    })) {
      files[name] = join(dir, name);
      writeFileSync(files[name]!, text);
    }
    for (const args of [
      [
        "org",
        "add",
        "dnd",
        "--name",
        "National Defence",
        "--type",
        "federal-department",
        "--jurisdiction",
        "CA",
      ],
      ["site", "add", "hq", "--org", "dnd", "--name", "Headquarters", "--segment", "10.20.5.0/24"],
    ]) {
      const r = await runCli([...args, "--data-dir", inv]);
      expect(r.code, r.stderr).toBe(0);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("merges the sources into one device list, each device with its sources", async () => {
    for (const [format, file] of [
      ["nmap-xml", "scan.xml"],
      ["dhcpd-leases", "dhcpd.leases"],
      ["zeek-dns", "dns.log"],
      ["csv", "cmdb.csv"],
    ] as const) {
      const r = await runCli(["import", format, files[file]!, "--site", "hq", "--data-dir", inv]);
      expect(r.code, `${format}: ${r.stderr}`).toBe(0);
      if (format === "csv") expect(r.stderr).toMatch(/cmdb\.csv:4: .*10\.20\.5\.999/); // the bad row, by line
    }
    const list = await runCli(["devices", "--json", "--site", "hq", "--data-dir", inv]);
    expect(list.code, list.stderr).toBe(0);
    const devices = jsonLines<{
      address: string;
      mac: string | null;
      serial: string | null;
      hostname: string | null;
      manufacturer: string | null;
      model: string | null;
      restricted: boolean;
      site: string;
      sources: { kind: string; format: string }[];
    }>(list.stdout);
    expect(devices.map((d) => d.address).sort()).toEqual(["10.20.5.31", "10.20.5.34", "10.20.5.50"]);
    const cam = devices.find((d) => d.address === "10.20.5.31")!;
    expect(cam).toMatchObject({
      mac: "44:19:b6:12:34:56",
      serial: "DS-2CD2320D-I20180919AACHC52932642",
      hostname: "lobby-cam-1",
      manufacturer: "hikvision",
      model: "DS-2CD2320D-I",
      restricted: true,
      site: "hq",
    });
    expect(cam.sources.map((s) => s.format).sort()).toEqual(["csv", "dhcpd-leases", "nmap-xml", "zeek-dns"]);
    expect(devices.find((d) => d.address === "10.20.5.34")?.sources.map((s) => s.format)).toEqual(["csv"]);
  });

  it("keeps a record that offers another MAC for a known serial as a conflict, shown with the device", async () => {
    const f = join(dir, "moved.csv");
    writeFileSync(
      f,
      "IP Address,MAC Address,Serial Number\n10.20.5.31,44:19:B6:99:99:99,DS-2CD2320D-I20180919AACHC52932642\n",
    );
    const r = await runCli(["import", "csv", f, "--site", "hq", "--data-dir", inv]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 conflicts kept/);
    const cam = jsonLines<{
      address: string;
      mac: string;
      identityConflicts?: { field: string; held: string; offered: string }[];
    }>((await runCli(["devices", "--json", "--site", "hq", "--data-dir", inv])).stdout).find(
      (d) => d.address === "10.20.5.31",
    )!;
    expect(cam.mac).toBe("44:19:b6:12:34:56");
    expect(cam.identityConflicts).toMatchObject([
      { field: "mac", held: "44:19:b6:12:34:56", offered: "44:19:b6:99:99:99" },
    ]);
  });

  it("does not import the same file twice", async () => {
    const r = await runCli(["import", "csv", files["cmdb.csv"]!, "--site", "hq", "--data-dir", inv]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/already imported/);
  });

  it("with --strict imports nothing from a file with a bad row", async () => {
    const f = join(dir, "strict.csv");
    writeFileSync(f, CSV.replace(/CAM-0001/, "CAM-0101").replace(/10\.20\.5\.34/, "10.20.5.35"));
    const r = await runCli(["import", "csv", f, "--site", "hq", "--strict", "--data-dir", inv]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/strict\.csv:4: .*10\.20\.5\.999/);
    const list = jsonLines<{ address: string }>(
      (await runCli(["devices", "--json", "--data-dir", inv])).stdout,
    );
    expect(list.some((d) => d.address === "10.20.5.35")).toBe(false);
  });

  it("names an unknown format and lists the formats", async () => {
    const r = await runCli(["import", "nessus", files["cmdb.csv"]!, "--data-dir", inv]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown import format "nessus"/);
    expect(r.stderr).toMatch(/zeek-dns/);
  });
});
