import { describe, expect, it } from "vitest";
import { identify, loadKnowledge } from "../../identify/index.js";
import type { Identification } from "../../identify/identification.js";
import { ObservationSchema, type Observation } from "../../observations/observation.js";
import { bundledVulnerabilityPath, readVulnerabilityKb } from "../vulns/load.js";
import { matchVulnerabilities, type VulnMatch } from "../vulns/match.js";
import type { Vulnerability } from "../vulns/schema.js";
import {
  cloudContacts,
  compareRisk,
  levelOf,
  loadRiskWeights,
  ransomwareCves,
  riskOf,
  type CloudContact,
  type Risk,
  type RiskInput,
  type RiskRank,
} from "./index.js";

// The bundled weights: every expectation below reads its numbers from them, so the tests check the arithmetic and
// the shown factors, not today's choice of numbers.
const w = loadRiskWeights();

const TODAY = "2026-11-22";
const base = (over: Partial<RiskInput> = {}): RiskInput => ({
  verdict: "allowed",
  vulnerabilities: [],
  deviceType: "camera",
  exposure: null,
  cloud: [],
  siteCriticality: null,
  today: TODAY,
  ...over,
});
const vuln = (over: Partial<VulnMatch> & { id: string }): VulnMatch => ({
  certainty: "exact",
  kev: null,
  cvss: null,
  disputed: false,
  reason: "test",
  ...over,
});
const KEV_36260 = { dateAdded: "2022-01-10", dueDate: "2022-01-24" };
const factor = (r: Risk, name: string) => r.factors.filter((f) => f.factor === name);
const sum = (r: Risk) => r.factors.reduce((s, f) => s + f.points, 0);
const contact = (query: string, role: CloudContact["role"]): CloudContact => ({
  query,
  service: "Hik-Connect",
  maker: "hikvision",
  role,
});

