import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { sitelessWarning } from "../../plan/warnings.js";
import type { ReportModel } from "../document/model.js";
import { HOSTILE, LONG_FIRMWARE, devices, reportModel } from "./__fixtures__/model.js";
import {
  DEVICE_COLUMNS,
  NETBOX_COLUMNS,
  cleanText,
  devicesCsv,
  devicesCycloneDx,
  devicesNetbox,
  devicesNetboxCsv,
  devicesXlsx,
  safeCell,
  UNASSIGNED_SITE,
} from "./index.js";

/** Written here, not imported: what a spreadsheet would run (leading = + - @, fullwidth forms, tab/CR, after blanks). */
const looksLikeFormula = (s: string) => /^(?:[\t\r]|\s*[=+\-@\uff1d\uff0b\uff0d\uff20])/.test(s);

const parseCsv = (text: string): string[][] => parse(text, { relax_column_count: false });

/** Rows as objects by header. */
function records(text: string): Record<string, string>[] {
  const [head, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ""])));
}

const byId = (rs: Record<string, string>[], id: string) => rs.find((r) => r.id === id)!;

describe("safeCell", () => {
  it("prefixes a quote only where a spreadsheet would see a formula", () => {
    expect(safeCell("=1+1")).toBe("'=1+1");
    expect(safeCell(" =1+1")).toBe("' =1+1");
    expect(safeCell("\uff0b1")).toBe("'\uff0b1");
    expect(safeCell("\r\n")).toBe("'\r\n");
    expect(safeCell("a=1+1")).toBe("a=1+1");
    expect(safeCell("DS-2CD2043G2-I")).toBe("DS-2CD2043G2-I");
    expect(safeCell(null)).toBe("");
  });

  it("marks characters XML forbids or that hide text, keeps tab and line breaks", () => {
    expect(safeCell("a\u0000b\u001bc\u202ed\ufffe")).toBe("a\\u{0000}b\\u{001B}c\\u{202E}d\\u{FFFE}");
    expect(safeCell("x\ud800y\udc00")).toBe("x\\u{D800}y\\u{DC00}");
    expect(safeCell("ok \ud83d\udcf7")).toBe("ok \ud83d\udcf7");
    expect(safeCell("a\tb\nc")).toBe("a\tb\nc");
    // the marker is added before the formula test: a control char cannot hide a leading "="
    expect(safeCell("\u0007=1")).toBe("\\u{0007}=1");
  });

  it("cuts long text by code point with an ellipsis", () => {
    const cut = cleanText("\ud83d\udcf7".repeat(2000));
    expect([...cut]).toHaveLength(1024);
    expect(cut.endsWith("\ud83d\udcf7…")).toBe(true);
  });
});

describe("devicesCsv", () => {
  const text = devicesCsv(reportModel);
  const rs = records(text);
  const header = parseCsv(text)[0]!;

  it("writes RFC 4180: a header, CRLF records, a newline inside a field quoted", () => {
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(DEVICE_COLUMNS.map(([h]) => h));
    expect(rows).toHaveLength(1 + devices.length);
    expect(text.split("\r\n")[0]).toBe(rows[0]!.join(","));
    expect(text).toContain('"V5\\u{0007}.7\nbuild 2301"');
  });

  it("has a column for every field, sanitization and exception spread out", () => {
    expect(header).toEqual(
      expect.arrayContaining([
        "sanitizationMethod",
        "sanitizationCertificate",
        "exceptionState",
        "exceptionExpires",
      ]),
    );
    expect(header).toHaveLength(31);
    expect(byId(rs, "dev-2").policies).toBe("US-NDAA-FY2019-S889 US-FCC-COVERED-LIST");
    expect(byId(rs, "dev-3")).toMatchObject({
      sanitizationMethod: "purge",
      sanitizationCertificate: "CERT-17",
    });
    expect(byId(rs, "dev-4")).toMatchObject({
      exceptionState: "approved",
      exceptionApprover: "CISO",
      exceptionExpires: "2026-12-31",
    });
    expect(byId(rs, "dev-5")).toMatchObject({ risk: "", siteName: "", exceptionState: "" });
  });

  it("neutralises every formula the hostile device sends and keeps its text", () => {
    expect(byId(rs, "dev-hostile")).toMatchObject({
      model: `'${HOSTILE.model}`,
      hostname: `'${HOSTILE.hostname}`,
      brand: HOSTILE.brand,
      firmware: "V5\\u{0007}.7\nbuild 2301",
      serial: "'\uff1d1+1",
      mac: "'@SUM(1+1)",
      address: "'-2+3",
      sanitizationMethod: "'\t=1+1",
      sanitizationBy: "'@ops",
    });
    for (const row of parseCsv(text))
      for (const c of row) expect(looksLikeFormula(c), JSON.stringify(c)).toBe(false);
    expect(text).not.toContain("\u0007");
  });

  it("cuts a very long device string", () => {
    const fw = byId(rs, "dev-6").firmware!;
    expect(fw).toHaveLength(1024);
    expect(fw).toBe(`${LONG_FIRMWARE.slice(0, 1023)}…`);
  });
});

