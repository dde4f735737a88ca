import { PALETTE } from "./charts.js";
import {
  coverContent,
  reportContent,
  type Cell,
  type Pair,
  type ReportContent,
  type Section,
  type Table,
} from "./content.js";
import { locale, t } from "./i18n.js";
import type { Lang, ReportLang, ReportModel } from "./model.js";
import { escapeHtml } from "./safe-text.js";
import { chartSvg } from "./svg.js";

/**
 * The compliance report as one self-contained HTML file: inline CSS and SVG, no script, nothing fetched (the CSP
 * forbids it too), so it can be mailed, archived and printed as is. Every string is escaped where it is written.
 * "bilingual" gives a cover in both languages, then the English report and the French one, each in a section
 * marked with its language (`<section lang="fr-CA">`) so screen readers and hyphenation follow it.
 */
export function reportHtml(model: ReportModel, lang: ReportLang): string {
  if (lang === "bilingual") {
    const parts = (["en", "fr"] as const).map((l) => reportContent(model, l));
    const titles = parts.map((c) => c.title).join(" / ");
    return page(titles, "en", pageFooter(["en", "fr"]), [
      cover(model),
      ...parts.map(
        (c) =>
          `<section class="language" lang="${locale(c.lang)}" id="${c.lang}">\n${body(c, `${c.lang}-`)}\n</section>`,
      ),
    ]);
  }
  const c = reportContent(model, lang);
  return page(c.title, lang, pageFooter([lang]), [body(c, "")]);
}

