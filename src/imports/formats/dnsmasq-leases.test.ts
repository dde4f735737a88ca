import { describe, expect, it } from "vitest";
import { collect, fixture } from "./__fixtures__/collect.js";
import { dnsmasqLeases } from "./dnsmasq-leases.js";

describe("dnsmasq.leases", () => {
  it("reads IPv4 and IPv6 leases; * is no value; a hardware-type prefix is read", async () => {
    const { records } = await collect(dnsmasqLeases, fixture("dnsmasq.leases"));
    expect(records.map((r) => [r.line, r.address, r.mac, r.hostname])).toEqual([
      [1, "192.168.10.128", "52:54:00:d1:23:c2", "ubuntu"],
      [2, "192.168.10.21", "02:00:5e:10:00:21", undefined],
      // Hardware type 6 (IEEE 802) carries no Ethernet MAC.
      [3, "192.168.10.22", undefined, "lab-printer"],
      [7, "fd00:10::128", undefined, "ubuntu"],
    ]);
    expect(records[0]?.observations[0]).toMatchObject({
      target: "192.168.10.128",
      mac: "52:54:00:d1:23:c2",
      protocol: "dhcp",
      request: {
        source: "dnsmasq-leases",
        line: 1,
        hostname: "ubuntu",
        clientId: "ff:b5:5e:67:ff:00:02:00:00:ab:11:a8:3a:e0:01:6e:9c:5f:ff",
        expires: "2020-02-01T09:45:35.000Z",
      },
    });
    expect(records[1]?.observations[0]?.request).toMatchObject({
      expires: "never",
      clientId: "01:02:00:5e:10:00:21",
    });
    expect(records[3]?.observations[0]?.request).toMatchObject({
      iaid: "1234567",
      duid: "00:04:21:b5:5e:67:ff:00:02:00:00:ab:11:a8",
    });
  });

  it("names bad rows by line and field", async () => {
    const { errors } = await collect(dnsmasqLeases, fixture("dnsmasq.leases"));
    expect(errors).toEqual([
      { line: 4, field: "address", message: 'lease "192.168.10.300": not an IP address' },
      { line: 5, field: "mac", message: 'lease 192.168.10.24: "not-a-mac" is not a MAC address' },
    ]);
  });

  it("refuses another format", async () => {
    await expect(collect(dnsmasqLeases, fixture("dhcpd.leases"))).rejects.toThrow(
      /dhcpd\.leases: not a dnsmasq lease file/,
    );
  });
});
