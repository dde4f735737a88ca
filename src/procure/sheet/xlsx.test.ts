import { afterAll, describe, expect, it } from "vitest";
import { tempDir, writeXlsx } from "./__fixtures__/files.js";
import { readSheet } from "./index.js";
import { numberText, xlsxRows } from "./xlsx.js";

const tmp = tempDir("xlsx");
afterAll(() => tmp.cleanup());

describe("xlsx cells as text", () => {
  it("gives a formula's cached result and never the formula; rich text, hyperlinks, dates, numbers as shown", async () => {
    const f = await writeXlsx(tmp.path("cells.xlsx"), {
      Order: [
        ["Model", "Manufacturer", "Description", "SKU", "Delivered"],
        [
          { formula: 'CONCATENATE("DS-2CD","2143G2-I")', result: "DS-2CD2143G2-I" },
          {
            richText: [{ text: "Hik", font: { bold: true } }, { text: "vision" }],
          },
          { text: "Dome camera", hyperlink: "https://example.invalid/x" },
          2143,
          new Date(Date.UTC(2025, 5, 27)),
        ],
        [
          { formula: "A2&B2" },
          { formula: "1/0", result: { error: "#DIV/0!" } },
          '=HYPERLINK("http://evil.invalid")',
          { value: 2143, numFmt: "00000" },
          { value: 45835.5, numFmt: "yyyy-mm-dd hh:mm" },
        ],
        [
          { formula: "2+2", result: 4 },
          true,
          0.1 + 0.2,
          { value: 12.5, numFmt: "0.00" },
          { value: 0.25, numFmt: "0%" },
        ],
      ],
    });
    const r = await readSheet(f);
    expect(r.format).toBe("xlsx");
    expect(r.lines.map((l) => l.cells)).toEqual([
      {
        Model: "DS-2CD2143G2-I",
        Manufacturer: "Hikvision",
        Description: "Dome camera",
        SKU: "2143",
        Delivered: "2025-06-27",
      },
      {
        Model: "",
        Manufacturer: "",
        Description: '=HYPERLINK("http://evil.invalid")',
        SKU: "02143",
        Delivered: "2025-06-27T12:00:00",
      },
      { Model: "4", Manufacturer: "TRUE", Description: "0.3", SKU: "12.50", Delivered: "25%" },
    ]);
    expect(r.lines[0]).toMatchObject({ model: "DS-2CD2143G2-I", manufacturer: "Hikvision", sku: "2143" });
    expect(r.lines[1]?.model).toBeUndefined();
    expect(r.lines[1]?.description).toBe('=HYPERLINK("http://evil.invalid")');
  });

  it("numberText: General never adds .0 or float noise; plain formats pad and fix decimals", () => {
    expect(numberText(2143)).toBe("2143");
    expect(numberText(2143, "General")).toBe("2143");
    expect(numberText(2143, "@")).toBe("2143");
    expect(numberText(1.1 * 3)).toBe("3.3");
    expect(numberText(7, "000")).toBe("007");
    expect(numberText(-3.14159, "0.00")).toBe("-3.14");
    expect(numberText(NaN)).toBeUndefined();
    expect(numberText(45835, "dd/mm/yyyy")).toBe("2025-06-27");
    expect(numberText(45835, '"Week "0')).toBe("45835");
  });
});

describe("worksheet choice", () => {
  const book = () =>
    writeXlsx(
      tmp.path(`book-${Math.random().toString(36).slice(2)}.xlsx`),
      {
        Cover: [["Quote 2025-117"], ["Prepared for the Department"]],
        Lookup: [
          ["Model", "Manufacturer"],
          ["HIDDEN-1", "Hikvision"],
        ],
        Items: [
          ["Brand", "Model"],
          ["Lorex", "W461ASC"],
        ],
        Spares: [
          ["Model", "Description"],
          ["DS-1", "Spare"],
        ],
      },
      { hidden: ["Lookup"] },
    );

  it("reads the first visible sheet with a header and names the other sheets with data", async () => {
    const r = await readSheet(await book());
    expect(r.sheet).toBe("Items");
    expect(r.lines).toEqual([
      {
        line: 2,
        sheet: "Items",
        brand: "Lorex",
        model: "W461ASC",
        cells: { Brand: "Lorex", Model: "W461ASC" },
        headers: ["Brand", "Model"],
      },
    ]);
    expect(r.warnings).toEqual([
      'read sheet "Items"; sheets "Cover", "Lookup (hidden)", "Spares" also have data and were not screened (choose one with --sheet)',
    ]);
  });

  it("reads the sheet named by the option (case-insensitive), hidden or not, without the warning", async () => {
    const f = await book();
    const spares = await readSheet(f, { sheet: "spares" });
    expect(spares.sheet).toBe("Spares");
    expect(spares.lines.map((l) => l.model)).toEqual(["DS-1"]);
    expect(spares.warnings).toEqual([]);
    expect((await readSheet(f, { sheet: "Lookup" })).lines[0]?.model).toBe("HIDDEN-1");
  });

  it("a sheet named but absent is an error listing the sheets; a named sheet without a header names its headers", async () => {
    const f = await book();
    await expect(readSheet(f, { sheet: "Parts" })).rejects.toThrow(
      `${f}: no sheet named "Parts"; sheets: "Cover", "Lookup", "Items", "Spares"`,
    );
    await expect(readSheet(f, { sheet: "Cover" })).rejects.toThrow(
      `${f}:1: no column to screen in sheet "Cover": no header for a manufacturer, brand, model, SKU or description; headers found: "Quote 2025-117"; name them with --columns`,
    );
  });

  it("reads the same rows whole as streamed (the fallback when exceljs' stream reader trips, issue #962)", async () => {
    const f = await book();
    for (const sheet of [undefined, "Spares", "Lookup"]) {
      const o = { maxRows: 1000, ...(sheet ? { sheet } : {}) };
      expect(await xlsxRows(f, o, true)).toEqual(await xlsxRows(f, o));
    }
  });

  it("--columns picks the sheet holding the mapped headers", async () => {
    const r = await readSheet(await book(), { columns: { description: "Description" } });
    expect(r.sheet).toBe("Spares");
  });
});
