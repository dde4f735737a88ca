import { describe, expect, it } from "vitest";
import { en } from "./en";
import { fr } from "./fr";
import { formatDate, formatNumber, interpolate, translate, translatePlural } from "./format";

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe("dictionaries", () => {
  it("have the same keys", () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  it("have no empty string", () => {
    for (const dict of [en, fr]) {
      for (const [k, v] of Object.entries(dict)) expect(v.trim(), k).not.toBe("");
    }
  });

  it("use the same placeholders in both languages", () => {
    for (const k of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(fr[k]), k).toEqual(placeholders(en[k]));
    }
  });

  it("give every plural key both forms", () => {
    const keys = Object.keys(en);
    for (const k of keys.filter((k) => k.endsWith(".one")))
      expect(keys, k).toContain(k.replace(/\.one$/, ".other"));
  });

  it("put a no-break space before a colon in French, as Canadian French typography wants", () => {
    for (const [k, v] of Object.entries(fr)) expect(v, k).not.toMatch(/ :/);
  });
});

describe("translation", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(interpolate("{a} and {b}", { a: 1 })).toBe("1 and {b}");
    expect(translate("fr", "device.title", { name: "10.0.0.1" })).toBe("Appareil 10.0.0.1");
  });

  it("chooses plural forms by language: French counts 0 as singular, English does not", () => {
    expect(translatePlural("en", "devices.total", 1)).toBe("1 device");
    expect(translatePlural("en", "devices.total", 0)).toBe("0 devices");
    expect(translatePlural("fr", "devices.total", 0)).toBe("0 appareil");
    expect(translatePlural("fr", "devices.total", 2)).toBe("2 appareils");
  });

  it("formats numbers and calendar days per language without shifting the day", () => {
    expect(formatNumber("en", 100000)).toBe("100,000");
    expect(formatNumber("fr", 100000).replace(/\s/g, " ")).toBe("100 000");
    expect(formatDate("en", "2027-01-04")).toMatch(/Jan\.? 4, 2027/);
    expect(formatDate("fr", "2027-01-04")).toMatch(/4 janv\.? 2027/);
  });
});