describe("devicesXlsx", () => {
  async function load(model: ReportModel): Promise<ExcelJS.Workbook> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await devicesXlsx(model)) as unknown as ExcelJS.Buffer);
    return wb;
  }
  const values = (ws: ExcelJS.Worksheet, n: number) => (ws.getRow(n).values as ExcelJS.CellValue[]).slice(1);

  it("has Summary, Devices and Plan sheets; Devices has the CSV's columns, a frozen header and a filter", async () => {
    const wb = await load(reportModel);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Summary", "Devices", "Plan"]);
    const ws = wb.getWorksheet("Devices")!;
    expect(values(ws, 1)).toEqual(DEVICE_COLUMNS.map(([h]) => h));
    expect(ws.rowCount).toBe(1 + devices.length);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.autoFilter).toBe("A1:AE8");
  });

  it("writes every cell as a value, never a formula, and device text neutralised", async () => {
    const wb = await load(reportModel);
    let strings = 0;
    for (const ws of wb.worksheets)
      ws.eachRow((row) =>
        row.eachCell((c) => {
          expect(c.type).not.toBe(ExcelJS.ValueType.Formula);
          expect(c.formula).toBeFalsy();
          if (c.type === ExcelJS.ValueType.String) {
            strings++;
            expect(looksLikeFormula(c.value as string), String(c.value)).toBe(false);
          } else expect([ExcelJS.ValueType.Number, ExcelJS.ValueType.Null]).toContain(c.type);
        }),
      );
    expect(strings).toBeGreaterThan(100);
    const ws = wb.getWorksheet("Devices")!;
    const col = (h: string) => DEVICE_COLUMNS.findIndex(([x]) => x === h) + 1;
    const hostile = ws.getRow(2);
    expect(hostile.getCell(col("model")).value).toBe(`'${HOSTILE.model}`);
    expect(hostile.getCell(col("model")).type).toBe(ExcelJS.ValueType.String);
    expect(hostile.getCell(col("hostname")).value).toBe(`'${HOSTILE.hostname}`);
    expect(hostile.getCell(col("serial")).value).toBe("'\uff1d1+1");
    expect(hostile.getCell(col("firmware")).value).toBe("V5\\u{0007}.7\nbuild 2301");
    expect(hostile.getCell(col("brand")).value).toBe(HOSTILE.brand);
    expect(hostile.getCell(col("risk")).value).toBe(95);
  });

  it("sums up totals, organizations and sites, and the plan's phases", async () => {
    const wb = await load(reportModel);
    const summary = wb.getWorksheet("Summary")!;
    const rows = Array.from({ length: summary.rowCount }, (_, i) => values(summary, i + 1));
    expect(rows.find((r) => r[0] === "All")?.slice(3, 5)).toEqual([7, 4]);
    expect(rows.find((r) => r[1] === "Headquarters")).toEqual([
      "Agency A",
      "Headquarters",
      "high",
      3,
      2,
      0,
      0,
      0,
      0,
      1,
      0,
      1,
      0,
      "no",
      "2026-03-01",
      "2026-02-10",
    ]);
    const plan = wb.getWorksheet("Plan")!;
    const planRows = Array.from({ length: plan.rowCount }, (_, i) => values(plan, i + 1));
    expect(planRows.find((r) => r[0] === 1)).toEqual([
      1,
      "2026-04-01",
      "2026-06-29",
      5000,
      1,
      1100,
      "Headquarters",
      0,
      0,
    ]);
    expect(planRows.find((r) => r[0] === 2)?.slice(0, 3)).toEqual([2, "2026-06-30", "2026-09-27"]);
    expect(planRows.find((r) => r[0] === "Warning")?.[1]).toBe("1 device due 2026-08-13 falls in phase 2");

    // a plan saved with coded warnings: the sheet gives their English text, beside an old plain one
    const coded = await load({
      ...reportModel,
      plan: {
        ...reportModel.plan!,
        warnings: [
          sitelessWarning(2),
          "an old plain warning",
          { code: "no-such-code", text: "=cmd|' /C calc'!A0" } as never,
        ],
      },
    });
    const codedRows = (ws: ExcelJS.Worksheet) =>
      Array.from({ length: ws.rowCount }, (_, i) => values(ws, i + 1)).filter((r) => r[0] === "Warning");
    expect(codedRows(coded.getWorksheet("Plan")!).map((r) => r[1])).toEqual([
      "2 restricted devices on no site are not in the plan: assign their segments to sites and assess again.",
      "an old plain warning",
      "'=cmd|' /C calc'!A0",
    ]);

    const noPlan = await load({ ...reportModel, plan: null, planVsActual: [] });
    expect(values(noPlan.getWorksheet("Plan")!, 1)).toEqual(["No saved plan."]);
  });
});

