import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import axe from "axe-core";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAssessmentKnowledge, runAssessment } from "../src/assess/index.js";
import { openInventory, type OpenInventory } from "../src/inventory/index.js";
import { addUser } from "../src/inventory/users.js";
import { startLab, type RunningLab } from "../src/lab/index.js";
import { buildServer } from "../src/server/app.js";
import { WEB_DIR } from "../src/server/web.js";

/**
 * The web app in a real browser (Debian's Chromium, driven by playwright-core) against the real server and store:
 * sign in, scan the device lab from the web and watch its devices arrive, take the hostile-named camera through
 * removal and sanitization with an evidence file, download a report; axe-core on every page. Screenshots are kept in
 * $CAMSWEEP_SCREENSHOTS when set. This file owns 127.97.0.0/24.
 */
const RANGE = "127.97.0.0/24";
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const why =
  process.getuid?.() !== 0
    ? "the lab's devices bind their real ports (80, 554, SADP's 37020/udp, where the model is told): needs root"
    : !existsSync(CHROMIUM)
      ? `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium)`
      : !existsSync(join(WEB_DIR, "index.html"))
        ? "the web app is not built (npm run build)"
        : undefined;
if (why) console.log(`browser test skipped: ${why}`);
const shots = process.env["CAMSWEEP_SCREENSHOTS"];