describe("riskOf: each factor moves the score and shows up", () => {
  const cases: {
    name: string;
    over: Partial<RiskInput>;
    factor: string;
    points: number;
    says: RegExp;
    refs: string[];
  }[] = [
    {
      name: "prohibited verdict",
      over: { verdict: "prohibited", policies: ["CA-ICA-2025-HIKVISION", "US-NDAA-FY2019-S889"] },
      factor: "policy",
      points: w.policy.prohibited.points,
      says: /^prohibited by CA-ICA-2025-HIKVISION, US-NDAA-FY2019-S889$/,
      refs: ["CA-ICA-2025-HIKVISION", "US-NDAA-FY2019-S889"],
    },
    {
      name: "advisory verdict, no policy ids",
      over: { verdict: "advisory" },
      factor: "policy",
      points: w.policy.advisory.points,
      says: /^advised against by policy$/,
      refs: ["verdict advisory"],
    },
    {
      name: "KEV at exact firmware, due date passed",
      over: { vulnerabilities: [vuln({ id: "CVE-2021-36260", kev: KEV_36260 })] },
      factor: "kev",
      points: w.kev.exact.points + w.kev.duePassed.points,
      says: /^KEV CVE-2021-36260 at exact firmware \(due 2022-01-24, passed\)$/,
      refs: ["CVE-2021-36260"],
    },
    {
      name: "a CVE outside KEV, by its CVSS band",
      over: { vulnerabilities: [vuln({ id: "CVE-2017-7923", cvss: { score: 8.8, version: "3.0" } })] },
      factor: "cve",
      points: w.cves.bands.find((b) => 8.8 >= b.minScore)?.exact ?? -1,
      says: /^CVE-2017-7923 \(CVSS 8\.8 v3\.0, high\) at exact firmware$/,
      refs: ["CVE-2017-7923"],
    },
    {
      name: "internet exposure",
      over: { exposure: { internet: true, source: "shodan export 2026-11-01" } },
      factor: "exposure",
      points: w.exposure.internet.points,
      says: /^reachable from the internet \(shodan export 2026-11-01\)$/,
      refs: ["shodan export 2026-11-01"],
    },
    {
      name: "cloud P2P contact",
      over: { cloud: [contact("litedev.hik-connect.com", "device")] },
      factor: "cloud",
      points: w.cloud.device.points,
      says: /litedev\.hik-connect\.com \(Hik-Connect, device endpoint\)/,
      refs: ["litedev.hik-connect.com"],
    },
    {
      name: "site criticality",
      over: { siteCriticality: "critical" },
      factor: "site-criticality",
      points: w.siteCriticality.critical.points,
      says: /^site criticality critical$/,
      refs: ["site criticality critical"],
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const before = riskOf(base(), w);
      const after = riskOf(base(c.over), w);
      expect(c.points).toBeGreaterThan(0);
      expect(after.score - before.score).toBe(c.points);
      expect(factor(before, c.factor)).toEqual([]);
      const [f] = factor(after, c.factor);
      expect(f?.points).toBe(c.points);
      expect(f?.says).toMatch(c.says);
      expect(f?.refs).toEqual(c.refs);
      expect(f?.weights.length).toBeGreaterThan(0);
    });

  it("device type: an NVR counts more than a camera, and says so", () => {
    const cam = riskOf(base({ deviceType: "camera" }), w);
    const nvr = riskOf(base({ deviceType: "nvr" }), w);
    const dvr = riskOf(base({ deviceType: "dvr" }), w);
    expect(nvr.score - cam.score).toBe(w.deviceType.nvr.points - w.deviceType.camera.points);
    expect(nvr.score).toBeGreaterThan(cam.score);
    expect(dvr.score).toBeGreaterThan(cam.score);
    expect(factor(nvr, "device-type")).toEqual([
      {
        factor: "device-type",
        points: w.deviceType.nvr.points,
        says: "device type nvr",
        refs: ["nvr"],
        weights: ["deviceType.nvr"],
      },
    ]);
  });

  it("a factor worth 0 points is left out; the score is the sum of the factors shown", () => {
    const r = riskOf(base({ deviceType: "other", siteCriticality: "low" }), w);
    expect(w.deviceType.other.points).toBe(0);
    expect(w.siteCriticality.low.points).toBe(0);
    expect(r.factors).toEqual([]);
    expect(r.score).toBe(0);
    expect(r.level).toBe("low");
    const busy = riskOf(
      base({
        verdict: "prohibited",
        deviceType: "nvr",
        siteCriticality: "high",
        cloud: [contact("x.com", "app")],
      }),
      w,
    );
    expect(busy.factors.map((f) => f.factor)).toEqual(["policy", "cloud", "device-type", "site-criticality"]);
    expect(busy.score).toBe(sum(busy));
  });
});

describe("riskOf: what is not known is not counted as safe", () => {
  it("unknown exposure adds nothing and is listed as unknown; known-not-exposed adds nothing and is not", () => {
    const unknown = riskOf(base({ exposure: null }), w);
    const closed = riskOf(base({ exposure: { internet: false, source: "firewall review" } }), w);
    expect(factor(unknown, "exposure")).toEqual([]);
    expect(factor(closed, "exposure")).toEqual([]);
    expect(unknown.unknown).toContain("internet exposure");
    expect(closed.unknown).not.toContain("internet exposure");
    expect(unknown.score).toBe(closed.score);
  });

  it("site criticality and device type unknown are listed too", () => {
    const r = riskOf(base({ siteCriticality: null, deviceType: "unknown" }), w);
    expect(r.unknown).toEqual(["internet exposure", "device type", "site criticality"]);
    const known = riskOf(
      base({ siteCriticality: "normal", deviceType: "camera", exposure: { internet: false, source: "x" } }),
      w,
    );
    expect(known.unknown).toEqual([]);
  });
});

