import { describe, expect, it } from "vitest";
import { loadKnowledge } from "../knowledge/load.js";
import { loadPolicyPacks } from "./policies/load.js";
import type { PolicyPack } from "./policies/schema.js";
import { selectPacks } from "./policies/select.js";
import { verdictFor, type Finding, type VerdictDevice, type VerdictOrganization } from "./verdict.js";

// Real data only: the bundled packs and vocabulary. Organizations are invented; their types are the inventory's.
const kb = loadKnowledge();
const all = loadPolicyPacks();
const canada = selectPacks(all, [
  "CA-ICA-2025-HIKVISION",
  "CA-ISED-2022-HUAWEI-ZTE",
  "CA-QC-2023-HIKVISION-DAHUA",
]);
const usPacks = all.filter((p) => p.jurisdiction === "US" || p.jurisdiction.startsWith("US-"));

const agencyCA: VerdictOrganization = { id: "ca-agency", type: "agency", jurisdiction: "CA" };
const crownCA: VerdictOrganization = { id: "ca-crown", type: "crown-corporation", jurisdiction: "CA" };
const privateCA: VerdictOrganization = { id: "ca-company", type: "private", jurisdiction: "CA" };
const federalInQC: VerdictOrganization = {
  id: "ca-dept-qc-office",
  type: "federal-department",
  jurisdiction: "CA-QC",
};
const provincialQC: VerdictOrganization = { id: "qc-ministry", type: "provincial", jurisdiction: "CA-QC" };
const agencyUS: VerdictOrganization = { id: "us-agency", type: "agency", jurisdiction: "US" };
const privateUS: VerdictOrganization = { id: "us-company", type: "private", jurisdiction: "US" };

function device(manufacturer: string | null, extra: Partial<VerdictDevice> = {}): VerdictDevice {
  return { manufacturer, brand: null, model: null, deviceType: "camera", confidence: 0.95, ...extra };
}
// Model quoted in shared/reference/protocols.md §1.3 (SADP ProbeMatch).
const hikvision = device("hikvision", { model: "DS-2CD2320D-I" });
const dahua = device("dahua");
const axis = device("axis");

function only(findings: Finding[], policyId: string): Finding {
  const f = findings.filter((x) => x.policyId === policyId);
  expect(f, policyId).toHaveLength(1);
  return f[0] as Finding;
}
function step<K extends Finding["chain"][number]["step"]>(f: Finding, k: K) {
  const s = f.chain.find((c) => c.step === k);
  expect(s, k).toBeDefined();
  return s as Extract<Finding["chain"][number], { step: K }>;
}

describe("Hikvision under Canada's 2025 order", () => {
  const packs = selectPacks(all, ["CA-ICA-2025-HIKVISION"]);

  it.each([agencyCA, crownCA])("is prohibited for a federal body ($type)", (org) => {
    const v = verdictFor(hikvision, org, packs, kb);
    expect(v.status).toBe("prohibited");
    const f = only(v.findings, "CA-ICA-2025-HIKVISION");
    expect(f.binding).toBe(true);
    expect(f.clause.id).toBe("scope-federal");
    expect(f.prohibits).toMatchObject({ buy: true, use: true });
    expect(step(f, "organization")).toMatchObject({ scope: "binds", rule: "federal-bodies" });
    expect(step(f, "organization").why).toContain(
      `type ${org.type} is one of federal-department, agency, crown-corporation`,
    );
  });

  it("is advisory for a private company", () => {
    const v = verdictFor(hikvision, privateCA, packs, kb);
    expect(v.status).toBe("advisory");
    const f = only(v.findings, "CA-ICA-2025-HIKVISION");
    expect(f.binding).toBe(false);
    expect(f.clause.text).toMatch(/none binding/);
    expect(step(f, "organization")).toMatchObject({ scope: "advises", rule: "public-private" });
  });

  it("binds a federal office recorded in Quebec: CA-QC lies inside CA", () => {
    const v = verdictFor(hikvision, federalInQC, packs, kb);
    expect(v.status).toBe("prohibited");
    expect(step(only(v.findings, "CA-ICA-2025-HIKVISION"), "organization").why).toContain(
      "jurisdiction CA-QC is within CA",
    );
  });

  it("gives the same statuses with every bundled pack in force", () => {
    expect(verdictFor(hikvision, agencyCA, all, kb).status).toBe("prohibited");
    expect(verdictFor(hikvision, crownCA, all, kb).status).toBe("prohibited");
    expect(verdictFor(hikvision, privateCA, all, kb).status).toBe("advisory");
  });
});