describe.skipIf(why !== undefined)("the web app in Chromium (real server, real store, device lab)", () => {
  let lab: RunningLab;
  let dir: string;
  let inv: OpenInventory;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const shot = async (name: string) => {
    if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  };
  /** axe-core in the page: WCAG 2.1 A and AA rules. */
  const violations = async () => {
    // Evaluated by the debugger protocol, not as a script tag: the page's CSP (no inline scripts) stays in force.
    await page.evaluate(axe.source);
    const r = await page.evaluate(() =>
      (
        globalThis as unknown as {
          axe: {
            run: (o: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>;
          };
        }
      ).axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
    );
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  };

  beforeAll(async () => {
    lab = await startLab({
      range: "127.97.0.10",
      personas: ["hostile-name", "axis-camera", "dahua-ipc"],
      portOffset: 0,
    });
    dir = mkdtempSync(join(tmpdir(), "camsweep-web-"));
    inv = await openInventory(join(dir, "data"), { databaseUrl: null });
    await inv.db.transaction((tx) =>
      addUser(
        tx,
        { actor: "test" },
        { name: "ada", role: "admin", organizationId: null, password: "correct horse ada staple" },
      ),
    );
    // The lab's addresses are a segment of one site, so its devices get an owner and a verdict (the board shows the
    // devices a verdict says must go). A US federal department: NDAA s.889 covers Dahua as well as Hikvision.
    await inv.store.addOrganization({
      id: "doe",
      name: "Department of Examples",
      type: "federal-department",
      jurisdiction: "US",
    });
    await inv.store.addSite({ id: "hq", organizationId: "doe", name: "Headquarters", criticality: "high" });
    await inv.store.addSegment("hq", "127.97.0.0/24", "lab");
    app = await buildServer({ inv, jobs: { allow: [RANGE] } });
    await app.listen({ host: "127.0.0.1", port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    // The page's own faults: a CSP refusal or a script error would show here. The expected 401 before sign-in is not one.
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    page.on("response", (r) => {
      if (r.status() >= 400 && r.status() !== 401) errors.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    page.on("console", (m) => {
      // Failed loads are told above with their address.
      if (m.type() === "error" && !/Failed to load resource/.test(m.text()))
        errors.push(`console: ${m.text()}`);
    });
    page.on("dialog", (d) => {
      errors.push(`a dialog opened (script ran): ${d.message()}`);
      void d.dismiss();
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await inv?.close();
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("signs in, scans the lab from the web, moves a device through removal and sanitization, downloads a report", async () => {
    await page.goto(base);
    await page.getByTestId("signin-name").fill("ada");
    await page.getByTestId("signin-password").fill("correct horse ada staple");
    expect(await violations()).toEqual([]);
    await shot("01-sign-in");
    await page.getByTestId("signin-submit").click();
    await page.getByTestId("nav-jobs").click();

    // A scan from the web: its devices arrive live, over Server-Sent Events.
    await page.getByTestId("scan-targets").fill(lab.devices.map((d) => d.address).join("\n"));
    await page.getByTestId("scan-start").click();
    await expect
      .poll(() => page.getByTestId("job-device").count(), { timeout: 30_000 })
      .toBe(lab.devices.length);
    await expect
      .poll(() => page.getByTestId("job-state").textContent(), { timeout: 30_000 })
      .toMatch(/done|terminé/i);
    // The recent jobs list is read again when the followed job ends: it does not show it running.
    await expect.poll(() => page.getByTestId("jobs-table").textContent()).toMatch(/done/);
    expect(await violations()).toEqual([]);
    await shot("02-scan-done");

    // The devices table shows the hostile model as text: no element made of it.
    await page.getByTestId("nav-devices").click();
    await expect.poll(() => page.getByTestId("device-row").count()).toBe(lab.devices.length);
    await expect
      .poll(() => page.getByTestId("device-total").textContent())
      .toMatch(new RegExp(`^${lab.devices.length}\\b`));
    const hostile = page.getByTestId("device-row").filter({ hasText: "onerror=alert(1)" });
    await expect.poll(() => hostile.count()).toBe(1);
    expect(await page.locator("img[src=x]").count()).toBe(0);
    expect(await violations()).toEqual([]);
    await shot("03-devices");

    // Its page, then the workflow: confirmed, scheduled, removed (footage stored), sanitized with evidence, closed.
    await hostile.getByTestId("device-link").click();
    await page.getByTestId("device-identity").waitFor();
    expect(await page.getByTestId("device-identity").textContent()).toContain("<img/src=x/onerror=alert(1)>");
    expect(await violations()).toEqual([]);
    const step = async (name: string) => {
      await page.getByTestId(`step-${name}`).click();
      await expect
        .poll(() => page.getByTestId("workflow-state").textContent())
        .toMatch(new RegExp(name, "i"));
    };
    await step("confirmed");
    await page.getByTestId("step-date").fill("2026-11-23");
    await step("scheduled");
    if (await page.getByTestId("step-storage").count())
      await page.getByTestId("step-storage").selectOption("present");
    await step("removed");
    await page.getByTestId("sanitize-medium").fill("microSD 128 GB, serial 9F3A");
    await page.getByTestId("sanitize-method").selectOption("purge");
    await page.getByTestId("sanitize-date").fill("2026-11-23");
    await page.getByTestId("sanitize-by").fill("Field team 3");
    if (await page.getByTestId("sanitize-certificate").count())
      await page.getByTestId("sanitize-certificate").fill("CERT-2026-0042");
    await page.getByTestId("sanitize-file").setInputFiles({
      name: "certificate.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("Certificate of sanitization CERT-2026-0042\n"),
    });
    await page.getByTestId("sanitize-submit").click();
    await expect.poll(() => page.getByTestId("workflow-state").textContent()).toMatch(/sanitized|assaini/i);
    await expect.poll(() => page.getByTestId("attachment-link").count()).toBe(1);
    await step("closed");
    expect(await violations()).toEqual([]);
    await shot("04-device-closed");

    // The board's bulk move: the Dahua camera, confirmed from its page, then scheduled from the board. Verdicts come
    // from an assessment, run as `camsweep assess` runs it (the web app starts none).
    await runAssessment(inv.store, {
      organizationId: null,
      loaded: loadAssessmentKnowledge({ dataDir: dir, today: "2026-11-23" }),
    });
    await page.getByTestId("nav-devices").click();
    await page.getByTestId("device-row").filter({ hasText: "dahua" }).getByTestId("device-link").click();
    await step("confirmed");
    await page.getByTestId("nav-board").click();
    const confirmed = page.getByTestId("board-column-confirmed").getByTestId("board-device");
    await expect.poll(() => confirmed.count()).toBe(1);
    await confirmed.getByRole("checkbox").check();
    await page.getByTestId("bulk-step").selectOption("scheduled");
    await page.getByTestId("bulk-date").fill("2026-12-01");
    await page.getByTestId("bulk-submit").click();
    await expect
      .poll(() => page.getByTestId("board-column-scheduled").getByTestId("board-device").count())
      .toBe(1);
    expect(await confirmed.count()).toBe(0);

    // The other pages pass axe too, in French as well.
    for (const nav of ["overview", "board", "plan", "screen", "reports"]) {
      await page.getByTestId(`nav-${nav}`).click();
      await page.waitForLoadState("networkidle");
      expect(await violations(), nav).toEqual([]);
      await shot(`05-${nav}`);
    }
    await page.getByTestId("lang-fr").click();
    await page.getByTestId("nav-overview").click();
    await page.waitForLoadState("networkidle");
    expect(await page.getAttribute("html", "lang")).toMatch(/^fr/);
    expect(await violations()).toEqual([]);
    await shot("06-overview-fr");

    // A report, downloaded: the hostile model escaped in it.
    await page.getByTestId("nav-reports").click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("report-html-en").click(),
    ]);
    const html = readFileSync((await download.path())!, "utf8");
    expect(html).toContain("&lt;img/src=x/onerror=alert(1)&gt;");
    expect(html).not.toContain("<img/src=x");
    expect(errors).toEqual([]);
  }, 120_000);
});
