import PDFDocument from "pdfkit";
import { PALETTE, type Chart, type Shape } from "./charts.js";
import {
  CHART_WIDTH,
  coverContent,
  reportContent,
  type Cell,
  type CoverContent,
  type Pair,
  type ReportContent,
  type Section,
  type Table,
} from "./content.js";
import { locale, t } from "./i18n.js";
import type { Lang, ReportLang, ReportModel } from "./model.js";
import { pdfSafeText } from "./safe-text.js";

/**
 * The compliance report as a PDF: Letter, the standard Helvetica fonts (WinAnsi, which holds French accents; other
 * characters become visible markers through pdfSafeText), long tables repeating their header on each page, and
 * "Page X of Y" on every page. Dated from the model, not the clock, so the same model gives the same bytes.
 * "bilingual": a cover in both languages, then the whole English report and the whole French one, each a bookmark
 * with its sections under it, and "Page X of Y / Page X de Y" on every page.
 */
export async function reportPdf(model: ReportModel, lang: ReportLang): Promise<Buffer> {
  const bilingual = lang === "bilingual";
  const parts = (bilingual ? (["en", "fr"] as const) : [lang]).map((l) => reportContent(model, l));
  const date = new Date(model.generatedAt);
  const when = Number.isNaN(date.getTime()) ? new Date(0) : date;
  const doc = new PDFDocument({
    size: "LETTER",
    margins: { top: MARGIN, bottom: MARGIN + FOOTER, left: MARGIN, right: MARGIN },
    bufferPages: true,
    // A bilingual file says English at its root; the French part is a bookmark of its own.
    lang: locale(bilingual ? "en" : lang),
    displayTitle: true,
    info: {
      Title: pdfSafeText(parts.map((c) => c.title).join(" / ")),
      Creator: "camsweep",
      Producer: "camsweep (PDFKit)",
      CreationDate: when,
      ModDate: when,
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  // The page each part starts on (0-based), to number the cover's contents and pick each footer's language.
  const starts: { lang: Lang; page: number }[] = [];
  const cover = bilingual ? new CoverWriter(doc, coverContent(model)) : null;
  cover?.write();
  for (const c of parts) {
    if (cover) {
      doc.addPage();
      doc.addNamedDestination(`part-${c.lang}`);
    }
    starts.push({ lang: c.lang, page: doc.bufferedPageRange().count - 1 });
    const outline = cover
      ? doc.outline.addItem(pdfSafeText(t(c.lang, "cover.version")), { expanded: true })
      : doc.outline;
    new Writer(doc, c, outline).write();
  }
  cover?.contents(starts);
  const langs = parts.map((p) => p.lang);
  footers(doc, (i) => {
    // a page of one language's part carries that part's title; the cover both
    const part = [...starts].reverse().find((s) => s.page <= i);
    const c = parts.find((p) => p.lang === part?.lang);
    return {
      title: `${c ? c.title : parts.map((p) => p.title).join(" / ")} — ${model.asOf}`,
      page: (page, pages) => langs.map((l) => t(l, "page", { page, pages })).join(" / "),
    };
  });
  doc.end();
  return done;
}

const MARGIN = 40;
const FOOTER = 18;
const WIDTH = 612 - 2 * MARGIN;
const REGULAR = "Helvetica";
const BOLD = "Helvetica-Bold";
const INK = PALETTE.ink;
const MUTED = PALETTE.axis;
const TABLE_FONT = 7.5;
const PAD = 3;

type Doc = PDFKit.PDFDocument;

/** Lays the content out from the top of the first page down, adding pages as it goes. */
class Writer {
  constructor(
    private readonly doc: Doc,
    private readonly c: ReportContent,
    /** where section bookmarks go: the document's outline, or the part's bookmark in a bilingual file */
    private readonly outline: PDFKit.PDFOutline,
  ) {}

  write(): void {
    this.titleBlock();
    this.summary();
    this.section(this.c.charts.heading, true);
    for (const i of this.c.charts.items) this.chart(i.title, i.chart);
    this.section(this.c.organizations.heading);
    for (const s of this.c.organizations.items) this.block(s);
    this.section(this.c.devices.heading, true);
    for (const s of this.c.devices.items) this.block(s);
    this.method();
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** A new page unless `h` points still fit on this one. */
  private ensure(h: number): void {
    if (this.doc.y + h > this.bottom) this.doc.addPage();
  }

  private text(
    s: string,
    size: number,
    opts: PDFKit.Mixins.TextOptions & { font?: string; colour?: string } = {},
  ) {
    const { font = REGULAR, colour = INK, ...rest } = opts;
    this.doc.font(font).fontSize(size).fillColor(colour);
    this.doc.text(pdfSafeText(s), MARGIN, this.doc.y, { width: WIDTH, ...rest });
  }

  private titleBlock(): void {
    const doc = this.doc;
    doc.rect(MARGIN, MARGIN, WIDTH, 4).fill(PALETTE.removed);
    doc.y = MARGIN + 14;
    this.text(this.c.title, 18, { font: BOLD });
    doc.moveDown(0.6);
    const labelW = 150;
    for (const [k, v] of this.c.meta) {
      const y = doc.y;
      doc
        .font(REGULAR)
        .fontSize(9)
        .fillColor(MUTED)
        .text(pdfSafeText(k), MARGIN, y, { width: labelW - 8 });
      const hk = doc.y;
      doc.fillColor(INK).text(pdfSafeText(v), MARGIN + labelW, y, { width: WIDTH - labelW });
      doc.y = Math.max(hk, doc.y) + 2;
    }
    doc.moveDown(0.5);
  }

  private section(heading: string, newPage = false): void {
    if (newPage) this.doc.addPage();
    else this.ensure(80);
    this.outline.addItem(pdfSafeText(heading));
    this.text(heading, 14, { font: BOLD });
    const y = this.doc.y + 1;
    this.doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + WIDTH, y)
      .lineWidth(1)
      .strokeColor(INK)
      .stroke();
    this.doc.y = y + 8;
  }

  private summary(): void {
    const doc = this.doc;
    const s = this.c.summary;
    this.section(s.heading);
    const gap = 6;
    const w = (WIDTH - gap * (s.figures.length - 1)) / s.figures.length;
    const y = doc.y;
    s.figures.forEach((f, i) => {
      const x = MARGIN + i * (w + gap);
      doc.rect(x, y, w, 52).lineWidth(0.5).strokeColor("#CCCCCC").stroke();
      doc.rect(x, y, w, 3).fill(f.tone ? PALETTE[f.tone] : MUTED);
      doc
        .font(BOLD)
        .fontSize(16)
        .fillColor(INK)
        .text(pdfSafeText(f.value), x + 6, y + 9, { width: w - 12, lineBreak: false });
      doc
        .font(REGULAR)
        .fontSize(7.5)
        .fillColor(MUTED)
        .text(pdfSafeText(f.label), x + 6, y + 30, { width: w - 12, height: 20 });
    });
    doc.y = y + 62;
    for (const line of s.sentences) {
      this.text(line, 10.5);
      doc.moveDown(0.35);
    }
    const p = this.c.plan;
    doc.moveDown(0.5);
    this.subheading(p.heading);
    for (const line of p.lines) {
      this.text(line, 9.5);
      doc.moveDown(0.3);
    }
    if (p.table) this.table(p.table, p.heading);
    if (p.warnings.length) {
      this.ensure(40);
      this.text(p.warningsHeading, 9.5, { font: BOLD });
      doc.moveDown(0.2);
      for (const w of p.warnings) {
        this.ensure(14);
        this.text(`•  ${w}`, 9, { indent: 0 });
        doc.moveDown(0.15);
      }
    }
  }

  private subheading(s: string): void {
    this.ensure(60);
    this.text(s, 11, { font: BOLD });
    this.doc.moveDown(0.3);
  }

  private chart(title: string, chart: Chart): void {
    this.ensure(chart.height + 30);
    this.doc.moveDown(0.4);
    this.text(title, 10.5, { font: BOLD });
    this.doc.moveDown(0.4);
    const y = this.doc.y;
    const x = MARGIN + (WIDTH - CHART_WIDTH) / 2;
    for (const s of chart.shapes) this.shape(s, x, y);
    this.doc.y = y + chart.height + 10;
  }

  private shape(s: Shape, ox: number, oy: number): void {
    const doc = this.doc;
    switch (s.kind) {
      case "rect":
        doc.rect(ox + s.x, oy + s.y, s.w, s.h).fill(s.fill);
        return;
      case "line":
      case "polyline": {
        const pts: [number, number][] =
          s.kind === "line"
            ? [
                [s.x1, s.y1],
                [s.x2, s.y2],
              ]
            : s.points;
        const [first, ...rest] = pts;
        if (!first) return;
        doc.moveTo(ox + first[0], oy + first[1]);
        for (const [x, y] of rest) doc.lineTo(ox + x, oy + y);
        if (s.dash !== undefined) doc.dash(s.dash, { space: s.dash });
        doc.lineWidth(s.width).lineJoin("round").strokeColor(s.stroke).stroke();
        doc.undash();
        return;
      }
      case "text": {
        const str = pdfSafeText(s.text);
        doc
          .font(s.bold ? BOLD : REGULAR)
          .fontSize(s.size)
          .fillColor(s.fill);
        const w = doc.widthOfString(str);
        const x = s.anchor === "start" ? s.x : s.anchor === "middle" ? s.x - w / 2 : s.x - w;
        doc.text(str, ox + x, oy + s.y, { lineBreak: false, baseline: "alphabetic" });
        return;
      }
    }
  }

  private block(s: Section): void {
    this.ensure(70);
    this.doc.moveDown(0.4);
    this.text(s.heading, 11, { font: BOLD });
    if (s.subtitle) this.text(s.subtitle, 8.5, { colour: MUTED });
    this.doc.moveDown(0.3);
    if (s.table) this.table(s.table, s.heading);
    else this.text(s.empty ?? "", 9);
  }

  /** Rows that do not fit go on the next page, under the block's heading "(continued)" and the header again. */
  private table(tb: Table, heading: string): void {
    const doc = this.doc;
    const total = tb.columns.reduce((a, c) => a + c.width, 0);
    const widths = tb.columns.map((c) => (WIDTH * c.width) / total);
    const header = () => {
      doc.font(BOLD).fontSize(TABLE_FONT);
      const h =
        Math.max(
          ...tb.columns.map((c, i) =>
            doc.heightOfString(pdfSafeText(c.label), { width: (widths[i] ?? 0) - 2 * PAD }),
          ),
        ) +
        2 * PAD;
      const y = doc.y;
      doc.rect(MARGIN, y, WIDTH, h).fill("#E6E6E6");
      let x = MARGIN;
      tb.columns.forEach((c, i) => {
        const w = widths[i] ?? 0;
        doc.fillColor(INK).text(pdfSafeText(c.label), x + PAD, y + PAD, {
          width: w - 2 * PAD,
          align: c.numeric ? "right" : "left",
        });
        x += w;
      });
      doc.y = y + h;
    };
    doc.font(BOLD).fontSize(TABLE_FONT);
    this.ensure(40);
    header();
    tb.rows.forEach((row, r) => {
      doc.font(REGULAR).fontSize(TABLE_FONT);
      const texts = row.map(cellText);
      const h =
        Math.max(
          ...texts.map((s, i) =>
            doc.heightOfString(s, { width: (widths[i] ?? 0) - 2 * PAD - (tone(row[i]) ? 9 : 0) }),
          ),
        ) +
        2 * PAD;
      if (doc.y + h > this.bottom) {
        doc.addPage();
        this.text(`${heading} ${t(this.c.lang, "continued")}`, 9, { font: BOLD, colour: MUTED });
        doc.moveDown(0.3);
        header();
        doc.font(REGULAR).fontSize(TABLE_FONT);
      }
      const y = doc.y;
      if (r % 2 === 1) doc.rect(MARGIN, y, WIDTH, h).fill("#F5F5F5");
      let x = MARGIN;
      row.forEach((cell, i) => {
        const w = widths[i] ?? 0;
        const colour = tone(cell);
        const numeric = tb.columns[i]?.numeric ?? false;
        let tx = x + PAD;
        if (colour) {
          // Beside the text it marks: a right-aligned number has its swatch just left of it.
          const sx = numeric ? x + w - PAD - doc.widthOfString(texts[i] ?? "") - 9 : tx;
          doc.rect(sx, y + PAD + 1, 6, 6).fill(colour);
          if (!numeric) tx += 9;
        }
        doc.fillColor(INK).text(texts[i] ?? "", tx, y + PAD, {
          width: x + w - PAD - tx,
          align: numeric ? "right" : "left",
        });
        x += w;
      });
      doc
        .moveTo(MARGIN, y + h)
        .lineTo(MARGIN + WIDTH, y + h)
        .lineWidth(0.3)
        .strokeColor("#CCCCCC")
        .stroke();
      doc.y = y + h;
    });
    doc.moveDown(0.8);
  }

  private method(): void {
    const m = this.c.method;
    this.section(m.heading);
    for (const [term, text] of m.terms) {
      this.ensure(30);
      this.doc.font(BOLD).fontSize(9.5).fillColor(INK);
      this.doc.text(`${pdfSafeText(term)}${this.c.lang === "fr" ? "\u00a0:" : ":"} `, MARGIN, this.doc.y, {
        width: WIDTH,
        continued: true,
      });
      this.doc.font(REGULAR).text(pdfSafeText(text));
      this.doc.moveDown(0.3);
    }
    this.doc.moveDown(0.3);
    for (const p of m.paragraphs) {
      this.text(p, 9.5);
      this.doc.moveDown(0.4);
    }
    this.ensure(30);
    const y = this.doc.y + 4;
    this.doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + 160, y)
      .lineWidth(0.5)
      .strokeColor(MUTED)
      .stroke();
    this.doc.y = y + 6;
    this.text(m.footnote, 8.5, { colour: MUTED });
  }
}

function cellText(cell: Cell | undefined): string {
  if (cell === undefined) return "";
  if (typeof cell === "string") return pdfSafeText(cell);
  if (Array.isArray(cell)) return cell.map(pdfSafeText).join("\n");
  return pdfSafeText(cell.text);
}

function tone(cell: Cell | undefined): string | null {
  return cell !== undefined && typeof cell === "object" && !Array.isArray(cell) ? PALETTE[cell.tone] : null;
}

/** What one page's footer says: the report's title and date, and its page number in the report's language(s). */
interface Footer {
  title: string;
  page: (page: number, pages: number) => string;
}

/** "Page X of Y" and the report's title and date on every page, drawn once the page count is known. */
function footers(doc: Doc, footer: (index: number) => Footer): void {
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const f = footer(i);
    // Below the bottom margin: with the margin left in place pdfkit would start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN - 6;
    doc
      .moveTo(MARGIN, y - 5)
      .lineTo(MARGIN + WIDTH, y - 5)
      .lineWidth(0.5)
      .strokeColor("#CCCCCC")
      .stroke();
    doc.font(REGULAR).fontSize(7.5).fillColor(MUTED);
    const page = pdfSafeText(f.page(i + 1, range.count));
    const pageW = Math.ceil(doc.widthOfString(page)) + 4;
    doc.text(pdfSafeText(f.title), MARGIN, y, {
      width: WIDTH - pageW - 12,
      lineBreak: false,
      ellipsis: true,
    });
    doc.text(page, MARGIN + WIDTH - pageW, y, { width: pageW, align: "right", lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}

/**
 * The bilingual cover: both titles, the key facts with both labels, the figures each with its English and French
 * label, the summary's first sentence in each language, and where each language's report starts (written last,
 * once the page numbers are known).
 */
class CoverWriter {
  private contentsY = 0;

  constructor(
    private readonly doc: Doc,
    private readonly c: CoverContent,
  ) {}

  private both([en, fr]: Pair): string {
    return pdfSafeText(en === fr ? en : `${en} / ${fr}`);
  }

  write(): void {
    const doc = this.doc;
    doc.outline.addItem(this.both([t("en", "cover.bookmark"), t("fr", "cover.bookmark")]));
    doc.rect(MARGIN, MARGIN, WIDTH, 4).fill(PALETTE.removed);
    doc.y = MARGIN + 16;
    doc.font(BOLD).fontSize(17).fillColor(INK);
    doc.text(pdfSafeText(this.c.titles[0]), MARGIN, doc.y, { width: WIDTH });
    doc.moveDown(0.3);
    doc.font(BOLD).fontSize(17).fillColor(MUTED);
    doc.text(pdfSafeText(this.c.titles[1]), MARGIN, doc.y, { width: WIDTH });
    doc.moveDown(1);
    const labelW = 190;
    for (const m of this.c.meta) {
      const y = doc.y;
      doc.font(REGULAR).fontSize(9).fillColor(MUTED);
      doc.text(this.both(m.labels), MARGIN, y, { width: labelW - 8 });
      const hk = doc.y;
      doc.fillColor(INK).text(this.both(m.values), MARGIN + labelW, y, { width: WIDTH - labelW });
      doc.y = Math.max(hk, doc.y) + 3;
    }
    doc.moveDown(1);
    this.figures();
    for (const [i, lead] of this.c.leads.entries()) {
      doc
        .font(REGULAR)
        .fontSize(11)
        .fillColor(i === 0 ? INK : MUTED);
      doc.text(pdfSafeText(lead), MARGIN, doc.y, { width: WIDTH });
      doc.moveDown(0.5);
    }
    doc.moveDown(1.5);
    this.contentsY = doc.y;
  }

  /** Figures two rows of three: wide enough for a French label under the English one. */
  private figures(): void {
    const doc = this.doc;
    const perRow = 3;
    const gap = 8;
    const w = (WIDTH - gap * (perRow - 1)) / perRow;
    const h = 62;
    const top = doc.y;
    this.c.figures.forEach((f, i) => {
      const x = MARGIN + (i % perRow) * (w + gap);
      const y = top + Math.floor(i / perRow) * (h + gap);
      doc.rect(x, y, w, h).lineWidth(0.5).strokeColor("#CCCCCC").stroke();
      doc.rect(x, y, w, 3).fill(f.tone ? PALETTE[f.tone] : MUTED);
      doc
        .font(BOLD)
        .fontSize(18)
        .fillColor(INK)
        .text(pdfSafeText(f.value), x + 8, y + 9, { width: w - 16, lineBreak: false });
      doc
        .font(REGULAR)
        .fontSize(8.5)
        .fillColor(INK)
        .text(pdfSafeText(f.labels[0]), x + 8, y + 32, { width: w - 16, lineBreak: false, ellipsis: true });
      doc
        .font("Helvetica-Oblique")
        .fontSize(8.5)
        .fillColor(MUTED)
        .text(pdfSafeText(f.labels[1]), x + 8, y + 44, { width: w - 16, lineBreak: false, ellipsis: true });
    });
    const rows = Math.ceil(this.c.figures.length / perRow);
    doc.y = top + rows * (h + gap) + 6;
  }

  /** Each language's report and its first page, on the cover. */
  contents(starts: { lang: Lang; page: number }[]): void {
    const doc = this.doc;
    doc.switchToPage(doc.bufferedPageRange().start);
    doc.y = this.contentsY;
    for (const p of this.c.parts) {
      const start = starts.find((s) => s.lang === p.lang);
      if (!start) continue;
      doc.font(BOLD).fontSize(12).fillColor(INK);
      doc.text(
        pdfSafeText(`${p.label} — ${t(p.lang, "cover.onPage", { page: start.page + 1 })}`),
        MARGIN,
        doc.y,
        {
          width: WIDTH,
          goTo: `part-${p.lang}`,
        },
      );
      doc.moveDown(0.4);
    }
  }
}
