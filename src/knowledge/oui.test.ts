import { describe, expect, it } from "vitest";
import { isLocallyAdministered, lookupOui } from "./oui.js";

describe("IEEE registry lookup (oui-data)", () => {
  it("finds MA-L owners in any MAC spelling", () => {
    // Sample MACs quoted in shared/reference/protocols.md (SADP, DHIP).
    expect(lookupOui("58-50-ed-1f-e3-85")).toEqual({
      prefix: "5850ED",
      organization: "Hangzhou Hikvision Digital Technology Co.,Ltd.",
    });
    expect(lookupOui("4c11.bfc2.0b9d")?.organization).toMatch(/^Zhejiang Dahua Technology/);
  });

  it("prefers the longest assignment: an MA-M or MA-S block inside the IEEE's own MA-L", () => {
    // 8C:1F:64 is the IEEE Registration Authority's MA-S parent; F4:B is JOREX LOREX INDIA (unrelated to Lorex).
    expect(lookupOui("8c:1f:64:f4:b0:01")).toEqual({ prefix: "8C1F64F4B", organization: "JOREX LOREX INDIA PRIVATE LIMITED" });
    expect(lookupOui("34:46:63:20:00:01")?.organization).toBe("Amcrest Technologies");
  });

  it("gives nothing for locally administered, unassigned or malformed addresses", () => {
    expect(isLocallyAdministered("02:11:bf:c2:0b:9d")).toBe(true);
    expect(lookupOui("02:11:bf:c2:0b:9d")).toBeUndefined();
    expect(lookupOui("not a mac")).toBeUndefined();
    expect(lookupOui("4c:11:bf:c2:0b")).toBeUndefined();
  });
});
