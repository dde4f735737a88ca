import { afterAll, describe, expect, it } from "vitest";
import { InputError, UsageError } from "../../shared/errors.js";
import { tempDir, writeBytes, writeXlsx } from "./__fixtures__/files.js";
import { detect } from "./columns.js";
import { sniffDelimiter } from "./csv.js";
import { parseColumnsFlag, readSheet } from "./index.js";

const tmp = tempDir("detect");
afterAll(() => tmp.cleanup());

const roles = (headers: string[]) =>
  Object.fromEntries(Object.entries(detect(headers).at).map(([r, i]) => [r, headers[i as number]]));

describe("column detection", () => {
  it("recognises English procurement headers, whatever the case, spacing and punctuation", async () => {
    const f = writeBytes(
      tmp.path("en.csv"),
      "Line,Qty,MFR,Mfr Part #,Item #,Item Description,Unit Price\r\n" +
        '1,4,Hikvision,DS-2CD2143G2-I,CDW-55123,"4MP dome camera, 2.8mm",189.00\r\n' +
        "2,1,Axis,M3045-V,CDW-11,Dome,320.00\r\n",
    );
    const r = await readSheet(f);
    expect(r.format).toBe("csv");
    expect(r.columns).toEqual({
      manufacturer: "MFR",
      model: "Mfr Part #",
      sku: "Item #",
      description: "Item Description",
    });
    expect(r.lines.map((l) => [l.line, l.manufacturer, l.model, l.sku, l.description])).toEqual([
      [2, "Hikvision", "DS-2CD2143G2-I", "CDW-55123", "4MP dome camera, 2.8mm"],
      [3, "Axis", "M3045-V", "CDW-11", "Dome"],
    ]);
    expect(r.lines[0]?.cells).toEqual({
      Line: "1",
      Qty: "4",
      MFR: "Hikvision",
      "Mfr Part #": "DS-2CD2143G2-I",
      "Item #": "CDW-55123",
      "Item Description": "4MP dome camera, 2.8mm",
      "Unit Price": "189.00",
    });
    expect(r.lines[0]?.headers).toBe(r.headers);
    expect(r.warnings).toEqual([]);
  });

  it("tells Item (a description) from Item # (a number), and MPN/Part Number from Vendor Part", () => {
    expect(roles(["Item", "Item #"])).toEqual({ description: "Item", sku: "Item #" });
    expect(roles(["Item No.", "Product Name", "MPN"])).toEqual({
      sku: "Item No.",
      description: "Product Name",
      model: "MPN",
    });
    expect(roles(["Vendor Part", "Part Number", "Make", "Brand"])).toEqual({
      sku: "Vendor Part",
      model: "Part Number",
      manufacturer: "Make",
      brand: "Brand",
    });
    expect(roles(["Manufacturer Part Number", "Manufacturer Name", "Catalog No."])).toEqual({
      model: "Manufacturer Part Number",
      manufacturer: "Manufacturer Name",
      sku: "Catalog No.",
    });
    expect(roles(["Description (EN)", "Model*"])).toEqual({
      description: "Description (EN)",
      model: "Model*",
    });
    expect(roles(["Qty", "Price"])).toEqual({});
  });

  it("recognises French headers (accents or not) in a semicolon CSV as French Excel writes it", async () => {
    const f = writeBytes(
      tmp.path("fr.csv"),
      "Fabricant;Marque;Modèle;Code article;Désignation;Prix unitaire\r\n" +
        "Hikvision;HiWatch;HWI-B140H;A-1001;Caméra tube 4 Mpx, objectif 2,8 mm;129,90\r\n" +
        "Dahua;Imou;IPC-F22;A-1002;Caméra Wi-Fi;49,90\r\n",
    );
    const r = await readSheet(f);
    expect(r.columns).toEqual({
      manufacturer: "Fabricant",
      brand: "Marque",
      model: "Modèle",
      sku: "Code article",
      description: "Désignation",
    });
    expect(r.lines[0]).toMatchObject({
      manufacturer: "Hikvision",
      brand: "HiWatch",
      model: "HWI-B140H",
      sku: "A-1001",
      description: "Caméra tube 4 Mpx, objectif 2,8 mm",
    });
    expect(r.lines[0]?.cells["Prix unitaire"]).toBe("129,90");
    expect(roles(["Numéro de pièce", "UGS", "Libellé", "FABRICANT"])).toEqual({
      model: "Numéro de pièce",
      sku: "UGS",
      description: "Libellé",
      manufacturer: "FABRICANT",
    });
  });

  it("finds the header below an ERP's title rows (CSV, row 5)", async () => {
    const f = writeBytes(
      tmp.path("po.csv"),
      "Purchase Order 4500012345,,,\n" +
        "Vendor: Example Security Supply,,,\n" +
        "Date: 2025-07-01,,,\n" +
        ",,,\n" +
        "Pos,Manufacturer,Model Number,Description\n" +
        "10,Dahua,IPC-HDW2431T-AS-S2,Turret camera\n",
    );
    const r = await readSheet(f);
    expect(r.headerLine).toBe(5);
    expect(r.headers).toEqual(["Pos", "Manufacturer", "Model Number", "Description"]);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatchObject({ line: 6, manufacturer: "Dahua", model: "IPC-HDW2431T-AS-S2" });
  });

  it("finds the header below title rows in a workbook (row 5)", async () => {
    const f = await writeXlsx(tmp.path("po.xlsx"), {
      PO: [
        ["ACME Corp — Purchase Order"],
        ["PO number", "4500012345"],
        [],
        [],
        ["Qty", "Brand", "Part No.", "Product"],
        [2, "EZVIZ", "CS-C6N", "Indoor camera"],
      ],
    });
    const r = await readSheet(f);
    expect(r).toMatchObject({ format: "xlsx", sheet: "PO", headerLine: 5 });
    expect(r.columns).toEqual({ brand: "Brand", model: "Part No.", description: "Product" });
    expect(r.lines).toEqual([
      {
        line: 6,
        sheet: "PO",
        brand: "EZVIZ",
        model: "CS-C6N",
        description: "Indoor camera",
        cells: { Qty: "2", Brand: "EZVIZ", "Part No.": "CS-C6N", Product: "Indoor camera" },
        headers: ["Qty", "Brand", "Part No.", "Product"],
      },
    ]);
  });

  it("accepts a list with only a description column", async () => {
    const f = writeBytes(tmp.path("desc.csv"), "Description\nHikvision DS-2CD2143G2-I dome\nPoE switch\n");
    const r = await readSheet(f);
    expect(r.columns).toEqual({ description: "Description" });
    expect(r.lines.map((l) => l.description)).toEqual(["Hikvision DS-2CD2143G2-I dome", "PoE switch"]);
  });

  it("screens a Vendor column as the manufacturer only when there is no manufacturer or brand, with a warning", async () => {
    const f = writeBytes(tmp.path("vendor.csv"), "Vendor,Description\nHikvision Canada,Camera\n");
    const r = await readSheet(f);
    expect(r.columns).toEqual({ manufacturer: "Vendor", description: "Description" });
    expect(r.warnings).toEqual([
      'no manufacturer or brand column: the seller column "Vendor" is screened as the manufacturer',
    ]);
    expect(roles(["Vendor", "Manufacturer"])).toEqual({ manufacturer: "Manufacturer" });
  });

  it("--columns overrides detection, matching headers loosely, and detection fills the other roles", async () => {
    const f = writeBytes(
      tmp.path("mapped.csv"),
      "Ref,Part No,Model,Mfr,Item\nR1,DS-2CD1043G0-I,ignored,Hikvision,Bullet\n",
    );
    const columns = parseColumnsFlag("model=part no, manufacturer=Mfr");
    expect(columns).toEqual({ model: "part no", manufacturer: "Mfr" });
    const r = await readSheet(f, { columns });
    expect(r.columns).toEqual({ model: "Part No", manufacturer: "Mfr", description: "Item" });
    expect(r.lines[0]).toMatchObject({
      model: "DS-2CD1043G0-I",
      manufacturer: "Hikvision",
      description: "Bullet",
    });
    // Unmapped, "Model" would have been the model.
    expect((await readSheet(f)).columns.model).toBe("Model");
  });

  it("--columns finds a header below title rows, and a header no keyword knows", async () => {
    const f = writeBytes(tmp.path("odd.csv"), "Order 77\n\nArtikel;Hersteller\nX-1;Hikvision\n");
    const r = await readSheet(f, { columns: parseColumnsFlag("model=Artikel,manufacturer=Hersteller") });
    expect(r.headerLine).toBe(3);
    expect(r.lines[0]).toMatchObject({ line: 4, model: "X-1", manufacturer: "Hikvision" });
  });
});