describe("riskOf: KEV", () => {
  it("family certainty counts less than exact firmware, and says which", () => {
    const exact = riskOf(base({ vulnerabilities: [vuln({ id: "CVE-2021-36260", kev: KEV_36260 })] }), w);
    const family = riskOf(
      base({ vulnerabilities: [vuln({ id: "CVE-2021-36260", kev: KEV_36260, certainty: "family" })] }),
      w,
    );
    expect(exact.score - family.score).toBe(w.kev.exact.points - w.kev.family.points);
    expect(exact.score).toBeGreaterThan(family.score);
    expect(factor(family, "kev")[0]?.says).toBe(
      "KEV CVE-2021-36260 at family certainty (due 2022-01-24, passed)",
    );
    expect(factor(family, "kev")[0]?.weights).toEqual(["kev.family", "kev.duePassed"]);
    expect(exact.exactKev).toBe(1);
    expect(family.exactKev).toBe(0);
  });

  it("the due date counts only once `today` is past it", () => {
    const at = (today: string) =>
      riskOf(base({ today, vulnerabilities: [vuln({ id: "CVE-2021-36260", kev: KEV_36260 })] }), w);
    const before = at("2022-01-10");
    const onDay = at("2022-01-24");
    const after = at("2022-01-25");
    expect(factor(before, "kev")[0]?.points).toBe(w.kev.exact.points);
    expect(factor(before, "kev")[0]?.says).toContain("due 2022-01-24, not yet passed");
    expect(onDay.score).toBe(before.score);
    expect(after.score - before.score).toBe(w.kev.duePassed.points);
    expect(factor(after, "kev")[0]?.says).toContain("due 2022-01-24, passed");
  });

  it("known ransomware use adds its weight; ransomwareCves reads it from the KEV data", () => {
    const v = vuln({ id: "CVE-2021-36260", kev: KEV_36260 });
    const plain = riskOf(base({ vulnerabilities: [v] }), w);
    const ransom = riskOf(base({ vulnerabilities: [v], ransomware: ["CVE-2021-36260"] }), w);
    expect(ransom.score - plain.score).toBe(w.kev.ransomware.points);
    expect(factor(ransom, "kev")[0]?.says).toContain("known ransomware use");
    const kev = (id: string, use?: string) =>
      ({
        id,
        kev: { dateAdded: "2022-01-10", dueDate: "2022-01-24", source: "t", knownRansomwareCampaignUse: use },
      }) as unknown as Vulnerability;
    expect(
      ransomwareCves({
        vulnerabilities: [
          kev("CVE-2000-0001", "Known"),
          kev("CVE-2000-0002", "Unknown"),
          kev("CVE-2000-0003"),
        ],
      }),
    ).toEqual(["CVE-2000-0001"]);
    // The bundled data has no Known entry today: nothing is invented.
    const bundled = readVulnerabilityKb(bundledVulnerabilityPath());
    for (const id of ransomwareCves(bundled))
      expect(bundled.vulnerabilities.find((x) => x.id === id)?.kev?.knownRansomwareCampaignUse).toMatch(
        /known/i,
      );
  });

  it("KEV points stop at the cap; the last one counted says so and names what it left out", () => {
    const ids = ["CVE-2021-33044", "CVE-2021-33045", "CVE-2021-36260", "CVE-2020-5735"];
    const r = riskOf(base({ vulnerabilities: ids.map((id) => vuln({ id, kev: KEV_36260 })) }), w);
    const kev = factor(r, "kev");
    const each = w.kev.exact.points + w.kev.duePassed.points;
    expect(each * ids.length).toBeGreaterThan(w.kev.cap.points);
    expect(kev.reduce((s, f) => s + f.points, 0)).toBe(w.kev.cap.points);
    const last = kev[kev.length - 1];
    expect(last?.says).toMatch(/\[KEV CVEs count \d+ points at most(: \d+ cut to \d+)?; .*not counted\]$/);
    // the strongest go first, by id on equal points; every CVE is either counted or named as left out
    for (const id of ids) expect(kev.some((f) => f.refs.includes(id) || f.says.includes(id))).toBe(true);
    expect(kev[0]?.refs).toEqual(["CVE-2020-5735"]);
    expect(r.exactKev).toBe(4);
  });

  it("the factor that reaches the KEV cap says how much of it was cut", () => {
    const r = riskOf(
      base({
        vulnerabilities: [
          vuln({ id: "CVE-2021-36260", kev: KEV_36260 }),
          vuln({ id: "CVE-2017-7921", kev: KEV_36260, certainty: "family" }),
        ],
      }),
      w,
    );
    const first = w.kev.exact.points + w.kev.duePassed.points;
    const second = w.kev.family.points + w.kev.duePassed.points;
    expect(first).toBeLessThan(w.kev.cap.points);
    expect(first + second).toBeGreaterThan(w.kev.cap.points);
    expect(factor(r, "kev").map((f) => [f.refs[0], f.points])).toEqual([
      ["CVE-2021-36260", first],
      ["CVE-2017-7921", w.kev.cap.points - first],
    ]);
    expect(factor(r, "kev")[1]?.says).toBe(
      `KEV CVE-2017-7921 at family certainty (due 2022-01-24, passed) [KEV CVEs count ${w.kev.cap.points} points at most: ${second} cut to ${w.kev.cap.points - first}]`,
    );
  });

  it("a CVE given twice counts once (its stronger entry)", () => {
    const r = riskOf(
      base({
        vulnerabilities: [
          vuln({ id: "CVE-2021-36260", kev: KEV_36260, certainty: "family" }),
          vuln({ id: "CVE-2021-36260", kev: KEV_36260 }),
        ],
      }),
      w,
    );
    expect(factor(r, "kev")).toHaveLength(1);
    expect(factor(r, "kev")[0]?.points).toBe(w.kev.exact.points + w.kev.duePassed.points);
    expect(r.exactKev).toBe(1);
  });
});