describe("devicesCycloneDx", () => {
  const bom = JSON.parse(JSON.stringify(devicesCycloneDx(reportModel, { version: "0.1.0" })));
  const comp = (id: string) => bom.components.find((c: { "bom-ref": string }) => c["bom-ref"] === id);

  it("is a CycloneDX 1.6 BOM with its metadata and tool", () => {
    expect(Object.keys(bom)).toEqual([
      "bomFormat",
      "specVersion",
      "serialNumber",
      "version",
      "metadata",
      "components",
    ]);
    expect(bom).toMatchObject({ bomFormat: "CycloneDX", specVersion: "1.6", version: 1 });
    // bom-1.6.schema.json's serialNumber pattern
    expect(bom.serialNumber).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(devicesCycloneDx(reportModel, { version: "0.1.0" }).serialNumber).not.toBe(bom.serialNumber);
    expect(bom.metadata).toEqual({
      timestamp: "2026-03-02T12:00:00.000Z",
      tools: { components: [{ type: "application", name: "camsweep", version: "0.1.0" }] },
    });
  });

  it("has one device component per device, with only schema fields and namespaced properties", () => {
    expect(bom.components).toHaveLength(devices.length);
    expect(new Set(bom.components.map((c: { "bom-ref": string }) => c["bom-ref"])).size).toBe(devices.length);
    const allowed = ["type", "bom-ref", "name", "version", "manufacturer", "properties"];
    for (const c of bom.components) {
      expect(c.type).toBe("device");
      expect(allowed).toEqual(expect.arrayContaining(Object.keys(c)));
      for (const p of c.properties) {
        expect(p.name).toMatch(/^camsweep:[a-zA-Z]+$/);
        expect(typeof p.value).toBe("string");
      }
    }
    expect(comp("dev-2")).toEqual({
      type: "device",
      "bom-ref": "dev-2",
      name: "IPC-HDW2431T",
      manufacturer: { name: "dahua" },
      version: "V5.7.3",
      properties: [
        { name: "camsweep:address", value: "10.0.0.2" },
        { name: "camsweep:hostname", value: "cam-lobby" },
        { name: "camsweep:deviceType", value: "camera" },
        { name: "camsweep:status", value: "prohibited" },
        { name: "camsweep:risk", value: "70" },
        { name: "camsweep:kev", value: "0" },
        { name: "camsweep:workflow", value: "scheduled" },
        { name: "camsweep:site", value: "Headquarters" },
        { name: "camsweep:organization", value: "Agency A" },
        { name: "camsweep:policies", value: "US-NDAA-FY2019-S889 US-FCC-COVERED-LIST" },
      ],
    });
  });

  it("keeps hostile text as JSON data, control characters marked, long strings cut", () => {
    const h = comp("dev-hostile");
    expect(h.name).toBe(HOSTILE.model);
    expect(h.version).toBe("V5\\u{0007}.7\nbuild 2301");
    expect(h.properties).toContainEqual({ name: "camsweep:brand", value: HOSTILE.brand });
    expect(comp("dev-5")).toMatchObject({ name: "unknown device" });
    expect(comp("dev-5").manufacturer).toBeUndefined();
    expect(comp("dev-5").version).toBeUndefined();
    expect([...comp("dev-6").version]).toHaveLength(1024);
  });
});

