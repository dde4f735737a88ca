import type { z } from "zod";
import type { DeviceDetailData } from "../../inventory/device-detail.js";
import type { Observation } from "../../observations/observation.js";
import type { WORKFLOW_STATES } from "../../remediation/states.js";
import type { Device, DeviceDetail } from "../../shared/wire/devices.js";
import { presentDevice } from "./schemas.js";

/** A device's page on the wire (src/shared/wire/devices.ts), presented from the store's data. */

/** Longest text any one field of the page carries: a hostile device cannot make the page huge. */
const CAP = 300;
const cap = (s: string) => (s.length > CAP ? `${s.slice(0, CAP - 1)}…` : s);

/** One line a person can read for an observation: what was asked and the gist of the answer. */
export function observationSummary(o: Observation): string {
  if (o.error) return cap(`error: ${o.error}`);
  const asked = o.request
    ? Object.entries(o.request)
        .filter(([, v]) => typeof v === "string" || typeof v === "number")
        .slice(0, 3)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(" ")
    : "";
  const r = o.response as Record<string, unknown> | undefined;
  const answer = !r
    ? ""
    : typeof r.status === "number"
      ? `status ${r.status}`
      : typeof r.text === "string"
        ? r.text
        : "cert" in r
          ? "certificate"
          : "";
  return cap([asked, answer].filter(Boolean).join(" → "));
}

/** Evidence files are kept as bytes; their kind is told by the name they were given, for the page only. */
const mediaTypeOf = (name: string) =>
  /\.pdf$/i.test(name)
    ? "application/pdf"
    : /\.(png|jpe?g)$/i.test(name)
      ? `image/${name.toLowerCase().endsWith("png") ? "png" : "jpeg"}`
      : /\.txt$/i.test(name)
        ? "text/plain"
        : "application/octet-stream";

export function presentDetail(d: DeviceDetailData): z.input<typeof DeviceDetail> {
  const r = d.record;
  const idf = r.identification;
  const w = d.workflow;
  const a = d.assessment;
  const attached = [...d.attachedAt];
  return {
    device: {
      ...presentDevice(
        r,
        (a?.status ?? null) as z.input<typeof Device>["status"],
        w.state as (typeof WORKFLOW_STATES)[number],
      ),
      openPorts: r.openPorts ?? [],
      organizationId: d.organizationId,
      organizationName: d.organizationName,
      siteName: d.siteName,
    },
    identity: {
      manufacturer: r.manufacturer,
      brand: r.brand,
      model: r.model,
      firmware: r.firmware,
      deviceType: r.deviceType,
      confidence: r.confidence,
      evidence: (idf?.evidence ?? []).slice(0, 100).map((e) => ({
        source: cap(
          [e.source.protocol, e.source.port ?? "", e.source.request ?? ""].filter((x) => x !== "").join(" "),
        ),
        field: e.field,
        value: cap(e.value),
        rule: e.rule,
        confidence: e.confidence,
        detail: e.excerpt ? cap(e.excerpt) : null,
      })),
      notes: (idf?.notes ?? []).slice(0, 50).map(cap),
    },
    observations: d.observations.map((o) => ({
      time: o.time ?? r.lastSeen,
      protocol: o.protocol,
      port: o.port ?? null,
      summary: observationSummary(o),
    })),
    risk: a && { score: a.risk, level: a.riskLevel, assessedAt: a.assessedAt },
    vulnerabilities: (a?.vulnerabilities ?? []).map((v) => ({
      id: v.id,
      kev: v.kev !== null,
      severity: v.cvss ? `${v.cvss.score} (CVSS ${v.cvss.version})` : null,
      certainty: v.certainty,
      title: cap(v.reason),
    })),
    verdicts: (a?.findings ?? []).map((f) => ({
      policy: f.policyId,
      verdict: f.binding ? ("binds" as const) : ("advises" as const),
      reason: cap(f.chain.map((c) => c.says).join(" ")),
    })),
    workflow: {
      state: w.state as (typeof WORKFLOW_STATES)[number],
      storage: w.storage,
      steps: w.steps.map((s) => ({ from: s.from, to: s.to, at: s.at, actor: s.actor, reason: s.reason })),
    },
    sanitizations: w.sanitizations.map((s) => ({
      id: s.id,
      medium: s.medium,
      method: s.method,
      date: s.date,
      by: s.by,
      certificate: s.certificate,
    })),
    exceptions: w.exceptions.map((e) => ({
      id: Number(e.id),
      state: e.state,
      justification: e.justification,
      expiresOn: e.expiresOn,
    })),
    attachments: w.evidence.map((e) => {
      // Links in the order they were made, as the workflow lists them: each takes its own time.
      const i = attached.findIndex((x) => x.sha256 === e.sha256);
      const at = i >= 0 ? attached.splice(i, 1)[0]!.at : r.lastSeen;
      return {
        sha256: e.sha256,
        name: e.name,
        size: e.size,
        mediaType: mediaTypeOf(e.name),
        owner: e.stepId !== null ? "step" : e.sanitizationId !== null ? "sanitization" : "exception",
        at,
      };
    }),
  };
}
