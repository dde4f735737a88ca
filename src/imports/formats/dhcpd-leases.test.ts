import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collect, fixture } from "./__fixtures__/collect.js";
import { dhcpdLeases, dhcpdStringBytes, dhcpdTime } from "./dhcpd-leases.js";

const tmp = mkdtempSync(join(tmpdir(), "csw-e2-dhcpd-"));

describe("ISC dhcpd.leases", () => {
  it("reads each lease and host block, skipping nested blocks and deleted hosts", async () => {
    const { records } = await collect(dhcpdLeases, fixture("dhcpd.leases"));
    expect(records.map((r) => [r.line, r.address, r.mac, r.hostname])).toEqual([
      [8, "192.168.2.102", "02:00:5e:10:00:01", "red01"],
      [33, "192.168.2.103", "02:00:5e:10:00:04", "red04"],
      [45, "192.168.122.10", "02:00:5e:10:00:10", "ten.example.com"],
    ]);
    expect(records[0]?.observations).toEqual([
      {
        target: "192.168.2.102",
        mac: "02:00:5e:10:00:01",
        protocol: "dhcp",
        time: "2018-02-25T21:36:16.000Z",
        request: {
          source: "dhcpd-leases",
          line: 8,
          kind: "lease",
          hostname: "red01",
          vendorClass: "dhcpcd-6.11.5:Linux-4.9.59-v7+:armv7l:BCM2835",
          clientId: "01:02:00:5e:10:00:01",
          state: "active",
          starts: "2018-02-25T21:36:16.000Z",
          ends: "2018-02-25T21:46:16.000Z",
        },
      },
    ]);
    expect(records[2]?.observations[0]?.request).toMatchObject({ kind: "host", name: "ten.example.com" });
  });

  it("names each bad block by line and field, and a block the file cuts", async () => {
    const { errors, order } = await collect(dhcpdLeases, fixture("dhcpd.leases"));
    expect(errors).toEqual([
      { line: 21, field: "address", message: "lease 192.168.2.300: not an IPv4 address" },
      { line: 31, field: "mac", message: 'lease 192.168.2.101: "02:00:5e:10:00:0z" is not a MAC address' },
      { line: 55, message: "lease 192.168.2.104: the file ends inside this block" },
    ]);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("decodes dhcpd's strings and times", () => {
    expect(Array.from(dhcpdStringBytes("\\001\\270'\\353B\\311\\351"))).toEqual([
      1, 0xb8, 0x27, 0xeb, 0x42, 0xc9, 0xe9,
    ]);
    expect(Array.from(dhcpdStringBytes('a\\"\\\\'))).toEqual([0x61, 0x22, 0x5c]);
    expect(dhcpdTime("4 2023/01/12 10:00:00;")).toBe("2023-01-12T10:00:00.000Z");
    expect(dhcpdTime("epoch 1519594870; # Sun Feb 25 21:41:10 2018")).toBe("2018-02-25T21:41:10.000Z");
    expect(dhcpdTime("never;")).toBeUndefined();
  });

  it("refuses another format, naming the file", async () => {
    await expect(collect(dhcpdLeases, fixture("dnsmasq.leases"))).rejects.toThrow(
      /dnsmasq\.leases: not an ISC dhcpd leases file/,
    );
    const one = join(tmp, "one-line.leases");
    writeFileSync(one, "host cam { hardware ethernet 02:00:5e:10:00:50; fixed-address 10.0.0.50; }\n");
    const { records } = await collect(dhcpdLeases, one);
    expect(records.map((r) => [r.address, r.mac])).toEqual([["10.0.0.50", "02:00:5e:10:00:50"]]);
  });
});

describe("dhcp parts", () => {
  it("gives identification the lease's hostname, vendor class and client id", async () => {
    const { partsOf } = await import("../../identify/parts/index.js");
    const { records } = await collect(dhcpdLeases, fixture("dhcpd.leases"));
    const parts = partsOf(records[0]!.observations[0]!, 0).map((p) => [p.name, p.value]);
    expect(parts).toEqual([
      ["link.mac", "02:00:5e:10:00:01"],
      ["dhcp.hostname", "red01"],
      ["dhcp.vendorClass", "dhcpcd-6.11.5:Linux-4.9.59-v7+:armv7l:BCM2835"],
      ["dhcp.clientId", "01:02:00:5e:10:00:01"],
    ]);
  });
});
