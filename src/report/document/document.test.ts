import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HOSTILE_BRAND, HOSTILE_MODEL, MODEL } from "./__fixtures__/model.js";
import { groupedBars, niceScale, stackedBars, timeLines } from "./charts.js";
import { reportHtml, reportPdf } from "./index.js";
import type { ReportDevice, ReportModel } from "./model.js";
import { escapeHtml, pdfSafeText } from "./safe-text.js";

const dir = mkdtempSync(join(tmpdir(), "camsweep-report-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function has(tool: string): boolean {
  try {
    execFileSync("which", [tool], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const PDFTOTEXT = has("pdftotext");

function pdfText(pdf: Buffer, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, pdf);
  return execFileSync("pdftotext", ["-raw", file, "-"], { encoding: "utf8" });
}

/** Pages in a pdfkit file: its page dictionaries are written uncompressed. */
function pageCount(pdf: Buffer): number {
  return pdf.toString("latin1").match(/\/Type \/Page\b/g)?.length ?? 0;
}

const EMPTY: ReportModel = {
  ...MODEL,
  assessment: null,
  organizations: [],
  manufacturers: [],
  burnDown: [],
  plan: null,
  planVsActual: [],
  devices: [],
  auditHead: null,
};

describe("text safety", () => {
  it("escapes the five HTML characters and shows control characters as markers", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(escapeHtml("cam-\u001b[31m\u202eevil")).toBe("cam-\\u{001B}[31m\\u{202E}evil");
  });

  it("keeps WinAnsi text for the PDF and marks everything else, one marker per code point", () => {
    expect(pdfSafeText("Résumé — 12 €, œuvre")).toBe("Résumé — 12 €, œuvre");
    expect(pdfSafeText("中文")).toBe("\\u{4E2D}\\u{6587}");
    expect(pdfSafeText("a😀b")).toBe("a\\u{1F600}b");
    expect(pdfSafeText("x\u0000\u001b\u00ady")).toBe("x\\u{0000}\\u{001B}\\u{00AD}y");
  });
});

describe("charts", () => {
  it("chooses whole tick steps", () => {
    expect(niceScale(12)).toEqual({ max: 15, step: 5 });
    expect(niceScale(3)).toEqual({ max: 3, step: 1 });
    expect(niceScale(0)).toEqual({ max: 1, step: 1 });
    expect(niceScale(33)).toEqual({ max: 40, step: 10 });
  });

  it("draws a note, not an empty axis, when there is nothing to chart", () => {
    for (const chart of [
      stackedBars(500, [], [], String, "no data"),
      timeLines(500, [], [{ date: "2026-01-01", values: [null] }], String, "no data"),
      groupedBars(500, [], [{ label: "P1", sublabel: "", values: [0, 0] }], String, "no data"),
    ]) {
      expect(chart.shapes).toEqual([expect.objectContaining({ kind: "text", text: "no data" })]);
    }
  });

  it("breaks a line where a value is missing", () => {
    const series = [{ label: "a", colour: "#000", dashed: false }];
    const points = ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05"].map((date, i) => ({
      date,
      values: [i === 2 ? null : 10 - i],
    }));
    const lines = timeLines(500, series, points, String, "none").shapes.filter((s) => s.kind === "polyline");
    expect(lines).toHaveLength(2);
  });

  it("sizes stacked bars in proportion to their totals", () => {
    const chart = stackedBars(
      500,
      [
        { label: "x", colour: "#111" },
        { label: "y", colour: "#222" },
      ],
      [
        { label: "A", values: [10, 10] },
        { label: "B", values: [5, 0] },
      ],
      String,
      "none",
    );
    const bars = chart.shapes.filter((s) => s.kind === "rect" && s.h === 14);
    const widths = bars.map((s) => (s.kind === "rect" ? s.w : 0));
    expect(widths).toHaveLength(3);
    expect(widths[0]).toBeCloseTo(widths[1]!);
    expect(widths[0]).toBeCloseTo(2 * widths[2]!);
  });
});