describe("riskOf: CVEs outside KEV", () => {
  it("score by CVSS band, family counts less, unscored counts as its own weight, disputed counts as family", () => {
    const points = (v: VulnMatch) => factor(riskOf(base({ vulnerabilities: [v] }), w), "cve")[0]?.points ?? 0;
    const crit = w.cves.bands.find((b) => 9.8 >= b.minScore);
    const med = w.cves.bands.find((b) => 5 >= b.minScore);
    expect(crit && med).toBeTruthy();
    expect(points(vuln({ id: "CVE-2017-7925", cvss: { score: 9.8, version: "3.0" } }))).toBe(crit?.exact);
    expect(
      points(vuln({ id: "CVE-2017-7925", cvss: { score: 9.8, version: "3.0" }, certainty: "family" })),
    ).toBe(crit?.family);
    expect(points(vuln({ id: "CVE-2017-9315", cvss: { score: 5, version: "3.1" } }))).toBe(med?.exact);
    expect(points(vuln({ id: "CVE-2022-30560" }))).toBe(w.cves.unscored.exact);
    const disputed = riskOf(
      base({
        vulnerabilities: [
          vuln({ id: "CVE-2017-14953", cvss: { score: 6.5, version: "3.0" }, disputed: true }),
        ],
      }),
      w,
    );
    expect(factor(disputed, "cve")[0]).toMatchObject({
      points: med?.family,
      says: "CVE-2017-14953 (CVSS 6.5 v3.0, medium) at exact firmware, but disputed (counted as family)",
    });
    // a KEV CVE is not counted again by its CVSS
    const kev = riskOf(
      base({
        vulnerabilities: [
          vuln({ id: "CVE-2021-36260", kev: KEV_36260, cvss: { score: 9.8, version: "3.1" } }),
        ],
      }),
      w,
    );
    expect(factor(kev, "cve")).toEqual([]);
  });

  it("CVE points stop at their cap", () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      vuln({ id: `CVE-2020-${String(1000 + i)}`, cvss: { score: 9.8, version: "3.1" } }),
    );
    const r = riskOf(base({ vulnerabilities: many }), w);
    expect(factor(r, "cve").reduce((s, f) => s + f.points, 0)).toBe(w.cves.cap.points);
    expect(factor(r, "cve").at(-1)?.says).toMatch(/\[CVEs outside KEV count \d+ points at most/);
  });
});

