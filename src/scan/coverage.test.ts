import { describe, expect, it } from "vitest";
import { coverageSegments, formatCoverage } from "./coverage.js";

const DISCOVERY = ["sadp", "wsd", "dhip", "ssdp"];

describe("coverageSegments", () => {
  it("IPv4: a target inside a locally discovered subnet is local; another VLAN is remote-only", () => {
    const segs = coverageSegments({
      targets: ["10.1.2.0/24", "10.9.0.0/16"],
      local: [{ interface: "eth0", cidr: "10.1.2.7/24", protocols: DISCOVERY }],
      macs: ["10.1.2.5", "10.1.2.9", "10.1.2.9", "10.9.4.4"],
    });
    expect(segs).toEqual([
      { cidr: "10.1.2.0/24", coverage: "local", interface: "eth0", protocols: DISCOVERY, hostsWithMac: 2 },
      { cidr: "10.9.0.0/16", coverage: "remote-only", hostsWithMac: 1 },
    ]);
    expect(formatCoverage(segs)).toEqual([
      "10.1.2.0/24  local discovery on eth0 (sadp, wsd, dhip, ssdp), 2 MACs",
      "10.9.0.0/16  remote probes only: VLAN not covered by local discovery, 1 MAC",
    ]);
  });

  it("a target partly inside a local subnet: the local part is the subnet, the rest is cut into aligned blocks", () => {
    const segs = coverageSegments({
      targets: ["10.9.0.0/16"],
      local: [{ interface: "vlan5", cidr: "10.9.5.0/24" }],
    });
    expect(segs.map((s) => `${s.cidr} ${s.coverage}`)).toEqual([
      "10.9.0.0/22 remote-only",
      "10.9.4.0/24 remote-only",
      "10.9.5.0/24 local",
      "10.9.6.0/23 remote-only",
      "10.9.8.0/21 remote-only",
      "10.9.16.0/20 remote-only",
      "10.9.32.0/19 remote-only",
      "10.9.64.0/18 remote-only",
      "10.9.128.0/17 remote-only",
    ]);
    expect(formatCoverage(segs)[2]).toBe("10.9.5.0/24    local discovery on vlan5, no MACs");
  });

  it("remote ranges are widened to whole /24s, but never into a local subnet smaller than a /24", () => {
    const segs = coverageSegments({
      targets: ["192.168.10.20-192.168.11.40", "192.168.20.0/24", "192.168.30.5"],
      local: [{ interface: "eth1", cidr: "192.168.20.0/25" }],
    });
    expect(segs.map((s) => `${s.cidr} ${s.coverage}`)).toEqual([
      "192.168.10.0/23 remote-only",
      "192.168.20.0/25 local",
      "192.168.20.128/25 remote-only",
      "192.168.30.0/24 remote-only",
    ]);
  });

  it("no local discovery: every target is remote-only; nmap octet ranges and single addresses are placed", () => {
    const segs = coverageSegments({
      targets: ["10.0.0-1.*", "10.0.7.9", "10.0.7.10", "camera.example", "not a target"],
    });
    expect(segs).toEqual([
      { cidr: "10.0.0.0/23", coverage: "remote-only", hostsWithMac: 0 },
      { cidr: "10.0.7.0/24", coverage: "remote-only", hostsWithMac: 0 },
    ]);
    expect(formatCoverage(segs)).toEqual([
      "10.0.0.0/23  remote probes only: VLAN not covered by local discovery",
      "10.0.7.0/24  remote probes only: VLAN not covered by local discovery",
    ]);
  });

  it("IPv6: /64 blocks; a local /64 and a remote one, MACs counted per segment", () => {
    const segs = coverageSegments({
      targets: ["fd00:1::/64", "fd00:2::10-fd00:2::20", "10.5.5.5"],
      local: [{ interface: "eth0", cidr: "fd00:1::10/64", protocols: ["wsd"] }],
      macs: ["fd00:1::64", "FD00:0001::0065", "fd00:2::11", "10.5.5.5"],
    });
    expect(segs).toEqual([
      { cidr: "10.5.5.0/24", coverage: "remote-only", hostsWithMac: 1 },
      { cidr: "fd00:1::/64", coverage: "local", interface: "eth0", protocols: ["wsd"], hostsWithMac: 2 },
      { cidr: "fd00:2::/64", coverage: "remote-only", hostsWithMac: 1 },
    ]);
  });

  it("a local subnet the targets do not touch is still listed (local discovery reached it)", () => {
    const segs = coverageSegments({
      targets: [],
      local: [
        { interface: "eth0", cidr: "172.16.4.0/22", protocols: ["sadp"] },
        { interface: "eth0", cidr: "172.16.4.0/22", protocols: ["sadp"] },
      ],
    });
    expect(segs).toEqual([
      { cidr: "172.16.4.0/22", coverage: "local", interface: "eth0", protocols: ["sadp"], hostsWithMac: 0 },
    ]);
  });

  it("a large scattered target set stays bounded in the report", () => {
    const targets = Array.from({ length: 300 }, (_, i) => `10.${i >> 8}.${i & 255}.1`);
    const segs = coverageSegments({ targets, local: [{ interface: "eth0", cidr: "10.0.0.0/24" }] });
    // 10.0.0.0/24 is local; 10.0.1.0 .. 10.1.43.0 (299 /24s) join into aligned CIDRs.
    expect(segs[0]).toMatchObject({ cidr: "10.0.0.0/24", coverage: "local" });
    expect(segs.length).toBeLessThan(20);
    const lines = formatCoverage(segs, { maxLines: 3 });
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(
      new RegExp(`^… ${segs.length - 2} more segments \\(${segs.length - 2} remote-only, 0 local\\)$`),
    );
  });
});
