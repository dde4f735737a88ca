import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../shared/errors.js";
import {
  GET_NETNEIGHBOR,
  IP_NEIGH,
  IP_NEIGH_JSON,
  IP_NEIGH_JSON_PRETTY,
  PROC_NET_ARP,
  WINDOWS_ARP_DE,
  WINDOWS_ARP_EN,
  WINDOWS_ARP_FR,
} from "./__fixtures__/tables.js";
import { MAX_ENTRIES, MAX_LINE, normaliseMac } from "./entry.js";
import {
  detectNeighbourFormat,
  parseGetNetNeighbor,
  parseIpNeigh,
  parseIpNeighJson,
  parseNeighbourTable,
  parseProcNetArp,
  parseWindowsArp,
  readNeighbourFile,
} from "./index.js";

const pairs = (r: { entries: { address: string; mac: string }[] }) =>
  r.entries.map((e) => `${e.address} ${e.mac}`);

describe("neighbour table parsers", () => {
  it("/proc/net/arp: complete rows only, MAC lower-cased, permanent flag read", () => {
    const r = parseProcNetArp(PROC_NET_ARP);
    expect(r.errors).toEqual([]);
    expect(r.entries).toEqual([
      { address: "192.168.1.108", mac: "4c:11:bf:c2:0b:9d", interface: "eth0", state: "complete" },
      { address: "192.168.1.64", mac: "44:47:cc:37:ce:81", interface: "eth0", state: "complete" },
      { address: "192.168.1.1", mac: "00:00:0c:76:3f:85", interface: "eth0", state: "permanent" },
      { address: "10.20.0.7", mac: "ac:cc:8e:3a:0a:8f", interface: "vlan20", state: "complete" },
    ]);
  });

  it("/proc/net/arp: bad lines are named by number and the rest is still read", () => {
    const text = [
      "IP address       HW type     Flags       HW address            Mask     Device",
      "192.168.1.5      0x1         0x2         44:47:cc:37:ce:81     *        eth0",
      "192.168.1.6      0x1         0x2         44:47:cc:37:ce:81",
      "192.168.1.666    0x1         0x2         44:47:cc:37:ce:82     *        eth0",
      "192.168.1.7      0x1         0x2         44:47:cc:37:ce        *        eth0",
      "192.168.1.8      one         0x2         44:47:cc:37:ce:83     *        eth0",
      "192.168.1.9      0x1         0x2         44:47:cc:37:ce:84     *        eth0",
    ].join("\n");
    const r = parseProcNetArp(text);
    expect(pairs(r)).toEqual(["192.168.1.5 44:47:cc:37:ce:81", "192.168.1.9 44:47:cc:37:ce:84"]);
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(r.errors[0]?.message).toMatch(/6 columns/);
    expect(r.errors[1]?.message).toMatch(/"192\.168\.1\.666" is not an IP address/);
    expect(r.errors[2]?.message).toMatch(/not a MAC/);
  });

  it("ip neigh: IPv4 and IPv6; REACHABLE, STALE, DELAY, PROBE, PERMANENT, NOARP kept; FAILED, INCOMPLETE, proxy and multicast dropped", () => {
    const r = parseIpNeigh(IP_NEIGH);
    expect(r.errors).toEqual([]);
    expect(r.entries.map((e) => [e.address, e.mac, e.state])).toEqual([
      ["192.168.1.108", "4c:11:bf:c2:0b:9d", "stale"],
      ["192.168.1.64", "44:47:cc:37:ce:81", "reachable"],
      ["192.168.1.96", "58:50:ed:1f:e3:86", "probe"],
      ["192.168.1.97", "58:50:ed:1f:e3:85", "delay"],
      ["192.168.1.1", "00:00:0c:76:3f:85", "permanent"],
      ["192.168.1.7", "ac:cc:8e:3a:0a:8f", "noarp"],
      ["fd00:1::64", "44:47:cc:37:ce:81", "stale"],
      ["fe80::4647:ccff:fe37:ce81", "44:47:cc:37:ce:81", "reachable"],
      ["193.233.7.85", "00:e0:1e:63:39:00", "stale"],
    ]);
    expect(r.entries.every((e) => e.interface === "eth0")).toBe(true);
  });

  it("ip neigh: IPv6 addresses are normalised (RFC 5952), a bad address or MAC is named by line", () => {
    const r = parseIpNeigh(
      [
        "FD00:0001:0000:0000:0000:0000:0000:0064 dev eth0 lladdr 44:47:CC:37:CE:81 REACHABLE",
        "not-an-address dev eth0 lladdr 44:47:cc:37:ce:81 STALE",
        "",
        "10.0.0.9 dev eth0 lladdr zz:47:cc:37:ce:81 STALE",
        "10.0.0.10 dev gre1 lladdr 172.16.0.1 PERMANENT",
        "::ffff:10.0.0.11 dev eth0 lladdr 44:47:cc:37:ce:82 STALE",
      ].join("\n"),
    );
    expect(pairs(r)).toEqual(["fd00:1::64 44:47:cc:37:ce:81", "10.0.0.11 44:47:cc:37:ce:82"]);
    expect(r.errors).toEqual([
      { line: 2, message: expect.stringMatching(/"not-an-address" is not an IP address/) },
      { line: 4, message: expect.stringMatching(/"zz:47:cc:37:ce:81" is not a MAC address/) },
    ]);
  });

  it("ip -j neigh: the same entries as the text form, FAILED/INCOMPLETE/proxy/multicast dropped", () => {
    const r = parseIpNeighJson(IP_NEIGH_JSON);
    expect(r.errors).toEqual([]);
    expect(pairs(r)).toEqual([
      "192.168.1.108 4c:11:bf:c2:0b:9d",
      "192.168.1.64 44:47:cc:37:ce:81",
      "192.168.1.1 00:00:0c:76:3f:85",
      "192.168.1.7 ac:cc:8e:3a:0a:8f",
      "fd00:1::64 44:47:cc:37:ce:81",
      "fe80::4647:ccff:fe37:ce81 44:47:cc:37:ce:81",
    ]);
    expect(r.entries[1]).toEqual({
      address: "192.168.1.64",
      mac: "44:47:cc:37:ce:81",
      interface: "eth0",
      state: "reachable",
    });
  });

  it("ip -j -p neigh: a bad entry is named by the line it starts on", () => {
    const r = parseIpNeighJson(IP_NEIGH_JSON_PRETTY);
    expect(pairs(r)).toEqual(["192.168.1.108 4c:11:bf:c2:0b:9d"]);
    expect(r.errors).toEqual([
      { line: 6, message: expect.stringMatching(/"192\.168\.1\.300" is not an IP address/) },
      { line: 11, message: expect.stringMatching(/entry 3 has no "dst"/) },
    ]);
    expect(parseIpNeighJson('{"dst":"10.0.0.1"}').errors[0]).toEqual({
      line: 1,
      message: expect.stringMatching(/expected a JSON array/),
    });
    expect(parseIpNeighJson('[{"dst":"10.0.0.1",').errors[0]?.message).toMatch(/not valid JSON/);
  });

  it("Windows arp -a (English): hyphenated MACs, interface address kept, broadcast and multicast rows dropped", () => {
    const r = parseWindowsArp(WINDOWS_ARP_EN);
    expect(r.errors).toEqual([]);
    expect(r.entries).toEqual([
      { address: "192.168.1.1", mac: "00:11:22:33:44:55", interface: "192.168.1.10", state: "dynamic" },
      { address: "192.168.1.64", mac: "44:47:cc:37:ce:81", interface: "192.168.1.10", state: "dynamic" },
      { address: "192.168.1.108", mac: "4c:11:bf:c2:0b:9d", interface: "192.168.1.10", state: "dynamic" },
      { address: "10.20.0.7", mac: "ac:cc:8e:3a:0a:8f", interface: "10.20.0.5", state: "dynamic" },
    ]);
  });

  it("Windows arp -a in French and German: the same rows, type words read as dynamic/static", () => {
    const fr = parseWindowsArp(WINDOWS_ARP_FR);
    expect(fr.errors).toEqual([]);
    expect(fr.entries).toEqual([
      { address: "10.33.69.24", mac: "58:50:ed:1f:e3:85", interface: "10.33.72.151", state: "dynamic" },
      { address: "10.33.79.254", mac: "7c:5a:1c:d3:d8:76", interface: "10.33.72.151", state: "dynamic" },
    ]);
    const de = parseWindowsArp(WINDOWS_ARP_DE);
    expect(de.errors).toEqual([]);
    expect(de.entries.map((e) => [e.address, e.mac, e.interface, e.state])).toEqual([
      ["192.168.178.1", "aa:bb:cc:dd:ee:ff", "192.168.178.20", "dynamic"],
      ["192.168.178.64", "44:47:cc:37:ce:81", "192.168.178.20", "dynamic"],
    ]);
  });

  it("Windows arp -a: a row before any interface line and a stray line are named", () => {
    const r = parseWindowsArp(
      [
        "  192.168.1.5           44-47-cc-37-ce-81     dynamic",
        "Interface: 192.168.1.10 --- 0xb",
        "  Internet Address      Physical Address      Type",
        "  192.168.1.6           44-47-cc-37-ce-82     dynamic",
        "  this line is garbage",
        "  192.168.1.7           44-47-cc-37-ce        dynamic",
      ].join("\r\n"),
    );
    expect(pairs(r)).toEqual(["192.168.1.6 44:47:cc:37:ce:82"]);
    expect(r.errors.map((e) => e.line)).toEqual([1, 5, 6]);
    expect(r.errors[0]?.message).toMatch(/before any `Interface/);
  });

  it("Get-NetNeighbor: IPv4 and IPv6 rows, Unreachable and multicast dropped, ifIndex as interface", () => {
    const r = parseGetNetNeighbor(GET_NETNEIGHBOR);
    expect(r.errors).toEqual([]);
    expect(r.entries).toEqual([
      { address: "172.16.30.1", mac: "90:6c:ac:4b:60:56", interface: "54", state: "reachable" },
      { address: "172.16.30.64", mac: "44:47:cc:37:ce:81", interface: "54", state: "stale" },
      { address: "fe80::4647:ccff:fe37:ce81", mac: "44:47:cc:37:ce:81", interface: "17", state: "stale" },
    ]);
  });

  it("MACs: any spelling of a 48-bit MAC normalises; others do not", () => {
    expect(normaliseMac("44-47-CC-37-CE-81")).toBe("44:47:cc:37:ce:81");
    expect(normaliseMac("44:47-cc:37:ce:81")).toBeUndefined();
    expect(normaliseMac("44:47:cc:37:ce")).toBeUndefined();
    expect(normaliseMac("80:00:00:48:fe:80:00:00:00:00")).toBeUndefined();
  });

  it("caps: an overlong line is named, not parsed; the entry cap stops reading and says so", () => {
    const long = `10.0.0.1 dev eth0 lladdr 44:47:cc:37:ce:81 ${"x".repeat(MAX_LINE)} STALE`;
    const r = parseIpNeigh(`${long}\n10.0.0.2 dev eth0 lladdr 44:47:cc:37:ce:82 STALE\n`);
    expect(pairs(r)).toEqual(["10.0.0.2 44:47:cc:37:ce:82"]);
    expect(r.errors).toEqual([{ line: 1, message: expect.stringMatching(/longer than 4096/) }]);

    const rows: string[] = [];
    for (let i = 0; i <= MAX_ENTRIES; i++)
      rows.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} dev eth0 lladdr 44:47:cc:37:ce:81 STALE`);
    const big = parseIpNeigh(rows.join("\n"));
    expect(big.entries).toHaveLength(MAX_ENTRIES);
    expect(big.errors).toEqual([{ line: MAX_ENTRIES + 1, message: expect.stringMatching(/more than/) }]);
  });

  it("hostile input never throws: random bytes, deep JSON, odd values in every field", () => {
    const parsers = [parseProcNetArp, parseIpNeigh, parseIpNeighJson, parseWindowsArp, parseGetNetNeighbor];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const samples = [
      "[".repeat(100_000) + "]".repeat(100_000),
      '[{"dst":{"toString":1},"lladdr":["44:47:cc:37:ce:81"],"state":"STALE"},null,7,"x",[]]',
      '[{"dst":"10.0.0.1","lladdr":"44:47:cc:37:ce:81","state":[1,null,{"a":1}],"dev":{"x":1}}]',
      "Interface: 10.0.0.1 --- 0xffffffff\n  10.0.0.2 44-47-cc-37-ce-81\n  ::: ::: :::",
      "ifIndex IPAddress LinkLayerAddress State PolicyStore\n99999999999 10.0.0.1 44-47-cc-37-ce-81 Stale X Y",
      "10.0.0.1 dev lladdr\n10.0.0.2 lladdr\n10.0.0.3 nud\n\u0000\u0000\u0000",
      Array.from({ length: 2000 }, () => String.fromCharCode(Math.floor(rand() * 0xffff))).join(""),
      Buffer.from(Array.from({ length: 4000 }, () => Math.floor(rand() * 256))).toString("latin1"),
    ];
    for (const parse of parsers)
      for (const s of samples) {
        const r = parse(s);
        expect(Array.isArray(r.entries)).toBe(true);
        for (const e of r.entries) expect(e.mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
      }
    // The JSON sample with a valid row next to garbage keeps the valid one.
    expect(parseIpNeighJson(samples[2]!).entries).toEqual([
      { address: "10.0.0.1", mac: "44:47:cc:37:ce:81" },
    ]);
  });

  it("many bad lines: the first 100 are listed, the rest counted", () => {
    const r = parseIpNeigh(Array.from({ length: 150 }, () => "garbage dev eth0 STALE").join("\n"));
    expect(r.errors).toHaveLength(101);
    expect(r.errors[100]).toEqual({ line: 150, message: "50 more bad lines not listed" });
  });
});

describe("parseNeighbourTable", () => {
  it("recognises each format", () => {
    expect(detectNeighbourFormat(PROC_NET_ARP)).toBe("proc-net-arp");
    expect(detectNeighbourFormat(IP_NEIGH)).toBe("ip-neigh");
    expect(detectNeighbourFormat(IP_NEIGH_JSON)).toBe("ip-neigh-json");
    expect(detectNeighbourFormat(IP_NEIGH_JSON_PRETTY)).toBe("ip-neigh-json");
    expect(detectNeighbourFormat(WINDOWS_ARP_EN)).toBe("windows-arp");
    expect(detectNeighbourFormat(WINDOWS_ARP_FR)).toBe("windows-arp");
    expect(detectNeighbourFormat(WINDOWS_ARP_DE)).toBe("windows-arp");
    expect(detectNeighbourFormat(GET_NETNEIGHBOR)).toBe("get-netneighbor");
    const t = parseNeighbourTable(WINDOWS_ARP_FR, { file: "arp-fr.txt" });
    expect(t.format).toBe("windows-arp");
    expect(t.entries).toHaveLength(2);
  });

  it("a file that is none of them: an InputError naming the file and the formats expected", () => {
    const call = () =>
      parseNeighbourTable("Nmap scan report for 10.0.0.1\nHost is up.\n", { file: "scan.txt" });
    expect(call).toThrow(InputError);
    expect(call).toThrow(/^scan\.txt: not a neighbour table: expected \/proc\/net\/arp, `ip neigh`/);
    expect(() => parseNeighbourTable("  \n", { file: "empty.txt" })).toThrow(/^empty\.txt: empty/);
  });

  describe("readNeighbourFile", () => {
    const dir = mkdtempSync(join(tmpdir(), "camsweep-neigh-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("reads a PowerShell-redirected (UTF-16LE with BOM) arp -a and names the source by file name", async () => {
      const p = join(dir, "arp.txt");
      writeFileSync(p, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(WINDOWS_ARP_EN, "utf16le")]));
      const t = await readNeighbourFile(p);
      expect(t.source).toBe("file:arp.txt");
      expect(t.format).toBe("windows-arp");
      expect(t.entries).toHaveLength(4);
    });

    it("refuses a file over the size cap with a message naming it, and a missing file likewise", async () => {
      const p = join(dir, "big.txt");
      writeFileSync(p, IP_NEIGH.repeat(20));
      await expect(readNeighbourFile(p, { maxBytes: 1024 })).rejects.toThrow(
        new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: larger than 1024 bytes`),
      );
      await expect(readNeighbourFile(join(dir, "nope.txt"))).rejects.toThrow(
        /nope\.txt: cannot read \(ENOENT\)/,
      );
      expect((await readNeighbourFile(p)).entries.length).toBe(9 * 20);
    });
  });
});