describe("riskOf: score, cap and levels", () => {
  const worst = base({
    verdict: "prohibited",
    vulnerabilities: [
      vuln({ id: "CVE-2021-36260", kev: KEV_36260 }),
      vuln({ id: "CVE-2017-7921", kev: KEV_36260 }),
      vuln({ id: "CVE-2017-7923", cvss: { score: 8.8, version: "3.0" } }),
    ],
    ransomware: ["CVE-2021-36260"],
    deviceType: "nvr",
    exposure: { internet: true, source: "masscan" },
    cloud: [contact("litedev.hik-connect.com", "device")],
    siteCriticality: "critical",
  });

  it("caps at 100 while still showing every factor's points", () => {
    const r = riskOf(worst, w);
    expect(sum(r)).toBeGreaterThan(100);
    expect(r.score).toBe(100);
    expect(r.level).toBe("critical");
    expect(r.weightsVersion).toBe(w.weightsVersion);
  });

  it("levels from the file's thresholds, each the lowest score of its level", () => {
    const { medium, high, critical } = w.levels;
    expect(levelOf(0, w)).toBe("low");
    expect(levelOf(medium - 1, w)).toBe("low");
    expect(levelOf(medium, w)).toBe("medium");
    expect(levelOf(high - 1, w)).toBe("medium");
    expect(levelOf(high, w)).toBe("high");
    expect(levelOf(critical - 1, w)).toBe("high");
    expect(levelOf(critical, w)).toBe("critical");
    const moved = { ...w, levels: { medium: 1, high: 2, critical: 3 } };
    expect(riskOf(base({ siteCriticality: "normal" }), moved).level).toBe("critical");
  });

  it("refuses a `today` that is not a date", () => {
    expect(() => riskOf(base({ today: "22/11/2026" }), w)).toThrow(/today is not a date/);
    expect(() => riskOf(base({ today: "2026-02-30" }), w)).toThrow(RangeError);
  });
});

describe("compareRisk: the order of a replacement plan", () => {
  const r = (
    score: number,
    exactKev: number,
    deviceType: RiskRank["deviceType"],
    key?: string,
  ): RiskRank => ({
    score,
    exactKev,
    deviceType,
    ...(key !== undefined ? { key } : {}),
  });

  it("higher score, then more exact KEV, then recorders before cameras, then the key", () => {
    const list = [
      r(40, 0, "camera", "127.91.0.9"),
      r(40, 0, "nvr", "127.91.0.8"),
      r(40, 1, "camera", "127.91.0.7"),
      r(90, 0, "other", "127.91.0.6"),
      r(40, 0, "dvr", "127.91.0.5"),
      r(40, 0, "unknown", "127.91.0.4"),
      r(40, 0, "other", "127.91.0.3"),
      r(40, 0, "camera", "127.91.0.10"),
    ];
    expect(list.sort(compareRisk).map((x) => x.key)).toEqual([
      "127.91.0.6",
      "127.91.0.7",
      "127.91.0.5",
      "127.91.0.8",
      "127.91.0.10",
      "127.91.0.9",
      "127.91.0.4",
      "127.91.0.3",
    ]);
  });

  it("total: antisymmetric, 0 only for equal ranks; without keys the stable sort keeps input order", () => {
    const all = [r(50, 1, "nvr", "a"), r(50, 1, "dvr", "b"), r(50, 1, "nvr"), r(10, 2, "camera", "a")];
    for (const a of all)
      for (const b of all) {
        expect(Math.sign(compareRisk(a, b))).toBe(-Math.sign(compareRisk(b, a)) || 0);
        if (a !== b) expect(compareRisk(a, b)).not.toBe(0);
      }
    const tagged = [1, 2, 3].map((n) => ({ ...r(50, 0, "camera"), n }));
    expect([...tagged].sort(compareRisk).map((x) => x.n)).toEqual([1, 2, 3]);
  });

  it("orders Risk values as riskOf returns them", () => {
    const camera = riskOf(base({ verdict: "prohibited" }), w);
    const nvr = riskOf(base({ verdict: "prohibited", deviceType: "nvr" }), w);
    const kev = riskOf(
      base({ verdict: "prohibited", vulnerabilities: [vuln({ id: "CVE-2021-36260", kev: KEV_36260 })] }),
      w,
    );
    expect([camera, nvr, kev].sort(compareRisk)).toEqual([kev, nvr, camera]);
  });
});

