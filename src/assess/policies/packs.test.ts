import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { loadKnowledge } from "../../knowledge/load.js";
import { listFiles } from "../../shared/files.js";
import { packagePath } from "../../shared/paths.js";
import { defaultPolicyPackDir, loadPolicyPacks } from "./load.js";
import { jurisdictionWithin } from "./scope.js";
import { selectPacks } from "./select.js";

// The bundled packs against the rest of the knowledge base and against the reference they cite.
const packs = loadPolicyPacks();
const kb = loadKnowledge();

describe("bundled policy packs", () => {
  it("include the packs the tool promises, one file per pack named for its id", () => {
    const ids = packs.map((p) => p.id);
    for (const id of [
      "CA-ICA-2025-HIKVISION",
      "CA-ISED-2022-HUAWEI-ZTE",
      "CA-QC-2023-HIKVISION-DAHUA",
      "US-NDAA-FY2019-S889",
      "US-FCC-COVERED-LIST",
      "UK-CDL-WMS-2022",
      "AU-2023-REMOVALS",
    ])
      expect(ids).toContain(id);
    const files = listFiles(defaultPolicyPackDir(), /\.(ya?ml|json)$/).map((f) => basename(f));
    expect(files).toEqual(packs.map((p) => `${p.id}.yaml`));
  });

  // policies.yaml drives `restricted` in identification; the packs drive verdicts: they must not drift apart.
  it.each(kb.policies.map((p) => [p.id, p] as const))(
    "%s in policies.yaml has a pack with its groups",
    (id, policy) => {
      const pack = packs.find((p) => p.id === id);
      expect(pack, `knowledge/policy-packs/${id}.yaml`).toBeDefined();
      expect(pack?.covers.map((c) => c.group).sort()).toEqual([...policy.groups].sort());
      expect(pack?.date).toBe(policy.date);
    },
  );

  it("cover only groups of manufacturers.yaml", () => {
    const groups = new Set(kb.manufacturers.map((m) => m.group));
    for (const p of packs) for (const c of p.covers) expect(groups, `${p.id} ${c.group}`).toContain(c.group);
  });

  it("give every entity the vocabulary ties to a covered group a place in the reference", () => {
    // A covers entry's entities belong to that group in the vocabulary (manufacturer or brand entity), when known.
    const groupOfEntity = new Map<string, string>();
    for (const m of kb.manufacturers) if (m.entity) groupOfEntity.set(m.entity, m.group);
    for (const b of kb.brands) {
      const owner = kb.manufacturers.find((m) => m.slug === b.owner);
      if (b.entity && owner) groupOfEntity.set(b.entity, owner.group);
    }
    for (const p of packs)
      for (const c of p.covers)
        for (const e of [...c.entities, ...(c.interpretation ?? [])]) {
          const g = groupOfEntity.get(e);
          if (g !== undefined) expect(g, `${p.id} ${c.group} ${e}`).toBe(c.group);
        }
  });
});

// The facts: shared/reference next to the project (the tree this was written from). Absent in a published package.
const refPath = packagePath("..", "shared", "reference", "restricted-entities.json");
interface RefPolicy {
  id: string;
  date: string;
  sources: string[];
}
interface RefEntity {
  id: string;
  group: string;
  coveredBy?: string[];
}
interface Ref {
  policies: RefPolicy[];
  entities: RefEntity[];
  sources: Record<string, { title: string; location: string }>;
}

describe.skipIf(!existsSync(refPath))("bundled packs against restricted-entities.json", () => {
  // The describe's body runs even when skipped: read the reference only where it exists (a clean clone has none).
  const ref = (existsSync(refPath) ? JSON.parse(readFileSync(refPath, "utf8")) : {}) as Ref;
  const vocabularyGroups = new Set(kb.manufacturers.map((m) => m.group));

  it.each(packs.map((p) => [p.id, p] as const))("%s matches the reference", (id, pack) => {
    const policy = ref.policies.find((p) => p.id === id);
    expect(policy, "a policy of restricted-entities.json").toBeDefined();
    if (!policy) return;
    expect(pack.reference).toBe(`shared/reference/restricted-entities.json policies[${id}]`);
    // The reference's date field starts with the measure's date when it has one.
    const first = /^\d{4}-\d{2}-\d{2}/.exec(policy.date)?.[0];
    if (pack.date !== undefined) expect(pack.date).toBe(first);
    // Every source key is the reference's, every URL is in its location, and the policy's own keys are all here.
    for (const s of pack.sources) {
      const r = ref.sources[s.key];
      expect(r, `source ${s.key}`).toBeDefined();
      expect(s.title).toBe(r?.title);
      for (const u of s.urls) expect(r?.location, `${s.key} ${u}`).toContain(u);
    }
    for (const k of policy.sources) expect(pack.sources.map((s) => s.key)).toContain(k);
    // Entities named exist in the group they are listed under.
    for (const c of pack.covers)
      for (const e of [...c.entities, ...(c.interpretation ?? [])]) {
        const ent = ref.entities.find((x) => x.id === e);
        expect(ent, `entity ${e}`).toBeDefined();
        expect(ent?.group, `entity ${e}`).toBe(c.group);
      }
    // Every entity whose coveredBy cites this policy is listed, named or by interpretation.
    for (const ent of ref.entities) {
      const cites = (ent.coveredBy ?? []).filter((x) => x.startsWith(id) || x.includes(` ${id} `));
      if (cites.length === 0) continue;
      if (!vocabularyGroups.has(ent.group)) {
        // No maker of the vocabulary stands for it (DJI/Autel, group UAS): the pack must say it leaves it out.
        expect(pack.notes?.join(" "), `${ent.id} (${ent.group}) left out`).toContain(ent.group);
        continue;
      }
      const c = pack.covers.find((x) => x.group === ent.group);
      expect(c, `${ent.id} (${ent.group})`).toBeDefined();
      const interpreted = cites.every((x) => x.includes("interpretation"));
      expect(interpreted ? c?.interpretation : c?.entities, `${ent.id}: ${cites.join("; ")}`).toContain(
        ent.id,
      );
    }
  });
});

describe("jurisdictionWithin", () => {
  it("puts a subdivision inside its country, and nothing else", () => {
    expect(jurisdictionWithin("CA-QC", "CA")).toBe(true);
    expect(jurisdictionWithin("CA", "CA")).toBe(true);
    expect(jurisdictionWithin("CA", "CA-QC")).toBe(false);
    expect(jurisdictionWithin("CA-ON", "CA-QC")).toBe(false);
    expect(jurisdictionWithin("CAX", "CA")).toBe(false);
    expect(jurisdictionWithin("US-TX", "CA")).toBe(false);
  });
});

describe("selectPacks", () => {
  it("keeps all packs by default and the named ones in pack order", () => {
    expect(selectPacks(packs)).toEqual(packs);
    const two = selectPacks(packs, ["US-NDAA-FY2019-S889", "CA-ICA-2025-HIKVISION"]);
    expect(two.map((p) => p.id)).toEqual(["CA-ICA-2025-HIKVISION", "US-NDAA-FY2019-S889"]);
    expect(selectPacks(packs, [])).toEqual([]);
  });
  it("refuses an unknown id, naming it", () => {
    expect(() => selectPacks(packs, ["CA-ICA-2025-HIKVISON"])).toThrow(
      /unknown policy pack "CA-ICA-2025-HIKVISON"/,
    );
  });
});