describe("HTML report", () => {
  const en = reportHtml(MODEL, "en");
  const fr = reportHtml(MODEL, "fr");

  it("is one self-contained file: charset, lang, CSP, no script, nothing fetched", () => {
    for (const [html, lang] of [
      [en, "en-CA"],
      [fr, "fr-CA"],
    ] as const) {
      expect(html.startsWith("<!doctype html>")).toBe(true);
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).toContain(
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
      );
      expect(html).not.toMatch(/<script|<img|<link|<iframe|<object|url\(|@import/i);
      expect(html.match(/<svg /g)).toHaveLength(4);
    }
  });

  it("escapes the hostile device's text, in tables and wherever else it shows", () => {
    expect(en).toContain(escapeHtml(HOSTILE_MODEL));
    expect(en).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(en).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(en).not.toContain(HOSTILE_BRAND);
    expect(en).toContain("cam-\\u{001B}[31mlobby");
    expect(en).not.toContain("\u001b");
    expect(en).toContain("中文固件");
  });

  it("escapes device text inside the SVG charts too", () => {
    const model: ReportModel = {
      ...MODEL,
      manufacturers: [{ manufacturer: `<svg onload=alert(1)>&"'`, devices: 3, prohibited: 1 }],
    };
    const html = reportHtml(model, "en");
    expect(html).not.toContain("<svg onload");
    expect(html).toContain("&lt;svg onload=alert(1)&gt;&amp;&quot;&#39;");
  });

  it("speaks each language, with the locale's numbers and dates", () => {
    expect(en).toContain("Compliance report: restricted surveillance devices");
    expect(en).toContain("Executive summary");
    expect(en).toContain(
      "24 prohibited devices remain on the network at 3 sites; 10 carry known-exploited vulnerabilities.",
    );
    expect(en).toContain("November 22, 2026");
    expect(en).toContain("$47,850");
    expect(fr).toContain("Rapport de conformité");
    expect(fr).toContain("<h2>Résumé</h2>");
    expect(fr).toContain("Appareils interdits restants");
    expect(fr).toContain("22 novembre 2026");
    for (const word of [
      "Interdit",
      "Consultatif",
      "Autorisé",
      "Sans propriétaire",
      "Planifié",
      "Assaini",
      "Rouvert",
    ])
      expect(fr).toContain(word);
    expect(fr).toMatch(/47\s850\s\$/);
    expect(fr).not.toContain("Executive summary");
  });

  it("ties the report to the policy packs and the audit log", () => {
    expect(en).toContain("ca-ica-hikvision-2025 (sha256 9f86d081884c)");
    expect(en).toContain("4182:c0ffee00d15ea5e5");
    expect(en).toContain("budget short by 1,450 CAD for 1 device");
  });

  it("says so instead of drawing empty charts", () => {
    const html = reportHtml(EMPTY, "fr");
    expect(html.match(/Aucune donnée à représenter\./g)).toHaveLength(4);
    expect(html).not.toContain("<polyline");
    expect(html).toContain("Aucun plan de remplacement n&#39;a été enregistré.");
  });
});

describe("PDF report", () => {
  it("is a PDF of several pages, the same bytes for the same model", async () => {
    const a = await reportPdf(MODEL, "en");
    expect(a.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(a.subarray(-6).toString("latin1")).toContain("%%EOF");
    expect(pageCount(a)).toBeGreaterThan(1);
    expect((await reportPdf(MODEL, "en")).equals(a)).toBe(true);
  });

  it("renders a model with nothing in it", async () => {
    const pdf = await reportPdf(EMPTY, "en");
    expect(pageCount(pdf)).toBeGreaterThanOrEqual(1);
  });

  it.skipIf(!PDFTOTEXT)(
    "shows French text, the hostile device as text and markers for what WinAnsi lacks",
    async () => {
      const text = pdfText(await reportPdf(MODEL, "fr"), "fr.pdf");
      const flat = text.replace(/\s+/g, "");
      expect(text).toContain("Résumé");
      expect(text).toContain("Appareils interdits restants");
      expect(text).toContain("Sans propriétaire");
      expect(text).toMatch(/Page 1 de \d/);
      expect(flat).toContain(HOSTILE_MODEL);
      expect(flat).toContain(HOSTILE_BRAND.replace(/\s+/g, ""));
      expect(flat).toContain("\\u{4E2D}\\u{6587}");
      expect(flat).toContain("cam-\\u{001B}[31mlobby");
      expect(flat).toContain("\\u{1F600}");
    },
  );

  it.skipIf(!PDFTOTEXT)(
    "repeats the table header on every page of a long list, numbered Page X of Y",
    async () => {
      const base = MODEL.devices[1] as ReportDevice;
      const devices = Array.from({ length: 300 }, (_, i) => ({
        ...base,
        id: `long-${i}`,
        address: `10.10.${i >> 8}.${i & 255}`,
      }));
      const pdf = await reportPdf({ ...MODEL, devices }, "en");
      const pages = pageCount(pdf);
      expect(pages).toBeGreaterThan(5);
      const text = pdfText(pdf, "long.pdf");
      expect(text).toContain(`Page ${pages} of ${pages}`);
      // One site: its heading and header, then heading "(continued)" and header again on each further page.
      const continued = text.match(/Ottawa — Headquarters, 90 Elgin \(continued\)/g)?.length ?? 0;
      expect(continued).toBeGreaterThanOrEqual(4);
      expect(text.match(/Address \/ host/g)?.length).toBe(continued + 1);
      for (let i = 0; i < 300; i += 37) expect(text).toContain(`10.10.${i >> 8}.${i & 255}`);
    },
  );
});