describe("cloudContacts from an identification's DNS evidence", () => {
  const kb = loadKnowledge();
  const T = "2026-11-20T08:00:00.000Z";
  const obs = (o: Record<string, unknown>): Observation => ObservationSchema.parse({ time: T, ...o });
  const dns = (target: string, query: string, line: number) =>
    obs({ target, protocol: "dns", request: { source: "zeek-dns", line, query, qtype: "A" } });

  it("each queried name once, strongest role first; a vendor web site is not a contact", () => {
    const id = identify(
      [
        dns("127.91.0.10", "litedev.hik-connect.com.", 3),
        dns("127.91.0.10", "litedev.hik-connect.com", 9),
        dns("127.91.0.10", "api.hik-connect.com", 10),
        dns("127.91.0.10", "www.hikvision.com", 4),
      ],
      kb,
    );
    // the host rule's excerpt is the whole name; the domain rule's only the domain it matched
    expect(id.evidence.map((e) => e.excerpt)).toEqual(
      expect.arrayContaining(["litedev.hik-connect.com", ".hik-connect.com"]),
    );
    expect(cloudContacts(id)).toEqual([
      { query: "litedev.hik-connect.com", service: "Hik-Connect", maker: "hikvision", role: "device" },
      { query: "*.hik-connect.com", service: "Hik-Connect", maker: "hikvision", role: "app" },
    ]);
  });

  it("an app query too weak to name the maker is still a contact (kept among the conflicts)", () => {
    const id = identify([dns("127.91.0.12", "api.hik-connect.com", 2)], kb);
    expect(id.manufacturer).toBeNull();
    expect(cloudContacts(id)).toEqual([
      { query: "*.hik-connect.com", service: "Hik-Connect", maker: "hikvision", role: "app" },
    ]);
  });

  it("a P2P query short of a verdict (a suspected maker) still counts, under its domain", () => {
    const id = identify([dns("127.91.0.11", "www.easy4ipcloud.com", 5)], kb);
    expect(id.manufacturer).toBeNull();
    expect(id.evidence).toEqual([]);
    const contacts = cloudContacts(id);
    expect(contacts).toEqual([
      { query: "*.easy4ipcloud.com", service: expect.any(String), maker: "dahua", role: "device-or-app" },
    ]);
    // only the evidence list: nothing
    expect(cloudContacts({ evidence: id.evidence })).toEqual([]);
    const risk = riskOf(base({ cloud: contacts }), w);
    expect(factor(risk, "cloud")[0]).toMatchObject({
      points: w.cloud["device-or-app"].points,
      refs: ["*.easy4ipcloud.com"],
    });
  });

  it("no DNS evidence, no contacts", () => {
    const none: Pick<Identification, "evidence"> = {
      evidence: [
        {
          field: "manufacturer",
          value: "hikvision",
          rule: "http.server.hikvision",
          part: "http.header.server",
          source: { protocol: "http", port: 80 },
          excerpt: "litedev.hik-connect.com",
          confidence: 0.9,
        },
      ],
    };
    expect(cloudContacts(none)).toEqual([]);
  });
});

