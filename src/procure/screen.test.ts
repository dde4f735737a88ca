import { describe, expect, it } from "vitest";
import { loadScreenKnowledge, screenLine, type ListEntry, type ScreenContext } from "./index.js";
import { loadProcurementKnowledge } from "./knowledge.js";
import { defaultKnowledgeDir } from "../knowledge/load.js";
import { findNames, indexNames } from "./names.js";
import { modelTokens } from "./evidence.js";
import { screenedCsv } from "./output.js";

const base = loadScreenKnowledge({});
const ctx = (over: Partial<ScreenContext> = {}): ScreenContext => ({
  ...base,
  organization: null,
  lists: [],
  ...over,
});
const screen = (text: string, over: Partial<ScreenContext> = {}) => screenLine(ctx(over), { text });

describe("the procurement knowledge", () => {
  const k = loadProcurementKnowledge(defaultKnowledgeDir());
  for (const c of k.components)
    for (const e of c.examples)
      it(`component ${c.id}: "${e.input}" ${e.match ? "matches" : "does not match"}`, () => {
        expect(c.re.test(e.input)).toBe(e.match);
      });
  it("names only makers of the vocabulary and brands it knows", () => {
    for (const n of k.names.names) {
      if (n.maker) expect(base.kb.manufacturerBySlug.has(n.maker), n.name).toBe(true);
      if (n.brand)
        expect(
          base.kb.brands.some((b) => b.name === n.brand),
          n.name,
        ).toBe(true);
    }
  });
});

describe("names as orders write them", () => {
  const idx = indexNames(loadProcurementKnowledge(defaultKnowledgeDir()).names, base.kb.brands);
  const found = (text: string, column = false) =>
    findNames(idx, text, { column }).map((h) => [h.name, h.text, h.distance]);
  it("finds a maker in its legal name, spaced, hyphenated or in its own script", () => {
    expect(found("Hangzhou Hikvision Digital Technology Co., Ltd.", true)).toEqual([
      ["Hikvision", "Hikvision Digital Technology", 0],
    ]);
    expect(found("HIK VISION dome")).toEqual([["Hikvision", "HIK VISION", 0]]);
    expect(found("Hik-Vision")).toEqual([["Hikvision", "Hik-Vision", 0]]);
    expect(found("海康威视 摄像机")).toEqual([["Hikvision", "海康威视", 0]]);
  });
  it("forgives a typing mistake in a distinctive name only", () => {
    expect(found("Hikvison NVR")).toEqual([["Hikvision", "Hikvison", 1]]);
    expect(found("Hikvisoin NVR")).toEqual([["Hikvision", "Hikvisoin", 1]]);
    expect(found("Huawai router")).toEqual([["Huawei", "Huawai", 1]]);
    // Five letters: as written only, so "Dahla" and "Lorem" are nobody.
    expect(found("Dahla lamp")).toEqual([]);
    expect(found("Lorem ipsum")).toEqual([]);
    // The first letter must agree: "Tikvision" is not a misspelt Hikvision.
    expect(found("Tikvision")).toEqual([]);
  });
  it("takes a short name in a maker column or first in a text, not inside prose", () => {
    expect(found("LTS", true)).toEqual([["LTS", "LTS", 0]]);
    expect(found("LTS CMIP3042W-28M")).toEqual([["LTS", "LTS", 0]]);
    expect(found("Ubuntu 22.04 LTS support")).toEqual([]);
  });
});

describe("model-number words", () => {
  it("keeps a model's own brackets and slashes and drops prose punctuation", () => {
    expect(modelTokens('"DS-2CD2347G3P-LIS2UY/S(L)", (DS-7608NI-K2).')).toEqual([
      "DS-2CD2347G3P-LIS2UY/S(L)",
      "DS-7608NI-K2",
    ]);
    expect(modelTokens("HIK-DS-2CD2143G2-I")).toEqual(["HIK-DS-2CD2143G2-I", "DS-2CD2143G2-I"]);
    expect(modelTokens("4MP 2.8mm")).toEqual(["2.8mm"]);
  });
});

