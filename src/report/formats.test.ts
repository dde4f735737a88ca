import { describe, expect, it } from "vitest";
import { buildIdentification } from "../../test/factories.js";
import { formatCsv, formatJsonLines, formatTable } from "./formats.js";
import { presentIdentification } from "./present.js";
import { summarize } from "./summary.js";

const hostile = presentIdentification(
  buildIdentification({
    manufacturer: "hikvision",
    model: '=HYPERLINK("http://x")\u001b[31mRED\u001b[0m\r\nFAKE ROW',
    firmware: "+cmd|' /C calc'!A0",
    restricted: true,
    policies: ["US-NDAA-FY2019-S889"],
  }),
  { address: "127.0.0.9", openPorts: [80, 554] },
);

describe("formats", () => {
  it("never lets device text drive the terminal", () => {
    const t = formatTable([hostile]);
    expect(t).not.toMatch(/\u001b|\r/);
    expect(t.split("\n")).toHaveLength(2);
    expect(t).toContain("\\x1b[31mRED");
  });

  it("neutralises spreadsheet formulas in CSV", () => {
    const lines = formatCsv([hostile]).split("\n");
    expect(lines[0]).toMatch(/^address,hostname,mac/);
    const row = lines.slice(1).join("\n");
    expect(row).toContain(`"'=HYPERLINK`);
    expect(row).toContain("'+cmd|");
    expect(row).not.toMatch(/,=|,\+|,-|,@/);
  });

  it("writes one JSON object per line with evidence", () => {
    const out = formatJsonLines([hostile, hostile]).split("\n");
    expect(out).toHaveLength(2);
    const d = JSON.parse(out[0] ?? "");
    expect(d.address).toBe("127.0.0.9");
    expect(d.restricted).toBe(true);
    expect(Array.isArray(d.evidence)).toBe(true);
  });

  it("summarizes restricted devices by manufacturer, brand and policy", () => {
    const a = presentIdentification(
      buildIdentification({
        manufacturer: "hikvision",
        brand: "LTS",
        restricted: true,
        policies: ["A", "B"],
      }),
    );
    const b = presentIdentification(buildIdentification({ manufacturer: "axis" }));
    const s = summarize([hostile, a, b]);
    expect(s).toMatchObject({ devices: 3, restricted: 2 });
    expect(s.restrictedByManufacturer).toEqual({ hikvision: 1, "hikvision (LTS)": 1 });
    expect(s.restrictedByPolicy).toEqual({ "US-NDAA-FY2019-S889": 1, A: 1, B: 1 });
  });
});
