import { mkdirSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../shared/errors.js";
import { storedZip, tempDir, writeBytes, writeXlsx } from "./__fixtures__/files.js";
import { readSheet } from "./index.js";

const tmp = tempDir("bad");
afterAll(() => tmp.cleanup());

/** The InputError a read ends with (the test fails if it succeeds or throws anything else). */
async function refusal(p: Promise<unknown>): Promise<InputError> {
  const e = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

const CFB = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

describe("files that cannot be read", () => {
  it("a missing file", async () => {
    const f = tmp.path("nope.csv");
    expect((await refusal(readSheet(f))).message).toBe(`${f}: no such file`);
  });

  it("a directory", async () => {
    const d = tmp.path("dir.xlsx");
    mkdirSync(d);
    expect((await refusal(readSheet(d))).message).toBe(`${d}: a directory, not a file`);
  });

  it.skipIf(process.getuid?.() === 0)("a file without read permission", async () => {
    const f = writeBytes(tmp.path("secret.csv"), "Model\nX\n");
    const { chmodSync } = await import("node:fs");
    chmodSync(f, 0o000);
    expect((await refusal(readSheet(f))).message).toBe(`${f}: cannot read: permission denied`);
  });

  it("an empty file", async () => {
    const f = writeBytes(tmp.path("empty.csv"), "");
    expect((await refusal(readSheet(f))).message).toBe(`${f}: empty file`);
  });

  it("a CSV of only blank lines and a byte-order mark", async () => {
    const f = writeBytes(tmp.path("blank.csv"), "\ufeff\r\n\r\n;;\r\n");
    expect((await refusal(readSheet(f))).message).toBe(`${f}: empty: no rows`);
  });
});

describe("workbooks camsweep cannot read", () => {
  it("a password-protected .xlsx (an OLE compound file)", async () => {
    const f = writeBytes(tmp.path("protected.xlsx"), Buffer.concat([CFB, Buffer.alloc(4096, 0)]));
    expect((await refusal(readSheet(f))).message).toBe(
      `${f}: password-protected or legacy .xls workbook (an OLE Compound File, not an .xlsx): save it unprotected as .xlsx or CSV`,
    );
  });

  it("a legacy .xls", async () => {
    const f = writeBytes(tmp.path("old.xls"), Buffer.concat([CFB, Buffer.alloc(1024, 0xff)]));
    expect((await refusal(readSheet(f))).message).toMatch(
      /old\.xls: password-protected or legacy \.xls workbook/,
    );
  });

  it("a corrupt zip: the ZIP signature and garbage", async () => {
    const f = writeBytes(
      tmp.path("corrupt.xlsx"),
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(500, 0x41)]),
    );
    expect((await refusal(readSheet(f))).message).toBe(
      `${f}: damaged .xlsx workbook (ZIP directory missing: the file is truncated or not a ZIP)`,
    );
  });

  it("a truncated .xlsx", async () => {
    const whole = readFileSync(await writeXlsx(tmp.path("whole.xlsx"), { S: [["Model"], ["X"]] }));
    const f = writeBytes(tmp.path("truncated.xlsx"), whole.subarray(0, Math.floor(whole.length / 2)));
    expect((await refusal(readSheet(f))).message).toMatch(
      /truncated\.xlsx: damaged \.xlsx workbook \(ZIP directory/,
    );
  });

  it("an .xlsx whose compressed data is damaged (directory intact)", async () => {
    const whole = Buffer.from(
      readFileSync(await writeXlsx(tmp.path("whole2.xlsx"), { S: [["Model"], ["X"]] })),
    );
    // Overwrite the first entry's data, just after its local header, with bytes that are not deflate.
    const nameLen = whole.readUInt16LE(26);
    const extraLen = whole.readUInt16LE(28);
    whole.fill(0xff, 30 + nameLen + extraLen, 30 + nameLen + extraLen + 40);
    const f = writeBytes(tmp.path("baddata.xlsx"), whole);
    expect((await refusal(readSheet(f))).message).toMatch(/baddata\.xlsx: not a readable \.xlsx workbook \(/);
  });

  it("a ZIP that is not an Excel workbook", async () => {
    const f = writeBytes(tmp.path("doc.xlsx"), storedZip({ "content.xml": "<office:document/>" }));
    expect((await refusal(readSheet(f))).message).toBe(
      `${f}: a ZIP archive but not an Excel workbook (no xl/workbook.xml; an .ods or a Word file?): save it as .xlsx or CSV`,
    );
  });

  it("a workbook claiming to expand past the limit (a ZIP bomb)", async () => {
    const f = await writeXlsx(tmp.path("big.xlsx"), { S: [["Model"], ["X"]] });
    expect((await refusal(readSheet(f, { maxExpandedBytes: 1000 }))).message).toMatch(
      /big\.xlsx: workbook expands to \d+ bytes \(over 1000 bytes\): too large to screen, or a ZIP bomb$/,
    );
  });

  it("a workbook with no rows", async () => {
    const f = await writeXlsx(tmp.path("norows.xlsx"), { Sheet1: [] });
    expect((await refusal(readSheet(f))).message).toBe(
      `${f}: empty workbook: no rows in any visible sheet (sheets: "Sheet1")`,
    );
  });
});

describe("files that are neither CSV nor XLSX", () => {
  it("binary content", async () => {
    const bytes = Buffer.alloc(2048);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    const f = writeBytes(tmp.path("image.csv"), bytes);
    expect((await refusal(readSheet(f))).message).toBe(
      `${f}: neither CSV text nor an .xlsx workbook (binary content)`,
    );
  });

  it("a PDF", async () => {
    const f = writeBytes(tmp.path("po.pdf"), "%PDF-1.7\n%âãÏÓ\n1 0 obj\n");
    expect((await refusal(readSheet(f))).message).toMatch(/po\.pdf: a PDF, not a CSV or \.xlsx list/);
  });

  it("an HTML table saved as .xls", async () => {
    const f = writeBytes(
      tmp.path("erp.xls"),
      "<html><body><table><tr><td>Model</td></tr></table></body></html>",
    );
    expect((await refusal(readSheet(f))).message).toMatch(/erp\.xls: an HTML page/);
  });
});

describe("caps", () => {
  it("a file over the size cap", async () => {
    const f = writeBytes(tmp.path("big.csv"), `Model\n${"X\n".repeat(1000)}`);
    expect((await refusal(readSheet(f, { maxBytes: 1000 }))).message).toBe(
      `${f}: 2006 bytes, over the 1000 bytes limit for a list to screen`,
    );
  });

  it("a CSV over the row cap names the first line over", async () => {
    const f = writeBytes(tmp.path("rows.csv"), `Title\nModel\n${"X\n".repeat(11)}`);
    expect((await refusal(readSheet(f, { maxRows: 10 }))).message).toBe(
      `${f}:13: over 10 rows to screen: split the list`,
    );
    expect((await readSheet(f, { maxRows: 11 })).lines).toHaveLength(11);
  });

  it("a CSV far over the row cap stops while parsing", async () => {
    const f = writeBytes(tmp.path("rows2.csv"), `Model\n${"X\n".repeat(500)}`);
    expect((await refusal(readSheet(f, { maxRows: 10 }))).message).toMatch(
      /rows2\.csv:\d+: over 10 rows to screen/,
    );
  });

  it("a worksheet over the row cap names the sheet and the row", async () => {
    const rows = [["Model"], ...Array.from({ length: 6 }, (_, i) => [`M-${i}`])];
    const f = await writeXlsx(tmp.path("rows.xlsx"), { Parts: rows });
    expect((await refusal(readSheet(f, { maxRows: 5 }))).message).toBe(
      `${f}:7: over 5 rows to screen in sheet "Parts": split the list`,
    );
  });
});

describe("kind by content, not by name", () => {
  it("CSV text named .xlsx is read as CSV, with a warning", async () => {
    const f = writeBytes(tmp.path("renamed.xlsx"), "Model,Brand\nX,Y\n");
    const r = await readSheet(f);
    expect(r.format).toBe("csv");
    expect(r.warnings).toEqual(["named .xlsx but holds CSV text: read as CSV"]);
  });
});