describe("verdicts", () => {
  it("bars a maker named outright, with every policy that bars it", () => {
    const r = screen("Hikvision DS-2CD2143G2-I 4MP AcuSense Outdoor Dome");
    expect(r).toMatchObject({ verdict: "prohibited", maker: "hikvision", relation: "own" });
    expect(r.policies.map((p) => p.id)).toEqual(
      expect.arrayContaining(["CA-ICA-2025-HIKVISION", "US-NDAA-FY2019-S889"]),
    );
    // The maker's name, its AcuSense product line, and the model number in its form.
    expect(r.evidence.map((e) => e.kind)).toEqual(["name", "name", "model"]);
  });
  it("catches a relabel by its brand, with the relation and its source", () => {
    const r = screen("LTS LTN8708K-P8 8 Channel NVR");
    expect(r).toMatchObject({
      verdict: "prohibited",
      maker: "hikvision",
      brand: "LTS",
      relation: "oem-relabel",
    });
    expect(r.reason).toMatch(
      /^LTS is an OEM relabel of Hangzhou Hikvision .* \(belief 0\.7\); buying it is barred/,
    );
    expect(r.evidence.find((e) => e.kind === "brand")!.sources).toContainEqual(
      expect.objectContaining({ key: "ipvm_6438" }),
    );
  });
  it("catches a covered maker's model number under any label", () => {
    const r = screenLine(ctx(), { manufacturer: "Acme Security", model: "DS-7608NI-K2" });
    expect(r).toMatchObject({ verdict: "prohibited", maker: "hikvision", relation: "model-pattern" });
    const sold = screenLine(ctx(), { manufacturer: "Honeywell", model: "DS-2CD2143G2-I" });
    expect(sold).toMatchObject({ verdict: "prohibited", relation: "model-pattern" });
    expect(sold.reason).toMatch(/sold under the Honeywell label/);
  });
  it("lets a named maker outweigh a loose model-number reading, and says so", () => {
    const r = screen("Cisco MDS 9148S DS-C9148S-K9 switch");
    expect(r).toMatchObject({ verdict: "clear", maker: null });
    expect(r.notes[0]).toMatch(
      /"DS-C9148S-K9" looks like a .*Hikvision.* model number, but the line names Cisco/,
    );
  });
  it("asks for attestation on a weak relabel, a relabel-list brand and a covered component", () => {
    expect(screen("Annke C500 5MP PoE camera")).toMatchObject({
      verdict: "needs-attestation",
      relation: "oem-relabel",
      confidence: 0.3,
    });
    expect(screen("Laview 4K Security Camera System")).toMatchObject({ verdict: "needs-attestation" });
    const part = screen("Teltonika RUT955 router with Huawei ME909s-120 module");
    expect(part).toMatchObject({ verdict: "needs-attestation", relation: "component", maker: "huawei" });
    expect(part.reason).toMatch(/substantial or essential component/);
    expect(screen("Huawei ME909s-120 LTE module")).toMatchObject({ verdict: "prohibited", maker: "huawei" });
    expect(screen("Camera board Hi3516EV300 1080p")).toMatchObject({
      verdict: "needs-attestation",
      maker: "hisilicon",
    });
  });
  it("clears other makers and what ties to no covered one", () => {
    expect(screen("AXIS P3265-LVE Dome Camera")).toMatchObject({ verdict: "clear", maker: "axis" });
    expect(screen("Synology DS920+ 4-bay NAS")).toMatchObject({ verdict: "clear", maker: "synology" });
    expect(screen("Cat6 patch cable 3 ft")).toMatchObject({ verdict: "clear", relation: "none" });
  });
  it("reads the buyer's own policies: bars a federal department, advises a private firm", () => {
    const federal = { id: "dnd", type: "federal-department" as const, jurisdiction: "CA" };
    const firm = { id: "shop", type: "private" as const, jurisdiction: "CA" };
    expect(screen("EZVIZ C6N", { organization: federal })).toMatchObject({
      verdict: "prohibited",
      policies: [expect.objectContaining({ id: "CA-ICA-2025-HIKVISION", binding: true })],
    });
    const advised = screen("EZVIZ C6N", { organization: firm });
    expect(advised).toMatchObject({ verdict: "clear", maker: "hikvision" });
    expect(advised.reason).toMatch(/policies only advise against it \(CA-ICA-2025-HIKVISION\)/);
  });
});

describe("the buyer's allow and block lists", () => {
  const entry = (over: Partial<ListEntry>): ListEntry => ({
    id: "1",
    organizationId: "dnd",
    kind: "allow",
    field: "model",
    value: "x",
    reason: "approved by the security officer",
    addedBy: "alice",
    addedAt: "2026-11-20T10:00:00.000Z",
    ...over,
  });
  it("lets an approved model through, saying whose entry and why, and keeps the reading", () => {
    const r = screen("Hikvision DS-2CD2143G2-I", { lists: [entry({ value: "ds-2cd 2143g2-i" })] });
    expect(r).toMatchObject({ verdict: "clear", relation: "list" });
    expect(r.reason).toBe(
      `on organization dnd's allow list, entry 1 (model "ds-2cd 2143g2-i"), added by alice on 2026-11-20: approved by the security officer`,
    );
    expect(r.evidence.map((e) => e.kind)).toEqual(["list", "name", "model"]);
  });
  it("blocks what it names, and a block wins over an allow", () => {
    const lists = [
      entry({ id: "7", kind: "allow", field: "maker", value: "axis" }),
      entry({ id: "8", kind: "block", field: "sku", value: "AX-123" }),
    ];
    expect(screenLine(ctx({ lists }), { description: "AXIS P3265", sku: "ax-123" })).toMatchObject({
      verdict: "prohibited",
      reason: expect.stringMatching(/block list, entry 8/),
    });
    expect(screenLine(ctx({ lists }), { description: "AXIS P3265", sku: "ax-124" })).toMatchObject({
      verdict: "clear",
      reason: expect.stringMatching(/allow list, entry 7/),
    });
    // A maker entry holds for the brand the screen found too (a Lorex line is Dahua's under the Lorex brand).
    const lorex = [entry({ id: "9", kind: "block", field: "maker", value: "Lorex", organizationId: null })];
    expect(screen("Lorex 4K camera kit", { lists: lorex })).toMatchObject({
      verdict: "prohibited",
      brand: "Lorex",
      reason: expect.stringMatching(/^on the inventory's block list, entry 9/),
    });
  });
});

describe("the purchase order written back", () => {
  it("keeps the file's columns, adds the verdict's, and makes every formula inert", () => {
    const result = screen("Hikvision DS-2CD2143G2-I");
    const csv = screenedCsv(
      ["Item", "Description"],
      [
        {
          line: 2,
          input: { text: "x" },
          cells: { Item: "=cmd|' /C calc'!A0", Description: "@SUM(1)" },
          result,
        },
      ],
    );
    const [head, row] = csv.trimEnd().split("\r\n");
    expect(head).toMatch(/^Item,Description,camsweep_verdict,camsweep_reason,/);
    expect(row).toMatch(/^'=cmd\|' \/C calc'!A0,'@SUM\(1\),prohibited,/);
  });
});
