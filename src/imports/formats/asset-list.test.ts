import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { identify } from "../../identify/index.js";
import type { ImportError, ImportItem, ImportRecord } from "../record.js";
import { assetCsv } from "./csv.js";
import type { FormatReport } from "./read-report.js";
import type { ImportReadOptions } from "../record.js";
import { assetXlsx } from "./xlsx.js";

const fx = (n: string) => join(import.meta.dirname, "__fixtures__", n);
const tmp = mkdtempSync(join(tmpdir(), "csw-e3-asset-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function collect(
  read: (f: string, o?: ImportReadOptions) => AsyncIterable<ImportItem>,
  file: string,
  columns?: Record<string, string>,
) {
  const report: FormatReport = {};
  const records: ImportRecord[] = [];
  const errors: ImportError[] = [];
  for await (const i of read(file, { report, ...(columns ? { columns } : {}) })) {
    if ("record" in i) records.push(i.record);
    else errors.push(i.error);
  }
  return { records, errors, report };
}
const request = (r: ImportRecord | undefined) => r?.observations[0]?.request ?? {};

describe("csv asset list", () => {
  it("reads a CMDB export by its headers, with row errors by line and field", async () => {
    const { records, errors, report } = await collect(assetCsv.read, fx("asset-cmdb.csv"));
    expect(report.encoding).toMatch(/^UTF-8 \(no byte-order mark/);
    expect(records.map((r) => [r.line, r.address, r.mac, r.hostname, r.serial])).toEqual([
      [2, "10.20.5.31", "44:19:b6:12:34:56", "lobby-cam-1", "DS-2CD2320D-I20180919AACHC52932642"],
      [3, "10.20.5.32", undefined, "dock-cam-2", "2J01018PAA00813"],
      [4, "10.20.5.33", undefined, "parking-3", undefined],
      [5, "10.20.5.34", "ac:cc:8e:49:45:78", "axis-4", undefined],
    ]);
    expect(request(records[0])).toMatchObject({
      source: "csv",
      line: 2,
      manufacturer: "Hikvision",
      model: "DS-2CD2320D-I",
      firmware: "V5.5.82 build 190909",
      location: "Lobby, east door",
      assetTag: "CAM-0001",
    });
    expect(request(records[2]).location).toBe('Parking "P2"');
    expect(errors).toEqual([
      { line: 6, field: "address", message: 'not an IP address: "10.20.5.999"' },
      { line: 7, field: "mac", message: 'not a MAC address: "zz:zz"' },
      { line: 9, message: "no address, MAC, serial or hostname: nothing to tie the row to a device" },
    ]);
  });

  it("records identify: maker names, brands and model families map onto the vocabulary", async () => {
    const { records } = await collect(assetCsv.read, fx("asset-cmdb.csv"));
    const ids = records.map((r) => identify(r.observations));
    expect(ids.map((i) => [i.manufacturer, i.brand, i.restricted])).toEqual([
      ["hikvision", null, true],
      ["dahua", null, true],
      ["hikvision", "HiWatch", true],
      ["axis", null, false],
    ]);
    expect(ids[0]?.model).toBe("DS-2CD2320D-I");
    expect(ids[0]?.serial).toBe("DS-2CD2320D-I20180919AACHC52932642");
  });

  it("maps columns by --columns, and names a missing mapped column and the headers found", async () => {
    const f = join(tmp, "mapped.csv");
    writeFileSync(f, "IP Addr;Vendor Name;Where\n10.1.1.1;Dahua;Roof\n");
    const { records } = await collect(assetCsv.read, f, { address: "IP Addr", manufacturer: "vendor name" });
    expect(records.map((r) => [r.address, request(r).manufacturer])).toEqual([["10.1.1.1", "Dahua"]]);
    await expect(collect(assetCsv.read, f, { address: "IP Address" })).rejects.toThrow(
      /mapped\.csv:1: column "IP Address" \(mapped to address\) is not in the header; headers found: "IP Addr", "Vendor Name", "Where"/,
    );
    await expect(collect(assetCsv.read, f, { ip: "IP Addr" })).rejects.toThrow(/unknown field "ip"/);
    const g = join(tmp, "nokey.csv");
    writeFileSync(g, "Colour,Size\nred,L\n");
    await expect(collect(assetCsv.read, g)).rejects.toThrow(
      /no column for an address.*headers found: "Colour", "Size"/,
    );
  });

  const french =
    "Adresse IP;Fabricant;Modèle;Numéro de série;Emplacement\n10.2.0.7;Hikvision;DS-2CD2043G0-I;;Salle café\n";
  it.each([
    [
      "UTF-8 with BOM",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(french, "utf8")]),
      /^UTF-8 \(byte-order mark\)/,
    ],
    [
      "UTF-16LE with BOM",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(french, "utf16le")]),
      /^UTF-16LE \(byte-order mark\)/,
    ],
    [
      "UTF-16BE with BOM",
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(french, "utf16le").swap16()]),
      /^UTF-16BE \(byte-order mark\)/,
    ],
    ["UTF-16LE without BOM", Buffer.from(french, "utf16le"), /^UTF-16LE \(no byte-order mark/],
    [
      "Windows-1252",
      Buffer.from(french, "latin1"),
      /^Windows-1252 \(not UTF-8: first invalid byte near offset 0\)/,
    ],
  ])("reads French headers in %s", async (_name, bytes, how) => {
    const f = join(tmp, `fr-${_name.replace(/\W/g, "")}.csv`);
    writeFileSync(f, bytes);
    const { records, errors, report } = await collect(assetCsv.read, f);
    expect(errors).toEqual([]);
    expect(report.encoding).toMatch(how);
    expect(
      records.map((r) => [r.address, request(r).manufacturer, request(r).model, request(r).location]),
    ).toEqual([["10.2.0.7", "Hikvision", "DS-2CD2043G0-I", "Salle café"]]);
  });

  it("refuses a huge cell by line and field, keeps the text of formula-looking cells as text", async () => {
    const f = join(tmp, "huge.csv");
    writeFileSync(
      f,
      `IP,Model,Notes\n10.3.0.1,${"A".repeat(5000)},x\n10.3.0.2,"=HYPERLINK(""http://x"")",${"B".repeat(200_000)}\n`,
    );
    const { records, errors } = await collect(assetCsv.read, f);
    expect(errors).toEqual([{ line: 2, field: "model", message: "value of 5000 characters (over 1024)" }]);
    // Unmapped columns are not read at all, however long; a formula in a CSV is only text.
    expect(records.map((r) => [r.address, request(r).model])).toEqual([
      ["10.3.0.2", '=HYPERLINK("http://x")'],
    ]);
  });
});

