import { describe, expect, it } from "vitest";
import { loadKnowledge } from "../../knowledge/load.js";
import { identify } from "../index.js";
import { partsOf } from "./index.js";

const kb = loadKnowledge();
const asset = (request: Record<string, unknown>) => [
  { protocol: "asset" as const, target: "10.0.0.5", request, time: "2026-01-01T00:00:00Z" },
];

describe("asset parts and rules", () => {
  it("gives asset.<field> parts for what says what the device is, and nothing for the rest", () => {
    const parts = partsOf(
      asset({ manufacturer: " Hikvision ", model: "DS-2CD2320D-I", location: "Lobby", line: 4 })[0]!,
      0,
    );
    expect(parts.map((p) => [p.name, p.value])).toEqual([
      ["asset.manufacturer", "Hikvision"],
      ["asset.model", "DS-2CD2320D-I"],
    ]);
  });

  it("every brands.yaml name in the maker column is taken as that brand (the rule's list has not drifted)", () => {
    for (const b of kb.brands) {
      const id = identify(asset({ manufacturer: b.name.toUpperCase() }), kb);
      expect(id.brand, b.name).toBe(b.name);
    }
  });

  it("a maker's own name is a maker, not a brand; unknown names stay unknown", () => {
    const hik = identify(asset({ manufacturer: "HIKVISION", type: "Caméra IP" }), kb);
    expect([hik.manufacturer, hik.brand, hik.deviceType, hik.restricted]).toEqual([
      "hikvision",
      null,
      "camera",
      true,
    ]);
    const acme = identify(asset({ manufacturer: "Acme Cameras Ltd" }), kb);
    expect([acme.manufacturer, acme.brand, acme.suspected]).toEqual([null, null, []]);
  });

  it("a relabel's badge alone follows brands.yaml (Lorex: a device to check, not a verdict)", () => {
    const id = identify(asset({ brand: "Lorex" }), kb);
    expect(id.manufacturer).toBeNull();
    expect(id.suspected.map((s) => s.manufacturer)).toEqual(["dahua"]);
  });
});
