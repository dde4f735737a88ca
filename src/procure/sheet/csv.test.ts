import { afterAll, describe, expect, it } from "vitest";
import { cp1252, tempDir, utf16, writeBytes } from "./__fixtures__/files.js";
import { CELL_CAP, readSheet } from "./index.js";

const tmp = tempDir("csv");
afterAll(() => tmp.cleanup());

const FRENCH =
  "Modèle;Désignation;Fabricant\r\nDS-2CD2143G2-I;Caméra dôme 4 Mpx;Hikvision\r\nM3045-V;Caméra;Axis\r\n";

describe("encodings", () => {
  const cases: [string, Buffer, RegExp][] = [
    ["utf8.csv", Buffer.from(FRENCH, "utf8"), /^UTF-8$/],
    [
      "utf8-bom.csv",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(FRENCH, "utf8")]),
      /^UTF-8 \(BOM\)$/,
    ],
    ["utf16le.csv", utf16(FRENCH, "le"), /^UTF-16LE \(BOM\)$/],
    ["utf16be.csv", utf16(FRENCH, "be"), /^UTF-16BE \(BOM\)$/],
    ["utf16le-nobom.csv", Buffer.from(FRENCH, "utf16le"), /^UTF-16LE \(no BOM/],
    ["cp1252.csv", cp1252(FRENCH), /^Windows-1252 \(not UTF-8, first at line 1\)$/],
  ];
  for (const [name, bytes, how] of cases)
    it(`reads "Caméra", "Désignation", "Modèle" in ${name}`, async () => {
      const r = await readSheet(writeBytes(tmp.path(name), bytes));
      expect(r.encoding).toMatch(how);
      expect(r.headers).toEqual(["Modèle", "Désignation", "Fabricant"]);
      expect(r.columns).toEqual({ model: "Modèle", description: "Désignation", manufacturer: "Fabricant" });
      expect(r.lines.map((l) => [l.line, l.model, l.description])).toEqual([
        [2, "DS-2CD2143G2-I", "Caméra dôme 4 Mpx"],
        [3, "M3045-V", "Caméra"],
      ]);
      expect(r.warnings).toEqual([]);
    });

  it("a UTF-8 file with a few Windows-1252 lines reads those lines as Windows-1252 and names them", async () => {
    const bytes = Buffer.concat([
      Buffer.from("Modèle,Désignation\nA-1,Caméra UTF-8\n", "utf8"),
      cp1252("A-2,Caméra 1252\n"),
      Buffer.from("A-3,Écran\n", "utf8"),
      cp1252("A-4,Câble\n"),
    ]);
    const r = await readSheet(writeBytes(tmp.path("mixed.csv"), bytes));
    expect(r.lines.map((l) => l.description)).toEqual(["Caméra UTF-8", "Caméra 1252", "Écran", "Câble"]);
    expect(r.encoding).toBe("UTF-8, 2 line(s) as Windows-1252");
    expect(r.warnings).toEqual([
      "not valid UTF-8 on lines 3, 5: read as Windows-1252 (the rest of the file is UTF-8); check the accents there",
    ]);
  });
});