function page(title: string, lang: Lang, footer: string, parts: string[]): string {
  return [
    "<!doctype html>",
    `<html lang="${locale(lang)}">`,
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${css(footer)}</style>`,
    "</head>",
    "<body>",
    ...parts,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** Text in both languages, each marked with its own; a value both write alike is written once. */
function both([en, fr]: Pair, sep = " / "): string {
  if (en === fr) return escapeHtml(en);
  return `<span lang="en-CA">${escapeHtml(en)}</span>${sep}<span lang="fr-CA">${escapeHtml(fr)}</span>`;
}

/** The bilingual first page: both titles, the key facts and figures with both labels, and where each part starts. */
function cover(model: ReportModel): string {
  const c = coverContent(model);
  const e = escapeHtml;
  return [
    `<section class="cover" id="cover"><header class="title"><h1>${both(c.titles, "<br>")}</h1><dl>`,
    ...c.meta.map((m) => `<dt>${both(m.labels)}</dt><dd>${both(m.values)}</dd>`),
    '</dl></header><div class="figures">',
    ...c.figures.map(
      (f) =>
        `<div class="figure${f.tone ? ` tone-${f.tone}` : ""}"><span class="value">${e(f.value)}</span>` +
        `<span class="label" lang="en-CA">${e(f.labels[0])}</span>` +
        `<span class="label" lang="fr-CA">${e(f.labels[1])}</span></div>`,
    ),
    "</div>",
    `<p class="lead" lang="en-CA">${e(c.leads[0])}</p>`,
    `<p class="lead" lang="fr-CA">${e(c.leads[1])}</p>`,
    '<nav><ul class="parts">',
    ...c.parts.map((p) => `<li><a href="#${p.lang}" lang="${locale(p.lang)}">${e(p.label)}</a></li>`),
    "</ul></nav></section>",
  ].join("\n");
}

/** One language's whole report; `id` prefixes every id so two languages can share a file. */
function body(c: ReportContent, id: string): string {
  const e = escapeHtml;
  const plan = c.plan;
  return [
    `<header class="title"><h1>${e(c.title)}</h1><dl>`,
    ...c.meta.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`),
    "</dl></header>",
    `<section id="${id}summary"><h2>${e(c.summary.heading)}</h2><div class="figures">`,
    ...c.summary.figures.map(
      (f) =>
        `<div class="figure${f.tone ? ` tone-${f.tone}` : ""}"><span class="value">${e(f.value)}</span>` +
        `<span class="label">${e(f.label)}</span></div>`,
    ),
    "</div>",
    ...c.summary.sentences.map((s) => `<p class="lead">${e(s)}</p>`),
    `<h3>${e(plan.heading)}</h3>`,
    ...plan.lines.map((l) => `<p>${e(l)}</p>`),
    plan.table ? table(plan.table) : "",
    plan.warnings.length
      ? `<h4>${e(plan.warningsHeading)}</h4><ul class="warnings">${plan.warnings.map((w) => `<li>${e(w)}</li>`).join("")}</ul>`
      : "",
    "</section>",
    `<section id="${id}charts" class="part"><h2>${e(c.charts.heading)}</h2>`,
    ...c.charts.items.map(
      (i) => `<figure><figcaption>${e(i.title)}</figcaption>${chartSvg(i.chart, i.title)}</figure>`,
    ),
    "</section>",
    `<section id="${id}organizations" class="part"><h2>${e(c.organizations.heading)}</h2>`,
    ...c.organizations.items.map((s) => section(s, "h3")),
    "</section>",
    `<section id="${id}devices" class="part"><h2>${e(c.devices.heading)}</h2>`,
    ...c.devices.items.map((s) => section(s, "h3")),
    "</section>",
    `<section id="${id}method" class="part"><h2>${e(c.method.heading)}</h2><dl class="terms">`,
    ...c.method.terms.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`),
    "</dl>",
    ...c.method.paragraphs.map((p) => `<p>${e(p)}</p>`),
    `<p class="footnote">${e(c.method.footnote)}</p>`,
    "</section>",
  ].join("\n");
}

/**
 * The running footer's CSS content: each language's "Page X of Y" around CSS counters, joined by " / ". Built from
 * fixed catalogue text; quotes cannot occur in it.
 */
function pageFooter(langs: Lang[]): string {
  const PAGE = "\u0001";
  const PAGES = "\u0002";
  const text = langs.map((l) => t(l, "page", { page: PAGE, pages: PAGES })).join(" / ");
  return text
    .split(/(\u0001|\u0002)/)
    .map((part) => (part === PAGE ? "counter(page)" : part === PAGES ? "counter(pages)" : `"${part}"`))
    .join(" ");
}

function section(s: Section, h: "h3"): string {
  return (
    `<div class="block"><${h}>${escapeHtml(s.heading)}</${h}>` +
    (s.subtitle ? `<p class="subtitle">${escapeHtml(s.subtitle)}</p>` : "") +
    (s.table ? table(s.table) : `<p>${escapeHtml(s.empty ?? "")}</p>`) +
    "</div>"
  );
}

function table(tb: Table): string {
  const total = tb.columns.reduce((a, c) => a + c.width, 0);
  const cols = tb.columns.map((c) => `<col style="width:${((100 * c.width) / total).toFixed(1)}%">`).join("");
  const head = tb.columns
    .map((c) => `<th${c.numeric ? ' class="num"' : ""}>${escapeHtml(c.label)}</th>`)
    .join("");
  const rows = tb.rows
    .map((r) => `<tr>${r.map((cell, i) => td(cell, tb.columns[i]?.numeric ?? false)).join("")}</tr>`)
    .join("\n");
  return `<table><colgroup>${cols}</colgroup><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function td(cell: Cell, numeric: boolean): string {
  const cls = numeric ? ' class="num"' : "";
  if (typeof cell === "string") return `<td${cls}>${escapeHtml(cell)}</td>`;
  if (Array.isArray(cell)) return `<td${cls}>${cell.map(escapeHtml).join("<br>")}</td>`;
  return `<td${cls}><span class="badge tone-${cell.tone}">${escapeHtml(cell.text)}</span></td>`;
}

/** Screen and print (A4 and Letter alike: the page size is the printer's, the margins fit both). */
function css(footer: string): string {
  const tones = (["prohibited", "excepted", "advisory", "allowed", "unowned", "removed"] as const)
    .map((k) => `.tone-${k}{--tone:${PALETTE[k]}}`)
    .join("");
  return `
:root{color-scheme:light;--ink:#222;--muted:#666;--rule:#ccc}
*{box-sizing:border-box}
body{font:14px/1.45 Helvetica,Arial,sans-serif;color:var(--ink);max-width:1050px;margin:24px auto;padding:0 20px}
h1{font-size:24px;margin:0 0 12px}h2{font-size:19px;border-bottom:2px solid var(--ink);padding-bottom:3px;margin:32px 0 12px}
h3{font-size:15px;margin:20px 0 6px}h4{font-size:13px;margin:12px 0 4px}
.title dl{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;margin:0}
.title dt{color:var(--muted)}.title dd{margin:0;overflow-wrap:anywhere}
.figures{display:grid;grid-template-columns:repeat(6,1fr);gap:8px;margin:8px 0 14px}
.figure{border:1px solid var(--rule);border-top:4px solid var(--tone,var(--muted));padding:6px 8px}
.figure .value{display:block;font-size:24px;font-weight:bold}.figure .label{display:block;font-size:12px;color:var(--muted)}
.cover h1{font-size:22px}.cover .figure .label[lang="fr-CA"]{font-style:italic}.parts{list-style:none;padding:0}
.parts li{display:inline-block;margin-right:24px;font-size:15px}.language{margin-top:40px;border-top:3px solid var(--ink)}
.lead{margin:4px 0}.subtitle{color:var(--muted);margin:0 0 6px}.warnings li{margin:2px 0}
figure{margin:12px 0 20px;break-inside:avoid}figcaption{font-weight:bold;margin-bottom:6px}
svg{width:100%;height:auto;display:block}
table{border-collapse:collapse;width:100%;table-layout:fixed;font-size:12px;margin:4px 0 12px}
th,td{border-bottom:1px solid var(--rule);padding:3px 5px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#eee}tbody tr:nth-child(even){background:#f7f7f7}.num{text-align:right}
.badge{border-left:10px solid var(--tone);padding-left:4px;display:inline-block}
dl.terms dt{font-weight:bold;margin-top:6px}dl.terms dd{margin:0 0 0 16px}
.footnote{font-size:12px;color:var(--muted);border-top:1px solid var(--rule);padding-top:6px}
${tones}
@page{margin:15mm 12mm;@bottom-right{content:${footer};font:9px Helvetica,Arial,sans-serif}}
@media print{
body{font-size:10pt;max-width:none;margin:0;padding:0}
h2{break-after:avoid}h3{break-after:avoid}.part,.language{break-before:page}.language{border-top:0;margin-top:0}
table{font-size:8pt}thead{display:table-header-group}tr{break-inside:avoid}
.figure,.block p.subtitle{break-inside:avoid}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
@media (max-width:700px){.figures{grid-template-columns:repeat(2,1fr)}}
`;
}
