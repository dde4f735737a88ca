import { describe, expect, it } from "vitest";
import { loadKnowledge } from "../knowledge/load.js";
import type { Claim } from "./match.js";
import { candidates, mergeClaims, normalizeMac } from "./merge.js";
import type { Part } from "./parts/index.js";

const kb = loadKnowledge();
const part: Part = { name: "x.y", value: "v", ctx: { protocol: "http" }, obsIndex: 0 };
const claim = (field: Claim["field"], value: string, confidence: number, rule: string): Claim => ({
  field,
  value,
  confidence,
  rule,
  part,
  excerpt: value,
});
const observations = [{ protocol: "http" as const, time: "2025-01-01T00:00:00.000Z" }];

describe("merge", () => {
  it("noisy-OR over distinct rules; a rule counts once", () => {
    const c = candidates(
      [
        claim("manufacturer", "dahua", 0.5, "a"),
        claim("manufacturer", "dahua", 0.5, "b"),
        claim("manufacturer", "dahua", 0.5, "b"),
      ],
      "manufacturer",
    );
    expect(c[0]?.combined).toBeCloseTo(0.75, 10);
  });

  it("a manufacturer needs 0.5 combined confidence", () => {
    expect(
      mergeClaims([claim("manufacturer", "dahua", 0.49, "a")], observations, kb, null).manufacturer,
    ).toBeNull();
    expect(mergeClaims([claim("manufacturer", "dahua", 0.5, "a")], observations, kb, null).manufacturer).toBe(
      "dahua",
    );
  });

  it("a brand without maker evidence maps to its owner at the relation's confidence, and says so", () => {
    const id = mergeClaims([claim("brand", "HiWatch", 0.9, "r")], observations, kb, "127.0.0.1");
    expect(id).toMatchObject({ manufacturer: "hikvision", brand: "HiWatch", restricted: true });
    expect(id.confidence).toBeCloseTo(0.72, 5);
    const e = id.evidence.find((x) => x.field === "manufacturer");
    expect(e).toMatchObject({ rule: "vocabulary:HiWatch", value: "hikvision" });
    expect(e?.excerpt).toMatch(/HiWatch is a sub-brand of hikvision/);
  });

  it("Lorex alone does not reach Dahua (time-bounded subsidiary, low confidence)", () => {
    const id = mergeClaims([claim("brand", "Lorex", 0.9, "r")], observations, kb, null);
    expect(id).toMatchObject({ brand: "Lorex", manufacturer: null, restricted: false });
  });

  it("MACs are normalised and invalid ones dropped", () => {
    expect(normalizeMac("44-47-CC-37-CE-81")).toBe("44:47:cc:37:ce:81");
    expect(normalizeMac("3CEF8C6101C0")).toBe("3c:ef:8c:61:01:c0");
    expect(normalizeMac("zz:47:cc:37:ce:81")).toBeUndefined();
    expect(mergeClaims([claim("mac", "nope", 0.9, "r")], observations, kb, null).mac).toBeNull();
  });

  it("reads a brand in any case or spacing as the vocabulary's brand, and its owner follows", () => {
    const id = mergeClaims(
      [claim("brand", "HIWATCH", 0.9, "a"), claim("brand", "hi-watch", 0.9, "b")],
      observations,
      kb,
      null,
    );
    expect(id.brand).toBe("HiWatch");
    expect(id.manufacturer).toBe("hikvision");
  });

  it("a relabel's badge alone below the threshold is a device to check, not a verdict", () => {
    const id = mergeClaims([claim("brand", "Lorex", 0.9, "a")], observations, kb, null);
    expect(id.restricted).toBe(false);
    expect(id.suspected).toMatchObject([
      { manufacturer: "dahua", policies: expect.arrayContaining(["US-NDAA-FY2019-S889"]) },
    ]);
    expect(id.suspected[0]?.evidence[0]?.rule).toBe("vocabulary:Lorex");
  });
});