describe("CSV content", () => {
  it("keeps quoted fields with delimiters, quotes and line breaks, numbering lines by where a row starts", async () => {
    const f = writeBytes(
      tmp.path("quoted.csv"),
      'Model,Description\r\n"DS-2CD,1","Dome ""4MP""\r\nsecond line"\r\n\r\nM3045-V,Axis\r\n',
    );
    const r = await readSheet(f);
    expect(r.lines.map((l) => [l.line, l.model, l.description])).toEqual([
      [2, "DS-2CD,1", 'Dome "4MP" second line'],
      [5, "M3045-V", "Axis"],
    ]);
    expect(r.lines[0]?.cells.Description).toBe('Dome "4MP"\r\nsecond line');
  });

  it("keeps formula-like cells as text, uninterpreted, and never evaluates them", async () => {
    const f = writeBytes(
      tmp.path("formula.csv"),
      'Model,Description,Note\n=HYPERLINK("http://x"),+cmd|calc,@SUM(A1)\n-2143,"\tTab",=1+1\n',
    );
    const r = await readSheet(f);
    expect(r.lines[0]?.cells).toEqual({
      Model: '=HYPERLINK("http://x")',
      Description: "+cmd|calc",
      Note: "@SUM(A1)",
    });
    expect(r.lines[0]?.model).toBe('=HYPERLINK("http://x")');
    expect(r.lines[1]?.cells).toEqual({ Model: "-2143", Description: "\tTab", Note: "=1+1" });
    expect(r.lines[1]?.description).toBe("Tab");
  });

  it("ragged rows: short ones read as empty, long ones keep extra cells under new headers, both warned", async () => {
    const f = writeBytes(
      tmp.path("ragged.csv"),
      "Model,Manufacturer,Description\nA,Hikvision,Cam\nB,Dahua\nC,Axis,Cam,EXTRA,\nD,Bosch,Cam,,\n",
    );
    const r = await readSheet(f);
    expect(r.headers).toEqual(["Model", "Manufacturer", "Description", "Column 4"]);
    expect(r.lines.map((l) => l.cells)).toEqual([
      { Model: "A", Manufacturer: "Hikvision", Description: "Cam", "Column 4": "" },
      { Model: "B", Manufacturer: "Dahua", Description: "", "Column 4": "" },
      { Model: "C", Manufacturer: "Axis", Description: "Cam", "Column 4": "EXTRA" },
      { Model: "D", Manufacturer: "Bosch", Description: "Cam", "Column 4": "" },
    ]);
    expect(r.lines[1]?.description).toBeUndefined();
    expect(r.warnings).toEqual([
      "fewer cells than the header's 3 on line 3: the missing cells are read as empty; check that no row is shifted",
      'more cells than the header\'s 3 on line 4: the extra cells are kept under "Column 4" and not screened; check that no row is shifted',
    ]);
  });

  it("names empty and repeated headers, and a header named __proto__ is an ordinary key", async () => {
    const f = writeBytes(tmp.path("dups.csv"), "Description,,Description,__proto__\nA,B,C,D\n");
    const r = await readSheet(f);
    expect(r.headers).toEqual(["Description", "Column 2", "Description (2)", "__proto__"]);
    const cells = r.lines[0]?.cells ?? {};
    expect(Object.keys(cells)).toEqual(r.headers);
    expect(cells["__proto__"]).toBe("D");
    expect(Object.getPrototypeOf(cells)).toBe(Object.prototype);
    expect(r.lines[0]?.description).toBe("A");
  });

  it("skips a record with an unclosed quote, warning by line", async () => {
    const f = writeBytes(tmp.path("badquote.csv"), 'Model,Description\nA,ok\nB,"open\n');
    const r = await readSheet(f);
    expect(r.lines.map((l) => l.model)).toEqual(["A"]);
    expect(r.warnings.join("\n")).toMatch(
      /^not readable as CSV on line \d+ \(a stray or unclosed quote\?\): skipped$/,
    );
  });
});

describe("hostile text", () => {
  it("cuts cells over the cap with a warning naming line and column", async () => {
    const long = "x".repeat(CELL_CAP + 10);
    const f = writeBytes(tmp.path("long.csv"), `Model,Description\nA,${long}\nB,short\n`);
    const r = await readSheet(f);
    expect(r.lines[0]?.cells.Description).toHaveLength(CELL_CAP);
    expect(r.lines[0]?.description).toHaveLength(CELL_CAP);
    expect(r.warnings).toEqual([`cell over ${CELL_CAP} characters cut: line 2 column "Description"`]);
  });

  it("strips NUL, controls and invisible characters from screened fields, keeping cells as they were", async () => {
    const f = writeBytes(
      tmp.path("controls.csv"),
      "Manufacturer,Model,Note\nHik\u200bvi\u202esion,DS\u0001-2CD\u0007  2143,a\u0002b\nDahua,IPC\u0000-1,x\n" +
        // A stray control or two in a real list; enough ordinary rows that the file is text, not binary.
        "Axis,M3045-V,ordinary row\n".repeat(5),
    );
    const r = await readSheet(f);
    expect(r.lines.slice(0, 2).map((l) => [l.manufacturer, l.model])).toEqual([
      ["Hikvision", "DS -2CD 2143"],
      ["Dahua", "IPC -1"],
    ]);
    expect(r.lines[0]?.cells.Manufacturer).toBe("Hik\u200bvi\u202esion");
    expect(r.lines[0]?.cells.Note).toBe("a\u0002b");
    expect(r.warnings).toEqual([
      "invisible characters (zero-width, bidi control) removed from the screened columns on line 2: a name may have been disguised",
    ]);
  });
});
