import { describe, expect, it } from "vitest";
import { literalPrefix } from "./prefix.js";

describe("literal prefix of an anchored pattern", () => {
  it("takes the literal run after ^, escapes included", () => {
    expect(literalPrefix("^Hikvision-Webs$")).toBe("Hikvision-Webs");
    expect(literalPrefix("^Login to ([0-9A-Z]{14,16})$")).toBe("Login to ");
    expect(literalPrefix("^IP Camera\\([0-9A-Z]{5}\\)$")).toBe("IP Camera(");
    expect(literalPrefix("^HIKVISION(?: (\\S+))?$", "i")).toBe("hikvision");
  });
  it("stops before a quantified character and at any construct it does not read", () => {
    expect(literalPrefix("^Webs?$")).toBe("Web");
    expect(literalPrefix("^a{2}b")).toBeUndefined();
    expect(literalPrefix("^\\d+")).toBeUndefined();
    expect(literalPrefix("^(?:DHI?-)?NVR")).toBeUndefined();
  });
  it("has none for unanchored, top-level alternatives or multi-line patterns", () => {
    expect(literalPrefix("Hikvision")).toBeUndefined();
    expect(literalPrefix("^Webs|^App-webs")).toBeUndefined();
    expect(literalPrefix("^Webs", "m")).toBeUndefined();
    expect(literalPrefix("^Webs", "iu")).toBeUndefined();
    expect(literalPrefix("^(?:Webs|App)")).toBeUndefined();
  });
});
