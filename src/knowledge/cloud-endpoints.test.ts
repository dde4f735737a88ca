import { describe, expect, it } from "vitest";
import { identify } from "../identify/index.js";
import { cloudEndpointOf, loadCloudEndpoints } from "./cloud-endpoints.js";
import { loadKnowledge } from "./load.js";

const list = loadCloudEndpoints();
const kb = loadKnowledge();
const dnsObs = (query: string) => [{ protocol: "dns" as const, target: "10.0.0.9", request: { query }, time: "2026-01-01T00:00:00Z" }];

describe("knowledge/cloud-endpoints.yaml", () => {
  it("names makers and brands of the vocabulary and cites the reference", () => {
    for (const e of list.endpoints) {
      expect(kb.manufacturerBySlug.has(e.maker), e.domain).toBe(true);
      if (e.brand) expect(kb.brandByName.get(e.brand)?.owner, e.domain).toBe(e.maker);
      expect(JSON.stringify(e.sources)).toMatch(/shared\/reference\/cloud-endpoints\.md/);
    }
  });

  it("matches whole labels, the longest listed domain first", () => {
    expect(cloudEndpointOf("LITEDEV.Hik-Connect.com.")?.role).toBe("device");
    expect(cloudEndpointOf("api.hik-connect.com")?.role).toBe("app");
    expect(cloudEndpointOf("hik-connect.com")?.role).toBe("app");
    expect(cloudEndpointOf("evilhik-connect.com")).toBeUndefined();
    expect(cloudEndpointOf("hik-connect.com.example.org")).toBeUndefined();
    expect(cloudEndpointOf("bad name\u0000.com")).toBeUndefined();
    expect(cloudEndpointOf("")).toBeUndefined();
  });

  // Every domain an import keeps must mean something to identification, and for the maker the list says.
  it.each(list.endpoints.filter((e) => e.role !== "vendor-web").map((e) => [e.domain, e] as const))(
    "%s is claimed by a cloud-dns rule for its maker",
    (_d, e) => {
      const id = identify(dnsObs(e.domain), kb);
      const makers = [id.manufacturer, ...id.suspected.map((s) => s.manufacturer), ...id.conflicts.map((c) => c.value)];
      const claimed = e.brand ? id.brand === e.brand || makers.includes(e.maker) : makers.includes(e.maker);
      expect(claimed).toBe(true);
      // A device-registration host may name the maker; nothing else reaches a verdict on one query.
      if (e.role !== "device") expect(id.manufacturer).toBeNull();
    },
  );

  it("vendor web sites are listed but never evidence", () => {
    for (const e of list.endpoints.filter((x) => x.role === "vendor-web")) {
      const id = identify(dnsObs(`www.${e.domain}`), kb);
      expect(id.manufacturer, e.domain).toBeNull();
      expect(id.suspected, e.domain).toEqual([]);
    }
  });
});
