import { describe, expect, it } from "vitest";
import { identify, loadKnowledge } from "../../identify/index.js";
import { ObservationSchema } from "../../observations/observation.js";
import { IP_NEIGH_JSON, WINDOWS_ARP_EN } from "./__fixtures__/tables.js";
import { neighbourObservations, parseIpNeighJson, parseWindowsArp } from "./index.js";

const kb = loadKnowledge();
const T = "2025-06-30T10:00:00.000Z";

describe("neighbourObservations", () => {
  it("records only the scanned hosts, with target, mac, protocol neighbour and the table's source", () => {
    const { entries } = parseIpNeighJson(IP_NEIGH_JSON);
    const obs = neighbourObservations(entries, {
      hosts: new Set(["192.168.1.64", "fd00:1::64", "192.168.1.250"]),
      source: "ip-neigh",
      time: T,
    });
    expect(obs).toEqual([
      {
        target: "192.168.1.64",
        mac: "44:47:cc:37:ce:81",
        protocol: "neighbour",
        request: { source: "ip-neigh", interface: "eth0", state: "reachable" },
        time: T,
      },
      {
        target: "fd00:1::64",
        mac: "44:47:cc:37:ce:81",
        protocol: "neighbour",
        request: { source: "ip-neigh", interface: "eth0", state: "stale" },
        time: T,
      },
    ]);
    // Every observation is valid under the contract saved observations are read with.
    for (const o of obs) expect(ObservationSchema.parse(o)).toEqual(o);
  });

  it("takes a predicate for large target sets and records an address and MAC once", () => {
    const entries = [
      { address: "10.0.0.5", mac: "44:47:cc:37:ce:81" },
      { address: "10.0.0.5", mac: "44:47:cc:37:ce:81", interface: "eth1" },
      { address: "10.0.1.5", mac: "4c:11:bf:c2:0b:9d" },
    ];
    const obs = neighbourObservations(entries, {
      hosts: (a) => a.startsWith("10.0.0."),
      source: "file:arp.txt",
      time: T,
    });
    expect(obs.map((o) => [o.target, o.mac, o.request?.source])).toEqual([
      ["10.0.0.5", "44:47:cc:37:ce:81", "file:arp.txt"],
    ]);
  });
});

describe("identification from a neighbour entry alone", () => {
  const verdict = (o: ReturnType<typeof ObservationSchema.parse>) => {
    const id = identify([o], kb);
    return {
      manufacturer: id.manufacturer,
      mac: id.mac,
      confidence: id.confidence,
      restricted: id.restricted,
      policies: id.policies,
      rules: id.evidence.map((e) => e.rule),
    };
  };

  it("a Hikvision OUI gives the verdict an observation's MAC gives today (link.mac -> oui.hikvision)", () => {
    const [n] = neighbourObservations([{ address: "10.0.0.5", mac: "44:47:cc:37:ce:81", state: "stale" }], {
      hosts: new Set(["10.0.0.5"]),
      source: "ip-neigh",
      time: T,
    });
    // The same MAC as nmap's "MAC Address:" line carries it: the reference for today's OUI-based verdict.
    const viaNmap = ObservationSchema.parse({
      target: "10.0.0.5",
      mac: "44:47:CC:37:CE:81",
      protocol: "nmap",
      time: T,
    });
    const got = verdict(n!);
    expect(got).toEqual(verdict(viaNmap));
    expect(got).toMatchObject({ manufacturer: "hikvision", mac: "44:47:cc:37:ce:81", restricted: true });
    expect(got.rules).toContain("oui.hikvision");
    // A MAC alone is weak evidence: below what a device's own reply gives.
    expect(got.confidence).toBeGreaterThan(0);
    expect(got.confidence).toBeLessThan(0.9);
  });

  it("an imported Windows arp -a ties makers to the scanned hosts: Hikvision, Dahua, Axis", () => {
    const { entries } = parseWindowsArp(WINDOWS_ARP_EN);
    const hosts = new Set(["192.168.1.64", "192.168.1.108", "10.20.0.7"]);
    const obs = neighbourObservations(entries, { hosts, source: "file:arp.txt", time: T });
    const makers = Object.fromEntries(obs.map((o) => [o.target, identify([o], kb).manufacturer]));
    expect(makers).toEqual({ "192.168.1.64": "hikvision", "192.168.1.108": "dahua", "10.20.0.7": "axis" });
    // 192.168.1.1 is in the table but was not scanned: not recorded.
    expect(obs.find((o) => o.target === "192.168.1.1")).toBeUndefined();
  });
});