describe("Dahua follows the packs chosen", () => {
  it("is prohibited for a U.S. federal agency under the U.S. packs (s.889 Part A)", () => {
    const v = verdictFor(dahua, agencyUS, usPacks, kb);
    expect(v.status).toBe("prohibited");
    const f = only(v.findings, "US-NDAA-FY2019-S889");
    expect(f).toMatchObject({ binding: true, clause: { id: "part-a" }, deadline: { date: "2019-08-13" } });
    expect(step(f, "covered")).toMatchObject({ group: "Dahua", entity: "dahua-parent", basis: "named" });
    expect(step(f, "covered").qualifier).toMatch(/public safety/);
    // The FCC packs bind suppliers and USF recipients, not an agency as such.
    expect(v.findings.map((x) => x.policyId)).toEqual(["US-NDAA-FY2019-S889"]);
  });

  it("is allowed for a Canadian federal agency under only the Canadian packs", () => {
    expect(verdictFor(dahua, agencyCA, canada, kb)).toEqual({ status: "allowed", findings: [], toCheck: [] });
    expect(verdictFor(dahua, federalInQC, canada, kb).status).toBe("allowed");
  });

  it("is prohibited for a Quebec provincial body under the Quebec decree, and only there", () => {
    const v = verdictFor(dahua, provincialQC, canada, kb);
    expect(v.status).toBe("prohibited");
    const f = only(v.findings, "CA-QC-2023-HIKVISION-DAHUA");
    expect(step(f, "organization")).toMatchObject({
      rule: "provincial-bodies",
      why: ["type provincial is one of provincial", "jurisdiction CA-QC"],
    });
    expect(verdictFor(dahua, { ...provincialQC, jurisdiction: "CA-ON" }, canada, kb).status).toBe("allowed");
  });

  it("binds a contractor of U.S. agencies anywhere, only when it is declared one (s.889 Part B)", () => {
    expect(verdictFor(dahua, privateUS, usPacks, kb).status).toBe("allowed");
    const contractor = { ...privateCA, sectors: ["us-federal-contractor"] as const };
    const v = verdictFor(dahua, contractor, usPacks, kb);
    expect(v.status).toBe("prohibited");
    const f = only(v.findings, "US-NDAA-FY2019-S889");
    expect(f).toMatchObject({ clause: { id: "part-b" }, deadline: { date: "2020-08-13" } });
    expect(f.prohibits.use).toMatch(/may not contract/);
    expect(step(f, "organization").why).toEqual([
      "the organization is a us-federal-contractor",
      "any jurisdiction",
    ]);
  });
});

describe("an Axis device", () => {
  const orgs = [agencyCA, crownCA, privateCA, federalInQC, provincialQC, agencyUS, privateUS];
  it.each(orgs)("is allowed for $id under every bundled pack", (org) => {
    expect(verdictFor(axis, org, all, kb)).toEqual({ status: "allowed", findings: [], toCheck: [] });
  });
});

