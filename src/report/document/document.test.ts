import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { HOSTILE_BRAND, HOSTILE_MODEL, MODEL } from "./__fixtures__/model.js";
import { sitelessWarning } from "../../plan/warnings.js";
import { groupedBars, niceScale, stackedBars, textWidth, timeLines, type Chart } from "./charts.js";
import { MAX_LISTED_DEVICES, reportContent } from "./content.js";
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

/** WinAnsi's 0x80-0x9F (Node's TextDecoder reads "windows-1252" as Latin-1, so these are spelled out). */
const WIN_ANSI_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

/**
 * The text pdfkit drew, without pdftotext: each content stream inflated, each TJ array's hex strings decoded from
 * WinAnsi (what the standard fonts use) and joined, one line per TJ. Enough for pdfkit's own output.
 */
function pdfkitText(pdf: Buffer): string {
  const raw = pdf.toString("latin1");
  const lines: string[] = [];
  for (const m of raw.matchAll(/(?<!end)stream\r?\n/g)) {
    const start = m.index + m[0].length;
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, raw.indexOf("endstream", start))).toString("latin1");
    } catch {
      continue;
    }
    for (const tj of content.matchAll(/\[([^\]]*)\] TJ/g))
      lines.push(
        [...(tj[1] ?? "").matchAll(/<([0-9a-f]*)>/g)]
          .flatMap((h) => [...Buffer.from(h[1] ?? "", "hex")])
          .map((b) => (b >= 0x80 && b <= 0x9f ? WIN_ANSI_HIGH[b - 0x80] : String.fromCharCode(b)))
          .join(""),
      );
  }
  return lines.join("\n");
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
    // the test's own WinAnsi table agrees with the set pdfSafeText keeps
    expect(pdfSafeText(WIN_ANSI_HIGH.replace(/[\u0080-\u009f]/g, ""))).toBe(
      WIN_ANSI_HIGH.replace(/[\u0080-\u009f]/g, ""),
    );
    expect(WIN_ANSI_HIGH).toHaveLength(32);
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

  /** The date labels under a time axis, as boxes by the width the layout measures them with. */
  const dateBoxes = (chart: Chart) =>
    chart.shapes.flatMap((s) =>
      s.kind === "text" && /^\d{4}-\d{2}-\d{2}$/.test(s.text)
        ? [
            {
              text: s.text,
              left: s.x - textWidth(s.text, s.size) / 2,
              right: s.x + textWidth(s.text, s.size) / 2,
            },
          ]
        : [],
    );
  const days = (from: string, n: number) =>
    Array.from({ length: n }, (_, i) =>
      new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
    );
  const burn = [
    { label: "actual", colour: "#D55E00", dashed: false },
    { label: "planned", colour: "#0072B2", dashed: true },
  ];

  it.each([
    ["one day", days("2026-11-22", 1).map((date) => ({ date, values: [24, null] }))],
    ["two adjacent days", days("2026-11-21", 2).map((date, i) => ({ date, values: [25 - i, null] }))],
    [
      "two adjacent days of actuals beside a year of plan",
      [
        ...days("2026-11-21", 2).map((date, i) => ({ date, values: [25 - i, i === 1 ? 24 : null] })),
        { date: "2026-11-24", values: [null, 20] },
        { date: "2027-02-28", values: [null, 14] },
        { date: "2027-11-22", values: [null, 0] },
      ],
    ],
    ["400 days", days("2026-01-01", 400).map((date, i) => ({ date, values: [400 - i, null] }))],
  ])("labels the time axis without overlap: %s", (_, points) => {
    const chart = timeLines(532, burn, points, String, "none");
    const boxes = dateBoxes(chart);
    expect(boxes.length).toBeGreaterThanOrEqual(1);
    expect(boxes.length).toBeLessThanOrEqual(5);
    expect(new Set(boxes.map((b) => b.text)).size).toBe(boxes.length);
    const sorted = [...boxes].sort((a, b) => a.left - b.left);
    for (const b of sorted) {
      expect(b.left).toBeGreaterThanOrEqual(0);
      expect(b.right).toBeLessThanOrEqual(chart.width);
    }
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]!.left, sorted[i]!.text).toBeGreaterThan(sorted[i - 1]!.right);
    // the first day is always labelled; a long axis shows its ends and more
    expect(boxes.map((b) => b.text)).toContain(points[0]!.date);
    if (points.length === 400) {
      expect(boxes.map((b) => b.text)).toContain(points[399]!.date);
      expect(boxes.length).toBeGreaterThanOrEqual(4);
    }
  });

  it("draws a one-day or two-adjacent-day actual series as visible points, not a bare stroke", () => {
    const markers = (chart: Chart) =>
      chart.shapes.filter((s) => s.kind === "rect" && s.fill === "#D55E00" && s.w >= 5 && s.h >= 5);
    const one = timeLines(532, burn, [{ date: "2026-11-22", values: [24, null] }], String, "none");
    expect(markers(one)).toHaveLength(1);
    const adjacent = timeLines(
      532,
      burn,
      [
        { date: "2026-11-21", values: [25, null] },
        { date: "2026-11-22", values: [24, 24] },
        { date: "2027-11-22", values: [null, 0] },
      ],
      String,
      "none",
    );
    // both ends of the short run marked, at their own heights, beside the stroke between them
    const m = markers(adjacent);
    expect(m).toHaveLength(2);
    expect(new Set(m.map((r) => (r.kind === "rect" ? r.y : 0))).size).toBe(2);
    // a run spread over the axis has no markers
    const long = timeLines(
      532,
      burn,
      days("2026-01-01", 30).map((date, i) => ({ date, values: [30 - i, null] })),
      String,
      "none",
    );
    expect(markers(long)).toHaveLength(0);
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
  const bi = reportHtml(MODEL, "bilingual");

  it("is one self-contained file: charset, lang, CSP, no script, nothing fetched", () => {
    for (const [html, lang, charts] of [
      [en, "en-CA", 4],
      [fr, "fr-CA", 4],
      [bi, "en-CA", 8],
    ] as const) {
      expect(html.startsWith("<!doctype html>")).toBe(true);
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).toContain(
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
      );
      expect(html).not.toMatch(/<script|<img|<link|<iframe|<object|url\(|@import/i);
      expect(html.match(/<svg /g)).toHaveLength(charts);
      const ids = [...html.matchAll(/ id="([^"]*)"/g)].map((m) => m[1]);
      expect(new Set(ids).size, "ids are unique").toBe(ids.length);
    }
  });

  it.each([
    ["en", en, 1],
    ["bilingual", bi, 2],
  ] as const)(
    "escapes the hostile device's text, in tables and wherever else it shows (%s)",
    (_, html, n) => {
      expect(html.split(escapeHtml(HOSTILE_MODEL)).length - 1).toBe(n);
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(html).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
      expect(html).not.toContain(HOSTILE_BRAND);
      expect(html).not.toContain(HOSTILE_MODEL);
      expect(html).toContain("cam-\\u{001B}[31mlobby");
      expect(html).not.toContain("\u001b");
      expect(html).toContain("中文固件");
    },
  );

  it("writes a bilingual file: a cover in both languages, then each language's whole report in its own section", () => {
    const cover = bi.slice(bi.indexOf('<section class="cover"'), bi.indexOf('<section class="language"'));
    const enPart = bi.slice(
      bi.indexOf('<section class="language" lang="en-CA" id="en">'),
      bi.indexOf('lang="fr-CA" id="fr"'),
    );
    const frPart = bi.slice(bi.indexOf('<section class="language" lang="fr-CA" id="fr">'));
    expect(cover).not.toBe("");
    expect(enPart).not.toBe("");
    expect(frPart).not.toBe("");
    expect(cover).toContain('<span lang="en-CA">Compliance report: restricted surveillance devices</span>');
    expect(cover).toContain('<span class="label" lang="en-CA">Prohibited remaining</span>');
    expect(cover).toContain('<span class="label" lang="fr-CA">Appareils interdits restants</span>');
    expect(cover).toContain('<a href="#en" lang="en-CA">English version</a>');
    expect(cover).toContain('<a href="#fr" lang="fr-CA">Version française</a>');
    expect(cover).toContain('<p class="lead" lang="fr-CA">24 appareils interdits restent sur le réseau');
    expect(enPart).toContain("<h2>Executive summary</h2>");
    expect(enPart).not.toContain("<h2>Résumé</h2>");
    expect(frPart).toContain("<h2>Résumé</h2>");
    expect(frPart).not.toContain("Executive summary");
    expect(frPart).toContain('id="fr-devices"');
    // the page footer in both languages
    expect(bi).toContain(
      '"Page " counter(page) " of " counter(pages) " / Page " counter(page) " de " counter(pages)',
    );
    // one language only: no cover, no sections marked with another language
    expect(en).not.toContain('class="cover"');
    expect(fr).not.toContain('lang="en-CA"');
    expect(en).toContain('"Page " counter(page) " of " counter(pages) ""');
  });

  it("says the plan's warnings in the report's language; a plan saved before codes shows its English text", () => {
    const plan = MODEL.plan!;
    const coded: ReportModel = {
      ...MODEL,
      plan: {
        ...plan,
        warnings: [
          sitelessWarning(2),
          {
            code: "budget-short",
            params: { budget: 60000, funded: 25, devices: 26, needed: 61450, more: 1450 },
            text: "The budget of 60,000 CAD funds 25 of 26 devices; …",
          },
          {
            code: "too-dear",
            params: { devices: 7, phaseBudget: 20000, ids: ["a", "b", "c", "d", "e"], moreIds: 2 },
            text: "…",
          },
          "an old <b>plain</b> warning",
        ],
      },
    };
    const frHtml = reportHtml(coded, "fr");
    const enHtml = reportHtml(coded, "en");
    expect(frHtml).toContain("<h4>Avertissements du planificateur</h4>");
    expect(frHtml).toContain(
      "2 appareils visés par des restrictions ne sont rattachés à aucun site et ne figurent pas dans le plan",
    );
    expect(frHtml).toMatch(
      /Le budget de 60\s000\s\$ finance 25 appareils sur 26; les remplacer tous exige au moins 61\s450\s\$/,
    );
    expect(frHtml).toContain("a, b, c, d, e et 2 autres.");
    expect(frHtml).toContain("an old &lt;b&gt;plain&lt;/b&gt; warning (en anglais seulement)");
    expect(enHtml).toContain(
      "The budget of $60,000 funds 25 of 26 devices; replacing all of them needs at least $61,450 (one visit per site), $1,450 more.",
    );
    expect(enHtml).toContain("so no phase can fund them: a, b, c, d, e and 2 more.");
    expect(enHtml).toContain("<li>an old &lt;b&gt;plain&lt;/b&gt; warning</li>");
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

  it("writes a bilingual PDF: a cover in both languages, the English report, then the French one", async () => {
    const pdf = await reportPdf(MODEL, "bilingual");
    expect((await reportPdf(MODEL, "bilingual")).equals(pdf)).toBe(true);
    const pages = pageCount(pdf);
    const text = pdfkitText(pdf);
    for (const heading of [
      "Compliance report: restricted surveillance devices",
      "Rapport de conformité",
      "Executive summary",
      "Résumé",
      "Devices by site",
      "Appareils par site",
      "Method",
      "Méthode",
      "Prohibited remaining",
      "Appareils interdits restants",
    ])
      expect(text).toContain(heading);
    // every page numbered in both languages
    for (let p = 1; p <= pages; p++) expect(text).toContain(`Page ${p} of ${pages} / Page ${p} de ${pages}`);
    // the cover says where each part starts; the French part begins after the English one
    const en = Number(/English version — page (\d+)/.exec(text)?.[1]);
    const fr = Number(/Version française — page (\d+)/.exec(text)?.[1]);
    expect(en).toBe(2);
    expect(fr).toBeGreaterThan(en + 2);
    expect(fr).toBeLessThanOrEqual(pages);
    expect(text.indexOf("Executive summary")).toBeLessThan(text.indexOf("Résumé\n"));
    // one bookmark per language, its sections under it, and one for the cover
    const raw = pdf.toString("latin1");
    expect(raw).toContain("/Title (English version)");
    expect(raw).toContain("/Title (Cover / Couverture)");
    expect(raw).toContain("/Title (Executive summary)");
    expect(raw.match(/\/Dests/g)?.length).toBeGreaterThanOrEqual(1);
  });

  it("keeps a one-language PDF to its language", async () => {
    const text = pdfkitText(await reportPdf(MODEL, "fr"));
    expect(text).toContain("Résumé");
    expect(text).not.toContain("Executive summary");
    expect(text).toMatch(/Page 1 de \d+$/m);
    expect(text).not.toContain(" / Page ");
  });

  it.skipIf(!PDFTOTEXT)("shows both languages' headings to pdftotext in a bilingual PDF", async () => {
    const text = pdfText(await reportPdf(MODEL, "bilingual"), "bilingual.pdf");
    for (const heading of [
      "Executive summary",
      "Résumé",
      "Prohibited remaining",
      "Appareils interdits restants",
    ])
      expect(text).toContain(heading);
    expect(text).toMatch(/Page 1 of (\d+) \/ Page 1 de \1/);
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

describe("a large inventory's report", () => {
  it("lists at most MAX_LISTED_DEVICES rows, those needing action first, and says per site what it left out", () => {
    const base = MODEL.devices.find((d) => d.status === "prohibited")!;
    const allowed = MODEL.devices.find((d) => d.status === "allowed")!;
    const many: ReportDevice[] = [
      ...Array.from({ length: 2100 }, (_, i) => ({
        ...base,
        id: `p${i}`,
        address: `10.1.${i >> 8}.${i & 255}`,
      })),
      ...Array.from({ length: 50 }, (_, i) => ({
        ...allowed,
        id: `a${i}`,
        siteId: "annex",
        siteName: "Annex",
      })),
    ];
    const content = reportContent({ ...MODEL, devices: many }, "en");
    const rows = content.devices.items.reduce((n, s) => n + (s.table?.rows.length ?? 0), 0);
    expect(rows).toBe(MAX_LISTED_DEVICES);
    const [hq, annex] = content.devices.items;
    expect(hq!.subtitle).toBe(
      "2,000 of this site's 2,100 devices are listed, those needing action first; every device is in the CSV and XLSX exports (camsweep report --format csv).",
    );
    expect(annex).toMatchObject({
      table: null,
      empty: expect.stringMatching(/^None of this site's devices needs action/),
    });
    expect(reportContent({ ...MODEL, devices: many }, "fr").devices.items[0]!.subtitle).toMatch(
      /^2\s000 des 2\s100 appareils de ce site sont énumérés/,
    );
  });
});