describe("from observations to a risk", () => {
  // A Hikvision camera's SADP reply (shape as in src/identify/identify.test.ts) at firmware inside CVE-2017-7921's
  // range, and the same address's Hik-Connect registration query from a DNS log.
  const SADP = `<?xml version="1.0" encoding="UTF-8"?>
<ProbeMatch><Uuid>F93CF8DC-DF53-424B-98A7-9FC0536E1084</Uuid>
<Types>inquiry</Types>
<DeviceType>142378</DeviceType>
<DeviceDescription>DS-2CD2142FWD-I</DeviceDescription>
<DeviceSN>DS-2CD2142FWD-I20160601AACH123456789</DeviceSN>
<CommandPort>8000</CommandPort>
<HttpPort>80</HttpPort>
<MAC>44-47-cc-37-ce-82</MAC>
<IPv4Address>127.91.0.20</IPv4Address>
<SoftwareVersion>V5.4.0build 160530</SoftwareVersion>
<Activated>true</Activated>
</ProbeMatch>`;
  const T = "2026-11-20T08:00:00.000Z";
  const observations = [
    ObservationSchema.parse({
      time: T,
      target: "127.91.0.20",
      port: 37020,
      protocol: "sadp",
      request: { payload: "<Probe/>" },
      response: { raw: SADP },
    }),
    ObservationSchema.parse({
      time: T,
      target: "127.91.0.20",
      protocol: "dns",
      request: { source: "zeek-dns", line: 7, query: "litedev.hik-connect.com", qtype: "A" },
    }),
  ];
  const id = identify(observations, loadKnowledge());
  const vulns = matchVulnerabilities(id, readVulnerabilityKb(bundledVulnerabilityPath()));
  const input = (today: string): RiskInput => ({
    verdict: id.restricted ? "prohibited" : "allowed",
    policies: id.policies,
    vulnerabilities: vulns,
    deviceType: id.deviceType,
    exposure: null,
    cloud: cloudContacts(id),
    siteCriticality: "normal",
    today,
  });

  it("identifies the camera and its exact KEV match", () => {
    expect(id).toMatchObject({ manufacturer: "hikvision", model: "DS-2CD2142FWD-I", restricted: true });
    expect(vulns.find((v) => v.id === "CVE-2017-7921")).toMatchObject({ certainty: "exact" });
  });

  it("shows policy, KEV (due 2026-03-26: passed in November, not in February), cloud, type and site", () => {
    const autumn = riskOf(input("2026-11-22"), w);
    const winter = riskOf(input("2026-02-01"), w);
    expect(autumn.factors.map((f) => f.factor)).toEqual(
      expect.arrayContaining(["policy", "kev", "cloud", "device-type", "site-criticality"]),
    );
    expect(factor(autumn, "kev").find((f) => f.refs[0] === "CVE-2017-7921")?.says).toBe(
      "KEV CVE-2017-7921 at exact firmware (due 2026-03-26, passed)",
    );
    expect(factor(winter, "kev").find((f) => f.refs[0] === "CVE-2017-7921")?.says).toBe(
      "KEV CVE-2017-7921 at exact firmware (due 2026-03-26, not yet passed)",
    );
    expect(factor(autumn, "kev").find((f) => f.refs[0] === "CVE-2017-7921")?.weights).toEqual([
      "kev.exact",
      "kev.duePassed",
    ]);
    expect(factor(winter, "kev").find((f) => f.refs[0] === "CVE-2017-7921")?.weights).toEqual(["kev.exact"]);
    expect(factor(autumn, "cloud")[0]?.refs).toEqual(["litedev.hik-connect.com"]);
    expect(factor(autumn, "policy")[0]?.refs).toEqual(id.policies);
    expect(autumn.unknown).toEqual(["internet exposure"]);
    expect(autumn.score).toBe(Math.min(100, sum(autumn)));
  });
});