describe("devicesNetboxCsv", () => {
  const rs = parseCsv(devicesNetboxCsv(reportModel));
  const head = rs[0]!;
  const rows = rs.slice(1).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ""])));
  const row = (i: number) => rows[i]!;

  it("has NetBox's device import columns", () => {
    expect(head).toEqual([
      "name",
      "role",
      "tenant",
      "manufacturer",
      "device_type",
      "site",
      "status",
      "serial",
      "description",
      "comments",
    ]);
    expect(head).toEqual([...NETBOX_COLUMNS]);
    expect(rows).toHaveLength(devices.length);
  });

  it("maps the workflow to NetBox's device statuses", () => {
    expect(rows.map((r) => r.status)).toEqual([
      "active", // identified
      "decommissioning", // scheduled
      "offline", // sanitized
      "active", // reopened
      "active", // identified
      "offline", // closed
      "decommissioning", // isolated
    ]);
  });

  it("names devices by hostname, address or id, unique per site ignoring case", () => {
    expect(rows.map((r) => r.name)).toEqual([
      `'${HOSTILE.hostname}`,
      "cam-lobby",
      "CAM-LOBBY (dev-3)",
      "10.0.1.4",
      "dev-5",
      "10.0.1.6",
      "10.0.1.7",
    ]);
    const long = "h".repeat(100);
    const twins = devicesNetboxCsv({
      ...reportModel,
      devices: [
        { ...devices[1]!, id: "a", hostname: long },
        { ...devices[1]!, id: "b", hostname: long },
      ],
    });
    const names = parseCsv(twins)
      .slice(1)
      .map((r) => r[0]!);
    expect(names).toEqual(["h".repeat(63) + "…", "h".repeat(59) + "… (b)"]);
  });

  it("fills role, tenant, type and site, and neutralises device text", () => {
    expect(row(1)).toMatchObject({
      role: "Surveillance device",
      tenant: "Agency A",
      manufacturer: "dahua",
      device_type: "IPC-HDW2431T",
      site: "Headquarters",
      description: "camsweep: prohibited, risk 70 (high); workflow scheduled",
    });
    expect(row(4)).toMatchObject({
      tenant: "",
      site: "camsweep-unassigned",
      manufacturer: "Unknown",
      device_type: "Unknown",
    });
    expect(row(0)).toMatchObject({
      device_type: `'${HOSTILE.model}`,
      serial: "'\uff1d1+1",
      description:
        "camsweep: prohibited, risk 95 (critical), 2 known-exploited vulnerabilities; workflow identified",
    });
    expect(parseCsv(devicesNetboxCsv(reportModel, { role: "CCTV" }))[1]![1]).toBe("CCTV");
    for (const r of rs) for (const c of r) expect(looksLikeFormula(c), JSON.stringify(c)).toBe(false);
  });

  it("puts a device on no site on the placeholder site NetBox needs, and says how many rows rely on placeholders", () => {
    const all = devicesNetbox(reportModel);
    expect(all.csv).toBe(devicesNetboxCsv(reportModel));
    expect(rows.every((r) => r.site !== "" && r.role !== "" && r.status !== "")).toBe(true);
    expect(rows.filter((r) => r.site === UNASSIGNED_SITE)).toHaveLength(1);
    expect(all.unassigned).toBe(1);
    expect(all.unknownType).toBe(1);
    expect(all.warnings).toEqual([
      expect.stringMatching(
        /^1 device\(s\) on no site were given the placeholder site "camsweep-unassigned": create/,
      ),
      expect.stringMatching(/^1 device\(s\) with no known manufacturer or model were given "Unknown"/),
    ]);
    // every device on a site with a known make: nothing stood in, nothing to say
    const placed = {
      ...reportModel,
      devices: devices.filter((d) => d.siteName && d.manufacturer && d.model),
    };
    expect(devicesNetbox(placed)).toMatchObject({ unassigned: 0, unknownType: 0, warnings: [] });
    // a placeholder of the user's own is made safe like any other cell, and an empty one refused
    const own = parseCsv(devicesNetbox(reportModel, { unassignedSite: "=Lobby" }).csv);
    expect(own.find((r) => r[9]?.includes("dev-5"))?.[5]).toBe("'=Lobby");
    expect(() => devicesNetbox(reportModel, { unassignedSite: "" })).toThrow(/must not be empty/);
  });

  it("writes comments as Markdown that device text cannot turn into links or markup", () => {
    const c = row(0).comments!.split("\n");
    expect(c[0]).toBe("camsweep device dev-hostile");
    expect(c).toContain("- brand: &lt;script&gt;alert\\(1\\)&lt;/script&gt;");
    expect(c).toContain("- hostname: +cmd|' /C calc'\\!A0");
    // the marker's own backslash and braces escaped too: NetBox shows V5\u{0007}.7
    expect(c).toContain("- firmware: V5\\\\u\\{0007\\}.7 build 2301");
    expect(c).toContain("- sanitization:  =1+1 on 2026-02-01 by @ops");
    expect(row(3).comments).toContain("- exception: approved by CISO until 2026-12-31");
    const long = row(5).comments!;
    expect(long).toContain(`- firmware: ${"A".repeat(1023)}…\n`);
    expect(long).toContain("- last seen: 2026-03-01T10:00:00.000Z");
  });
});
