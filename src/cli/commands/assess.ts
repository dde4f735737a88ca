import { loadAssessmentKnowledge, runAssessment, type AssessmentOutcome } from "../../assess/index.js";
import { openInventory } from "../../inventory/index.js";
import { dayFlag } from "../../shared/dates.js";
import { resolveDataDir } from "../../shared/paths.js";
import { auditContext, type AuditFlags } from "../audit-flags.js";
import { organizationFlag } from "../org-flag.js";
import { err, list, out } from "../output.js";
import { verifierFor, type VerifyFlags } from "./assess-verify.js";

/** `camsweep assess`: judge every device (or one organization's) and write the verdicts to the inventory. */
export interface AssessFlags extends AuditFlags, VerifyFlags {
  org?: string;
  policy?: string[];
  policyDir?: string[];
  asOf?: string;
  json?: boolean;
  dataDir?: string;
}

export async function assessCommand(flags: AssessFlags): Promise<number> {
  const dataDir = resolveDataDir(flags.dataDir);
  const today = dayFlag(flags.asOf); // the day KEV due dates are compared with
  const policies = flags.policy ? list(flags.policy) : undefined;
  // Knowledge first: a bad pack or feed stops here, before the inventory is opened or anything written.
  const loaded = loadAssessmentKnowledge({
    dataDir,
    ...(flags.policyDir ? { policyDirs: flags.policyDir } : {}),
    ...(policies ? { policies } : {}),
    today,
  });
  for (const w of loaded.warnings) err(`warning: ${w}`);
  const verify = flags.verify ? verifierFor(flags, today) : undefined;
  const inv = await openInventory(dataDir, { audit: auditContext(flags) });
  try {
    const org = await organizationFlag(inv.store, flags.org);
    const outcome = await runAssessment(inv.store, {
      organizationId: org,
      loaded,
      ...(verify ? { verify: (d, m) => verify.check(inv.store, d, m) } : {}),
    });
    if (flags.json) out(JSON.stringify({ ...outcome, packs: loaded.basis.packs, day: today }));
    else
      out(
        describe(
          outcome,
          loaded.basis.packs.map((p) => p.id),
          verify?.statement,
        ),
      );
    return 0;
  } finally {
    await inv.close();
  }
}

function describe(o: AssessmentOutcome, packs: string[], verifyStatement?: string): string {
  const n = (s: string) => o.counts[s] ?? 0;
  const changes = Object.entries(o.changes)
    .filter(([k]) => !k.startsWith("none>"))
    .map(([k, v]) => `${v} ${k.replace(">", " -> ")}`);
  const lines = [
    `assessed ${o.devices} devices (assessment ${o.id}) against ${packs.length} policy packs: ${packs.join(", ")}`,
    `  prohibited ${n("prohibited")}, advisory ${n("advisory")}, allowed ${n("allowed")}, on no site ${n("unowned")}; ` +
      `${o.kevDevices} with a KEV vulnerability`,
  ];
  if (changes.length) lines.push(`  changed since the last assessment: ${changes.join(", ")}`);
  if (verifyStatement) {
    const by = (s: string) => o.verifications.filter((v) => v.status === s).length;
    lines.push(
      `  verified ${o.verifications.length} devices: ${by("confirmed")} confirmed, ${by("not-vulnerable")} not vulnerable, ` +
        `${by("inconclusive")} inconclusive`,
      `  ${verifyStatement}`,
    );
  }
  lines.push(
    "camsweep status shows compliance per organization and site; status --devices shows each verdict's chain.",
  );
  return lines.join("\n");
}
