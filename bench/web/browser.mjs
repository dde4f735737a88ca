// The overview's first render in Debian's Chromium (playwright-core): from the navigation's start to the moment the
// totals cards and all three charts are in the DOM, measured in the page itself (performance.now() counts from the
// navigation's start), cold (the first visit after sign-in: the server's first overview since it opened the
// inventory) and warm (visited again). Also the same page reached by a click from another page, the app's own way.
// The functions handed to page.evaluate and addInitScript run in the page, where these are defined.
/* global document, MutationObserver, requestAnimationFrame */
import { chromium } from "playwright-core";

export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
/** What "rendered" means: the totals cards and the three charts (src/web/pages/Overview.tsx). */
const WATCH = ["card-devices", "burn-down", "by-manufacturer", "plan-vs-actual"];

/**
 * Runs in the page before its own scripts (through the debugger protocol, so the CSP stays whole): notes when every
 * watched element is first in the DOM, then when the frame after it has been painted.
 */
function watcher(ids) {
  const all = () => ids.every((id) => document.querySelector(`[data-testid="${id}"]`));
  const obs = new MutationObserver(() => {
    if (globalThis.__overview || !all()) return;
    obs.disconnect();
    globalThis.__overview = { inDom: performance.now() };
    performance.mark("overview-rendered");
    requestAnimationFrame(() => setTimeout(() => (globalThis.__overview.painted = performance.now()), 0));
  });
  obs.observe(document, { childList: true, subtree: true });
}

/** What the page says of one visit: the watcher's times, the requests' timings, and what it shows. */
function visitFacts(ids) {
  const nav = performance.getEntriesByType("navigation")[0];
  const res = performance.getEntriesByType("resource");
  const find = (part) => res.find((r) => r.name.includes(part));
  const ov = find("/api/v1/overview");
  const me = find("/api/v1/me");
  const q = (sel) => document.querySelector(sel);
  return {
    ...globalThis.__overview,
    domContentLoaded: nav?.domContentLoadedEventEnd ?? null,
    meEnd: me?.responseEnd ?? null,
    overviewStart: ov?.startTime ?? null,
    overviewEnd: ov?.responseEnd ?? null,
    overviewBytes: ov?.encodedBodySize ?? null,
    devicesCard: q('[data-testid="card-devices"] .card-value')?.textContent ?? null,
    charts: ids.slice(1).map((id) => q(`[data-testid="${id}"] svg`) !== null),
  };
}

const round = (x) => (x === null || x === undefined ? null : Math.round(x * 10) / 10);

/** One navigation to the overview, waited for until painted; checks it shows the inventory's devices and charts. */
async function visit(page, url, devices) {
  // A refused overview never renders: fail at once rather than at the timeout.
  let onResponse;
  const refused = new Promise((_, reject) => {
    onResponse = (r) => {
      if (r.url().includes("/api/v1/overview") && r.status() >= 400)
        reject(new Error(`GET /api/v1/overview: ${r.status()}`));
    };
  });
  refused.catch(() => undefined);
  page.on("response", onResponse);
  try {
    await page.goto(url, { waitUntil: "commit" });
    await Promise.race([
      page.waitForFunction(() => globalThis.__overview?.painted !== undefined, null, { timeout: 120_000 }),
      refused,
    ]);
  } finally {
    page.off("response", onResponse);
  }
  const f = await page.evaluate(visitFacts, WATCH);
  const shown = Number(String(f.devicesCard).replace(/\D/g, ""));
  if (shown !== devices) throw new Error(`the devices card shows ${f.devicesCard}, not ${devices}`);
  if (!f.charts.every(Boolean)) throw new Error(`a chart has no drawing: ${JSON.stringify(f.charts)}`);
  return {
    renderedMs: round(f.inDom),
    paintedMs: round(f.painted),
    domContentLoadedMs: round(f.domContentLoaded),
    meDoneMs: round(f.meEnd),
    overviewRequestMs: round(f.overviewStart),
    overviewResponseMs: round(f.overviewEnd),
    overviewBytes: f.overviewBytes,
  };
}

/** From a click on the overview's link (on the reports page) to the cards and charts in the DOM. */
async function inApp(page) {
  await page.getByTestId("nav-reports").click();
  await page.getByTestId("card-devices").waitFor({ state: "detached" });
  const ms = await page.evaluate(
    (ids) =>
      new Promise((resolve) => {
        const all = () => ids.every((id) => document.querySelector(`[data-testid="${id}"]`));
        const t0 = performance.now();
        const obs = new MutationObserver(() => {
          if (!all()) return;
          obs.disconnect();
          resolve(performance.now() - t0);
        });
        obs.observe(document, { childList: true, subtree: true });
        document.querySelector('[data-testid="nav-overview"]').click();
      }),
    WATCH,
  );
  return round(ms);
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor((s.length - 1) / 2)], worst: s.at(-1), all: xs };
};

/** Signs in (on the reports page, which asks for no data), then the cold visit, `warm` more, and `warm` clicks. */
export async function measureBrowser(base, { devices, warm, admin, log }) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  const errors = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(watcher, WATCH);
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    page.on("response", (r) => {
      if (r.status() >= 400 && r.status() !== 401) errors.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(`${base}/reports`);
    await page.getByTestId("signin-name").fill(admin.name);
    await page.getByTestId("signin-password").fill(admin.password);
    await page.getByTestId("signin-submit").click();
    await page.getByTestId("nav-overview").waitFor();
    const cold = await visit(page, `${base}/`, devices);
    log(
      `  browser cold: rendered ${cold.renderedMs} ms (overview answered at ${cold.overviewResponseMs} ms)`,
    );
    const visits = [];
    for (let i = 0; i < warm; i++) visits.push(await visit(page, `${base}/`, devices));
    const clicks = [];
    for (let i = 0; i < warm; i++) clicks.push(await inApp(page));
    const w = stats(visits.map((v) => v.renderedMs));
    log(
      `  browser warm: median ${w.median} ms, worst ${w.worst} ms; in-app clicks ${JSON.stringify(clicks)}`,
    );
    if (errors.length) throw new Error(`the page reported errors: ${errors.join("; ")}`);
    return {
      cold,
      warm: { rendered: w, painted: stats(visits.map((v) => v.paintedMs)), visits },
      inApp: stats(clicks),
      chromium: browser.version(),
    };
  } finally {
    await browser.close();
  }
}