describe("xlsx asset list", () => {
  async function workbook(name: string, fill: (wb: ExcelJS.Workbook) => void): Promise<string> {
    const wb = new ExcelJS.Workbook();
    fill(wb);
    const f = join(tmp, name);
    await wb.xlsx.writeFile(f);
    return f;
  }

  it("reads the first sheet with headers, formula cells as their cached result only", async () => {
    const f = await workbook("cmdb.xlsx", (wb) => {
      wb.addWorksheet("Cover").addRow(["Inventory of cameras, FY2025"]);
      const ws = wb.addWorksheet("Devices");
      ws.addRow(["IP Address", "Make", "Model", "Serial", "Firmware", "Asset Tag"]);
      ws.addRow([
        "10.4.0.1",
        "Hikvision",
        { formula: 'CONCATENATE("DS-2CD","2320D-I")', result: "DS-2CD2320D-I" },
        "DS-2CD2320D-I20180919AACHC52932642",
        "V5.5.82 build 190909",
        1001,
      ]);
      ws.addRow([
        "10.4.0.2",
        { richText: [{ text: "Da" }, { text: "hua" }] },
        { formula: "NOW()" },
        null,
        { formula: "1/0", result: { error: "#DIV/0!" } },
        1002,
      ]);
      ws.addRow(["not-ip", "Dahua"]);
    });
    const { records, errors } = await collect(assetXlsx.read, f);
    expect(
      records.map((r) => [r.line, r.address, request(r).manufacturer, request(r).model, request(r).firmware]),
    ).toEqual([
      [2, "10.4.0.1", "Hikvision", "DS-2CD2320D-I", "V5.5.82 build 190909"],
      [3, "10.4.0.2", "Dahua", undefined, undefined],
    ]);
    expect(JSON.stringify(records)).not.toMatch(/CONCATENATE|NOW\(\)|DIV\/0/);
    expect(request(records[0]).assetTag).toBe("1001");
    expect(errors).toEqual([{ line: 4, field: "address", message: 'not an IP address: "not-ip"' }]);
    expect(identify(records[0]!.observations).manufacturer).toBe("hikvision");
  });

  it("maps columns, and names the missing mapped column", async () => {
    const f = await workbook("mapped.xlsx", (wb) => {
      const ws = wb.addWorksheet("S");
      ws.addRow(["Addr IPv4", "Who made it"]);
      ws.addRow(["10.4.1.1", "Axis"]);
    });
    const { records } = await collect(assetXlsx.read, f, {
      address: "Addr IPv4",
      manufacturer: "Who made it",
    });
    expect(records.map((r) => [r.address, request(r).manufacturer])).toEqual([["10.4.1.1", "Axis"]]);
    await expect(collect(assetXlsx.read, f, { mac: "MAC" })).rejects.toThrow(
      /column "MAC" \(mapped to mac\) is not in the header; headers found: "Addr IPv4", "Who made it"/,
    );
  });

  it("caps a huge cell and refuses password-protected, legacy and non-workbook files by name", async () => {
    const f = await workbook("huge.xlsx", (wb) => {
      const ws = wb.addWorksheet("S");
      ws.addRow(["IP", "Hostname"]);
      ws.addRow(["10.4.2.1", "h".repeat(3000)]);
    });
    const { errors } = await collect(assetXlsx.read, f);
    expect(errors).toEqual([{ line: 2, field: "hostname", message: "value of 3000 characters (over 1024)" }]);

    // An encrypted OOXML workbook is a Compound File Binary container: its signature, then sectors.
    const enc = join(tmp, "protected.xlsx");
    writeFileSync(enc, Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), Buffer.alloc(504)]));
    await expect(collect(assetXlsx.read, enc)).rejects.toThrow(
      /protected\.xlsx: password-protected or legacy \.xls/,
    );
    const txt = join(tmp, "notes.xlsx");
    writeFileSync(txt, "just text");
    await expect(collect(assetXlsx.read, txt)).rejects.toThrow(/notes\.xlsx: not an \.xlsx workbook/);
    // A ZIP that is not a workbook (cut in the middle): a clear error naming the file, not a crash.
    const cut = join(tmp, "cut.xlsx");
    writeFileSync(cut, readFileSync(f).subarray(0, 200));
    await expect(collect(assetXlsx.read, cut)).rejects.toThrow(/cut\.xlsx: /);
    await expect(collect(assetXlsx.read, join(tmp, "missing.xlsx"))).rejects.toThrow(
      /missing\.xlsx: cannot read \(ENOENT\)/,
    );
  });
});