describe("the evidence chain", () => {
  const cases: [string, VerdictDevice, VerdictOrganization][] = [
    ["hikvision/agency CA", hikvision, agencyCA],
    ["hikvision/private CA", hikvision, privateCA],
    ["dahua/agency US", dahua, agencyUS],
    ["dahua/provincial QC", dahua, provincialQC],
  ];
  it.each(cases)(
    "%s: device -> maker -> covered -> policy (with its sources) -> organization",
    (_n, d, org) => {
      const v = verdictFor(d, org, all, kb);
      expect(v.findings.length).toBeGreaterThan(0);
      for (const f of v.findings) {
        expect(f.chain.map((s) => s.step)).toEqual([
          "device",
          "manufacturer",
          "covered",
          "policy",
          "organization",
        ]);
        const pack = all.find((p) => p.id === f.policyId) as PolicyPack;
        const policy = step(f, "policy");
        expect(policy.instrument).toBe(pack.instrument);
        expect(policy.sources.length).toBeGreaterThan(0);
        for (const s of pack.sources) expect(policy.says).toContain(s.key);
        expect(step(f, "manufacturer")).toMatchObject({
          slug: d.manufacturer,
          confidence: 0.95,
          suspected: false,
        });
        expect(step(f, "manufacturer").sources.length).toBeGreaterThan(0);
        expect(step(f, "covered").ref).toMatch(/^shared\/reference\/restricted-entities\.json entities\[/);
        expect(step(f, "organization").organizationId).toBe(org.id);
      }
    },
  );

  it("says when a brand is covered only by interpretation (HiWatch under Canada's order)", () => {
    const hiwatch = device("hikvision", { brand: "HIWATCH" });
    const ca = only(verdictFor(hiwatch, agencyCA, all, kb).findings, "CA-ICA-2025-HIKVISION");
    expect(step(ca, "covered")).toMatchObject({
      entity: "hiwatch",
      basis: "interpretation",
      brand: { name: "HiWatch" },
    });
    const us = only(verdictFor(hiwatch, agencyUS, all, kb).findings, "US-NDAA-FY2019-S889");
    expect(step(us, "covered")).toMatchObject({ entity: "hiwatch", basis: "affiliate" });
    // An OEM label without an entity of its own falls back to the maker's.
    const lts = only(
      verdictFor(device("hikvision", { brand: "LTS" }), agencyCA, all, kb).findings,
      "CA-ICA-2025-HIKVISION",
    );
    expect(step(lts, "covered")).toMatchObject({
      entity: "hikvision-parent",
      basis: "named",
      brand: { relation: "oem-relabel" },
    });
  });
});

describe("other packs", () => {
  it("UK: binds central government departments, advises private companies, says nothing of agencies", () => {
    const gb = (type: VerdictOrganization["type"]) =>
      verdictFor(hikvision, { id: "gb", type, jurisdiction: "GB" }, all, kb);
    expect(gb("federal-department").status).toBe("prohibited");
    expect(only(gb("federal-department").findings, "UK-CDL-WMS-2022").deadline?.date).toBe("2024-04-26");
    expect(gb("private").status).toBe("advisory");
    expect(gb("agency").status).toBe("allowed");
  });

  it("Australia: advisory for Commonwealth departments, since no instrument binds them", () => {
    const v = verdictFor(dahua, { id: "au-dept", type: "federal-department", jurisdiction: "AU" }, all, kb);
    expect(v.status).toBe("advisory");
    expect(only(v.findings, "AU-2023-REMOVALS").binding).toBe(false);
  });

  it("Huawei: binds a Canadian telecom service provider, with the earliest deadline; not other companies", () => {
    const huawei = device("huawei", { deviceType: "other" });
    expect(verdictFor(huawei, privateCA, canada, kb).status).toBe("allowed");
    const v = verdictFor(huawei, { ...privateCA, sectors: ["telecom-service-provider"] }, canada, kb);
    expect(v.status).toBe("prohibited");
    expect(only(v.findings, "CA-ISED-2022-HUAWEI-ZTE").deadline).toMatchObject({ date: "2022-09-01" });
  });

  it("a binding pack that prohibits nothing gives advice, not a prohibition", () => {
    const ica = all.find((p) => p.id === "CA-ICA-2025-HIKVISION") as PolicyPack;
    const toothless: PolicyPack = { ...ica, prohibits: { buy: false, use: false, keep: false } };
    const v = verdictFor(hikvision, agencyCA, [toothless], kb);
    expect(v.status).toBe("advisory");
    expect(v.findings[0]?.binding).toBe(true);
  });
});

describe("devices to check and unknown makers", () => {
  it("keeps a suspected maker out of the status and lists what would apply", () => {
    const lorex = device(null, {
      brand: "Lorex",
      confidence: 0,
      suspected: [{ manufacturer: "dahua", confidence: 0.4 }],
    });
    const v = verdictFor(lorex, provincialQC, canada, kb);
    expect(v.status).toBe("allowed");
    expect(v.findings).toEqual([]);
    const f = only(v.toCheck, "CA-QC-2023-HIKVISION-DAHUA");
    expect(step(f, "manufacturer")).toMatchObject({ slug: "dahua", suspected: true, confidence: 0.4 });
    expect(step(f, "covered")).toMatchObject({ entity: "lorex", basis: "group", brand: { name: "Lorex" } });
  });

  it("gives no verdict for a slug outside the vocabulary rather than calling it allowed", () => {
    expect(() => verdictFor(device("hikvison"), agencyCA, all, kb)).toThrow(
      /"hikvison" is not in the vocabulary/,
    );
  });
});
