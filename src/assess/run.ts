import type { DeviceToAssess, Store, StoredAssessment } from "../inventory/index.js";
import { assessDevice, type DeviceAssessment, type Verification } from "./assess.js";
import type { LoadedAssessmentKnowledge } from "./knowledge.js";
import type { VulnMatch } from "./vulns/index.js";

/**
 * An assessment run over the inventory: pages of devices read, judged by the pure core, and written back a page per
 * transaction. Each device's verdict is replaced whole; a run cut short leaves the devices it had not reached with
 * their earlier verdict, and stays marked as not done.
 */

export interface RunAssessmentOptions {
  organizationId: string | null;
  loaded: LoadedAssessmentKnowledge;
  /** optional read-only checks of a device's matched CVEs (assess --verify); none when absent */
  verify?: (device: DeviceToAssess, matches: readonly VulnMatch[]) => Promise<Verification[]>;
  pageSize?: number;
  onPage?: (done: number) => void;
}

export interface AssessmentOutcome {
  id: string;
  devices: number;
  counts: Record<string, number>;
  /** "from>to" status changes against each device's previous verdict */
  changes: Record<string, number>;
  /** devices with a KEV vulnerability matched */
  kevDevices: number;
  verifications: (Verification & { deviceId: string })[];
}

export async function runAssessment(store: Store, o: RunAssessmentOptions): Promise<AssessmentOutcome> {
  const id = await store.beginAssessment({ organizationId: o.organizationId, ...o.loaded.basis });
  const out: AssessmentOutcome = {
    id,
    devices: 0,
    counts: {},
    changes: {},
    kevDevices: 0,
    verifications: [],
  };
  const k = o.loaded.knowledge;
  try {
    let after: string | null = null;
    for (;;) {
      const page = await store.devicesToAssess(o.organizationId, after, o.pageSize ?? 500);
      if (!page.length) break;
      const results: StoredAssessment[] = [];
      for (const d of page) {
        let a = assessDevice(d, d.owner, k);
        if (o.verify && a.vulnerabilities.length) {
          const checks = await o.verify(d, a.vulnerabilities);
          if (checks.length) {
            a = assessDevice(d, d.owner, k, checks);
            out.verifications.push(...checks.map((c) => ({ ...c, deviceId: d.id })));
          }
        }
        results.push(stored(d, a));
        out.counts[a.status] = (out.counts[a.status] ?? 0) + 1;
        if (a.vulnerabilities.some((v) => v.kev)) out.kevDevices++;
      }
      for (const [change, n] of Object.entries(await store.saveAssessments(id, results)))
        out.changes[change] = (out.changes[change] ?? 0) + n;
      out.devices += page.length;
      o.onPage?.(out.devices);
      after = page[page.length - 1]!.id;
    }
  } catch (e) {
    await store
      .finishAssessment(id, "failed", { devices: out.devices, counts: out.counts, changes: out.changes })
      .catch(() => undefined);
    throw e;
  }
  await store.finishAssessment(id, "done", {
    devices: out.devices,
    counts: out.counts,
    changes: out.changes,
  });
  return out;
}

function stored(d: DeviceToAssess, a: DeviceAssessment): StoredAssessment {
  return {
    deviceId: d.id,
    organizationId: d.owner?.organization.id ?? null,
    siteId: d.owner?.site.id ?? null,
    status: a.status,
    risk: a.risk.score,
    riskLevel: a.risk.level,
    kev: a.vulnerabilities.filter((v) => v.kev).length,
    findings: { verdict: a.verdict, vulnerabilities: a.vulnerabilities, risk: a.risk },
  };
}
