import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAssessmentKnowledge, runAssessment } from "../../assess/index.js";
import { openInventory } from "../../inventory/index.js";
import { todayUtc } from "../../shared/dates.js";
import type { LabDevice, RunningLab } from "../../lab/index.js";
import { formatSummary, summarize, formatDevices } from "../../report/index.js";
import { formatCompliance } from "../../report/compliance.js";
import { compareWithPersona } from "../../lab/expect.js";
import { scanLab } from "../lab-scan.js";
import { err, interruptSignal, out, outputFormat, type FormatFlags } from "../output.js";
import { startLabFromFlags, type LabFlags } from "./lab.js";

const DEMO_RANGE = "127.77.100.0/24";
// The demo's inventory is its own embedded one, even where DATABASE_URL names the real one (as scanLab's).
const embedded = { databaseUrl: null };

/** The simulated site belongs to a simulated federal agency, so the assessment has an owner to judge it for. */
async function ownTheLab(dataDir: string, lab: RunningLab, range: string): Promise<void> {
  const inv = await openInventory(dataDir, embedded);
  try {
    if (await inv.store.organizationExists("demo-agency")) return;
    await inv.store.addOrganization({
      id: "demo-agency",
      name: "A federal agency (simulated)",
      type: "agency",
      jurisdiction: "CA",
    });
    await inv.store.addSite({
      id: "demo-site",
      organizationId: "demo-agency",
      name: "The lab",
      criticality: "high",
    });
    const segments = range.includes("/") ? [range] : lab.devices.map((d) => `${d.address}/32`);
    for (const cidr of segments) await inv.store.addSegment("demo-site", cidr);
  } finally {
    await inv.close();
  }
}

/** Assesses the scanned lab against the bundled packs and returns the compliance status to print. */
async function assessTheLab(dataDir: string): Promise<string> {
  const today = todayUtc();
  const loaded = loadAssessmentKnowledge({ dataDir, today });
  const inv = await openInventory(dataDir, embedded);
  try {
    await runAssessment(inv.store, { organizationId: null, loaded });
    return formatCompliance(
      await inv.store.complianceBySite(null, today),
      await inv.store.latestAssessment(),
    );
  } finally {
    await inv.close();
  }
}

/** Starts the lab, scans it into an inventory, prints the devices and a summary, stops the lab. */
export async function demoCommand(flags: LabFlags & FormatFlags & { dataDir?: string }): Promise<number> {
  const format = outputFormat(flags);
  // Ctrl-C stops the scan, the lab and removes the temporary inventory instead of leaving them behind.
  const interrupt = interruptSignal();
  const dataDir = flags.dataDir ?? mkdtempSync(join(tmpdir(), "camsweep-demo-"));
  const lab = await startLabFromFlags({ ...flags, range: flags.range ?? DEMO_RANGE }).catch((e) => {
    interrupt.dispose();
    if (!flags.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw e;
  });
  try {
    err(`camsweep demo: ${lab.devices.length} simulated devices started on loopback; scanning them...`);
    if (lab.devices.some((d) => d.services.some((s) => s.port !== s.nominalPort))) {
      err(
        "camsweep demo: ports below 1024 need root here, so the lab moved them by +20000 and the scan follows",
      );
    }
    const range = flags.range ?? DEMO_RANGE;
    await ownTheLab(dataDir, lab, range);
    const { views, byAddress } = await scanLab(lab, dataDir, interrupt.signal);
    if (interrupt.signal.aborted) {
      err("camsweep demo: interrupted");
      return 130;
    }
    const misses = lab.devices.flatMap((d: LabDevice) => compareWithPersona(d, byAddress.get(d.address)));
    const verdict = misses.length
      ? `${misses.length} differences from the personas' expected identities:\n${misses.map((m) => `  ${m}`).join("\n")}`
      : `Every simulated device was identified as its persona expects (${lab.devices.length}/${lab.devices.length}).`;
    if (format !== "table") {
      out(formatDevices(views, format));
      if (misses.length) err(verdict);
    } else {
      out(formatDevices(views, "table"));
      out(`\n${formatSummary(summarize(views))}`);
      out(`\n${verdict}`);
      out(`\n${await assessTheLab(dataDir)}`);
      if (flags.dataDir)
        out(`Inventory kept in ${dataDir}: try \`camsweep devices --restricted --data-dir ${dataDir}\`.`);
    }
    return misses.length ? 1 : 0;
  } finally {
    interrupt.dispose();
    await lab.stop();
    if (!flags.dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