describe("parseColumnsFlag", () => {
  it("reads ROLE=HEADER pairs, quoted headers with commas, roles in any case", () => {
    expect(parseColumnsFlag('Model="Part No, rev",description=Item,')).toEqual({
      model: "Part No, rev",
      description: "Item",
    });
  });
  it("refuses an unknown role, a missing header, a repeated role, an unclosed quote", () => {
    expect(() => parseColumnsFlag("maker=Mfr")).toThrow(/unknown role "maker" \(roles: manufacturer, brand/);
    expect(() => parseColumnsFlag("model=")).toThrow(/no header given for model/);
    expect(() => parseColumnsFlag("model")).toThrow(/not ROLE=HEADER/);
    expect(() => parseColumnsFlag("model=A,model=B")).toThrow(/model is given twice/);
    expect(() => parseColumnsFlag('model="A')).toThrow(/unclosed double quote/);
    expect(() => parseColumnsFlag(" ")).toThrow(UsageError);
  });
});

describe("delimiter", () => {
  it("picks the delimiter consistent over the first lines, past a title and commas in descriptions", () => {
    expect(sniffDelimiter("Bon de commande 12\nA;B;C\n1;Caméra, 4 Mpx, PoE;3\n2;x;y\n")).toBe(";");
    expect(sniffDelimiter("a\tb\tc\n1\t2,5\t3\n")).toBe("\t");
    expect(sniffDelimiter('a,b\n"x;y;z",2\n')).toBe(",");
    expect(sniffDelimiter("Description\nCamera\n")).toBe(",");
  });
  it("reads a tab-separated list", async () => {
    const f = writeBytes(tmp.path("tab.csv"), "Model\tManufacturer\nDH-IPC-HFW1230S\tDahua\n");
    const r = await readSheet(f);
    expect(r.lines[0]).toMatchObject({ model: "DH-IPC-HFW1230S", manufacturer: "Dahua" });
  });
});

describe("errors naming headers", () => {
  it("a mapped header that is missing names it, its role and the headers found", async () => {
    const f = writeBytes(tmp.path("miss.csv"), "Title\nQty,Model,Description\n1,X,Y\n");
    const e = await readSheet(f, { columns: { manufacturer: "Mfr" } }).catch((e: unknown) => e);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toBe(
      `${f}:2: column "Mfr" (mapped to manufacturer) is not in the header; headers found: "Qty", "Model", "Description"`,
    );
  });
  it("no usable column lists the headers found and shows the --columns syntax", async () => {
    const f = writeBytes(tmp.path("none.csv"), "Qty;Price;Total\n1;2;2\n");
    await expect(readSheet(f)).rejects.toThrow(
      `${f}:1: no column to screen: no header for a manufacturer, brand, model, SKU or description; headers found: "Qty", "Price", "Total"; name them with --columns "model=Part No,manufacturer=Mfr,description=Item"`,
    );
  });
  it("an unknown role passed to readSheet is a usage error", async () => {
    const f = writeBytes(tmp.path("ok.csv"), "Model\nX\n");
    await expect(readSheet(f, { columns: { maker: "Mfr" } as never })).rejects.toThrow(UsageError);
  });
});
