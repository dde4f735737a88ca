import { describe, expect, it } from "vitest";
import { NeighbourLookup } from "./neighbours.js";

const table = (entries: { address: string; mac: string }[]) => async () => ({
  tables: [{ source: "ip-neigh" as const, entries, errors: [] }],
  notes: [],
});

describe("NeighbourLookup", () => {
  const subnets = [
    { interface: "eth0", cidr: "10.83.0.1/24" },
    { interface: "eth0", cidr: "fd00:83::1/64" },
  ];

  it("ties an on-link host to its MAC and records that it had one", async () => {
    const n = new NeighbourLookup(subnets, table([{ address: "10.83.0.11", mac: "44:47:cc:37:ce:81" }]));
    const obs = await n.observe("10.83.0.11");
    expect(obs).toHaveLength(1);
    expect(obs[0]).toMatchObject({ target: "10.83.0.11", mac: "44:47:cc:37:ce:81", protocol: "neighbour" });
    expect([...n.found]).toEqual(["10.83.0.11"]);
  });

  it("never looks up a routed host (its entry would be the router's MAC)", async () => {
    let reads = 0;
    const n = new NeighbourLookup(subnets, async () => {
      reads++;
      return table([{ address: "10.9.0.5", mac: "00:11:22:33:44:55" }])();
    });
    expect(await n.observe("10.9.0.5")).toEqual([]);
    expect(reads).toBe(0);
    expect(n.onLink("fd00:83::20")).toBe(true);
    expect(n.onLink("not an address")).toBe(false);
  });

  it("takes an imported table's MACs for any address (it was taken on that segment)", async () => {
    const imported = [
      {
        source: "file:arp.txt" as const,
        entries: [{ address: "10.9.0.5", mac: "44:47:cc:37:ce:81" }],
        errors: [],
      },
    ];
    const n = new NeighbourLookup(subnets, table([]), 1000, imported);
    expect(await n.observe("10.9.0.5")).toMatchObject([
      { mac: "44:47:cc:37:ce:81", request: { source: "file:arp.txt" } },
    ]);
    expect(await n.observe("10.9.0.6")).toEqual([]);
  });

  it("reads the table once for many hosts asked at once", async () => {
    let reads = 0;
    const entries = Array.from({ length: 50 }, (_, i) => ({
      address: `10.83.0.${i + 10}`,
      mac: `44:47:cc:00:00:${(i + 16).toString(16)}`,
    }));
    const n = new NeighbourLookup(subnets, async () => {
      reads++;
      return table(entries)();
    });
    const all = await Promise.all(entries.map((e) => n.observe(e.address)));
    expect(all.every((o) => o.length === 1)).toBe(true);
    expect(reads).toBe(1);
  });
});
