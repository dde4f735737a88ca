import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { jsonLines, runCli } from "./cli.js";

/**
 * `camsweep screen` end to end on the built CLI: a purchase order with a relabelled Hikvision NVR is caught with the
 * relabel relation and its source, the file comes back with verdict columns and inert formulas, the buyer's own
 * lists override the reading with an audit trail, and bad files are refused by name.
 */
const dir = mkdtempSync(join(tmpdir(), "camsweep-screen-"));
const data = join(dir, "data");
const file = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const run = (args: string[]) => runCli([...args, "--data-dir", data]);

const PO = file(
  "po.csv",
  [
    "Bon de commande / Purchase order PO-2026-118",
    "",
    "Article;Fabricant;Numéro de pièce;Désignation;Qté",
    "1;LTS;LTN8708K-P8;Enregistreur NVR 8 canaux 4K, 8 ports PoE;2",
    "2;Axis Communications AB;02235-001;AXIS P3265-LVE Dome Camera;10",
    '3;Acme;"=HYPERLINK(""http://x"",""y"")";Caméra dôme 4 MP;1',
    "4;Annke;C500;5MP PoE camera;3",
  ].join("\r\n"),
);

describe("camsweep screen", () => {
  it("catches a relabelled Hikvision NVR with the relation and its source, and exits 3", async () => {
    const r = await run(["screen", PO, "--format", "jsonl"]);
    expect(r.code).toBe(3);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => [l["line"], l["verdict"]])).toEqual([
      [4, "prohibited"],
      [5, "clear"],
      [6, "clear"],
      [7, "needs-attestation"],
    ]);
    const nvr = lines[0]!;
    expect(nvr).toMatchObject({ file: PO, maker: "hikvision", brand: "LTS", relation: "oem-relabel" });
    expect(nvr["reason"]).toMatch(/^LTS is an OEM relabel of Hangzhou Hikvision/);
    const brand = (nvr["evidence"] as { kind: string; sources: { key?: string }[] }[]).find(
      (e) => e.kind === "brand",
    )!;
    expect(brand.sources).toContainEqual(expect.objectContaining({ key: "ipvm_6438" }));
    expect(r.stderr).toMatch(
      /4 line\(s\): 1 prohibited, 1 needing attestation, 2 clear, against every policy/,
    );
  });

  it("writes the order back with verdict columns, every formula inert", async () => {
    const out = join(dir, "screened.csv");
    const r = await run(["screen", PO, "--format", "csv", "--out", out]);
    expect(r.code).toBe(3);
    const rows = readFileSync(out, "utf8").split("\r\n");
    expect(rows[0]).toMatch(
      /^Article,Fabricant,Numéro de pièce,Désignation,Qté,camsweep_verdict,camsweep_reason,/,
    );
    expect(rows[3]).toMatch(/^3,Acme,"'=HYPERLINK\(""http:\/\/x"",""y""\)",Caméra dôme 4 MP,1,clear,/);
  });

  it("screens one product, and --strict stops on a line that needs attestation", async () => {
    const one = await run(["screen", "--product", "LTS CMIP3042W-28M"]);
    expect(one.code).toBe(3);
    expect(one.stdout).toMatch(/prohibited\s+hikvision\s+oem-relabel\s+LTS CMIP3042W-28M/);
    expect((await run(["screen", "--product", "Annke C500"])).code).toBe(0);
    expect((await run(["screen", "--product", "Annke C500", "--strict"])).code).toBe(4);
  });

  it("applies the buyer's policies and its approved list, with the change in the audit log", async () => {
    expect(
      (
        await run([
          "org",
          "add",
          "dnd",
          "--name",
          "National Defence",
          "--type",
          "federal-department",
          "--jurisdiction",
          "CA",
        ])
      ).code,
    ).toBe(0);
    expect(
      (
        await run([
          "org",
          "add",
          "shop",
          "--name",
          "Corner shop",
          "--type",
          "private",
          "--jurisdiction",
          "CA",
        ])
      ).code,
    ).toBe(0);
    const firm = await run(["screen", "--product", "EZVIZ C6N", "--org", "shop", "--format", "jsonl"]);
    expect(firm.code).toBe(0);
    expect(jsonLines(firm.stdout)[0]).toMatchObject({ verdict: "clear", maker: "hikvision" });
    expect((await run(["screen", "--product", "EZVIZ C6N", "--org", "dnd"])).code).toBe(3);

    const noReason = await run(["product-list", "allow", "--model", "LTN8708K-P8", "--org", "dnd"]);
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toMatch(/--reason/);
    const add = await run([
      "product-list",
      "allow",
      "--model",
      "LTN8708K-P8",
      "--org",
      "dnd",
      "--reason",
      "exception DND-2026-7 while the site is re-tendered",
      "--actor",
      "alice",
    ]);
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/^allow entry 1 added for dnd: model "LTN8708K-P8"/);
    const r = await run(["screen", PO, "--org", "dnd", "--format", "jsonl"]);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)[0]).toMatchObject({
      verdict: "clear",
      relation: "list",
      reason: expect.stringMatching(/^on organization dnd's allow list, entry 1 .* added by alice via /),
    });
    expect(r.stderr).toMatch(/for National Defence \(federal-department, CA\)/);
    expect((await run(["product-list", "remove", "1", "--reason", "re-tender done"])).code).toBe(0);
    expect((await run(["screen", PO, "--org", "dnd"])).code).toBe(3);
    const audit = jsonLines((await run(["audit", "log", "--json"])).stdout).filter(
      (e) => e["entity"] === "procurement-list",
    );
    expect(audit.map((e) => e["action"]).sort()).toEqual(["create", "delete"]);
  });

  it("refuses bad files by name: missing, password-protected, no usable column", async () => {
    const missing = await run(["screen", join(dir, "nope.csv")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.csv");
    // An encrypted workbook is an OLE compound file, whatever its extension says.
    const locked = file(
      "locked.xlsx",
      Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), Buffer.alloc(504)]),
    );
    const l = await run(["screen", locked]);
    expect(l.code).toBe(2);
    expect(l.stderr).toMatch(/locked\.xlsx.*password-protected/);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Sheet1").addRows([
      ["Qty", "Price"],
      [1, 2],
    ]);
    const bare = join(dir, "bare.xlsx");
    await wb.xlsx.writeFile(bare);
    const b = await run(["screen", bare]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/bare\.xlsx.*headers found: "Qty", "Price".*--columns/);
    const mapped = await run(["screen", bare, "--columns", "model=Qty", "--format", "jsonl"]);
    expect(mapped.code).toBe(0);
  });
});
