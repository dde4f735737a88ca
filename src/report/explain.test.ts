import { describe, expect, it } from "vitest";
import { ObservationSchema } from "../observations/observation.js";
import { identify, loadKnowledge } from "../identify/index.js";
import { formatExplanation } from "./explain.js";
import { presentIdentification } from "./present.js";

describe("identify --explain", () => {
  const kb = loadKnowledge();
  const policies = new Map(kb.policies.map((p) => [p.id, p]));

  it("shows the evidence per value, the policies, and device text escaped", () => {
    const o = ObservationSchema.parse({
      target: "127.0.0.5",
      protocol: "sadp",
      // SADP sample of protocols.md §1.3.
      response: {
        raw: "<ProbeMatch><DeviceDescription>DS-2CD2320D-I</DeviceDescription><MAC>44-47-cc-37-ce-81</MAC><SoftwareVersion>V5.5.6build 180326</SoftwareVersion></ProbeMatch>",
      },
    });
    const view = presentIdentification(identify([o], kb));
    // A terminal escape as a hostile device would put in any text the excerpt quotes.
    (view.evidence[0] as { excerpt: string }).excerpt += "\u001b[2J";
    const text = formatExplanation(view, policies);
    expect(text).toMatch(/^127\.0\.0\.5: hikvision, .*RESTRICTED/);
    expect(text).toMatch(/manufacturer: hikvision\n\s+0\.\d\d {2}sadp\./);
    expect(text).toMatch(/oui\.hikvision {2}on oui \(sadp IEEE registry 4447CC/);
    expect(text).toMatch(/CA-ICA-2025-HIKVISION: .*Investment Canada Act/);
    expect(text).not.toContain("\u001b");
    expect(text).toContain("\\x1b[2J");
  });

  it("says why a device is unknown and what could not be read", () => {
    const o = ObservationSchema.parse({
      target: "127.0.0.6",
      protocol: "http",
      port: 80,
      request: { method: "GET", path: "/ISAPI/System/deviceInfo" },
      response: { status: 200, headers: [], body: "<DeviceInfo><model>DS-2CD2032-I</mod" },
    });
    const text = formatExplanation(presentIdentification(identify([o], kb)), policies);
    expect(text).toContain("manufacturer: unknown (no evidence reached the 0.50 threshold)");
    expect(text).toMatch(/not read:\n\s+- http :80 GET \/ISAPI\/System\/deviceInfo: malformed XML/);
  });
});
