import { describe, expect, it } from "vitest";
import type { Identification } from "../../identify/identification.js";
import { parseFirmware } from "../../identify/versions/index.js";
import { bundledVulnerabilityPath, readVulnerabilityKb } from "./load.js";
import { matchVulnerabilities, type VulnDevice, type VulnMatch } from "./match.js";
import { compilePattern, modelMatches, patternProblem } from "./model-pattern.js";

// The bundled knowledge, read as shipped: the cases below are the reference's own series, ranges and fixes.
const kb = readVulnerabilityKb(bundledVulnerabilityPath());
const entry = (id: string) => {
  const v = kb.vulnerabilities.find((x) => x.id === id);
  if (!v) throw new Error(`${id} not in the bundled data`);
  return v;
};
const ids = (ms: VulnMatch[]) => ms.map((m) => m.id);
const find = (ms: VulnMatch[], id: string) => ms.find((m) => m.id === id);
const device = (d: Partial<VulnDevice>): VulnDevice => ({
  manufacturer: null,
  model: null,
  firmware: null,
  ...d,
});

// An Identification is a VulnDevice: the lead can pass one as it is (a type error here if the two drift apart).
export const identificationIsADevice = (i: Identification): VulnDevice => i;

describe("model patterns", () => {
  it("x is one letter or digit, @ one to four letters, * any run; the rest is literal", () => {
    expect(modelMatches("DS-2CD2xx2FWD*", "DS-2CD2142FWD-I")).toBe(true);
    expect(modelMatches("DS-2CD2xx2F-I*", "DS-2CD2142FWD-I")).toBe(false);
    expect(modelMatches("IPC-H@3xxx*", "IPC-HFW3241E-AS")).toBe(true);
    expect(modelMatches("IPC-H@3xxx*", "IPC-HDBW3441R-ZS")).toBe(true);
    expect(modelMatches("IPC-H@3xxx*", "IPC-HFW2339S")).toBe(false);
    expect(modelMatches("ASI7213X", "ASI7213X")).toBe(true);
    expect(modelMatches("ASI7213X", "ASI72131")).toBe(false);
    expect(modelMatches("DS-2CD7153-E", "ds-2cd7153-e")).toBe(true);
    expect(modelMatches("DS-2CD7153-E", "DS-2CD7153-EI")).toBe(false);
  });
  it("rejects patterns outside the convention", () => {
    expect(patternProblem("ds-2cd2xx2")).toMatch(/upper-case/);
    expect(patternProblem("A*B*C*D")).toMatch(/two \*/);
    expect(patternProblem("x*")).toMatch(/literal/);
    expect(() => compilePattern("IPC[")).toThrow(/IPC\[/);
  });
});

describe("matchVulnerabilities on the bundled data", () => {
  it("DS-2CD2142FWD-I at V5.4.0 build 160530 is exactly in CVE-2017-7921 (series DS-2CD2xx2FWD)", () => {
    const ms = matchVulnerabilities(
      device({ manufacturer: "hikvision", model: "DS-2CD2142FWD-I", firmware: "V5.4.0 build 160530" }),
      kb,
    );
    const m = find(ms, "CVE-2017-7921");
    expect(m?.certainty).toBe("exact");
    expect(m?.reason).toContain("DS-2CD2xx2FWD");
    expect(m?.reason).toContain("V5.3.1 build 150410 .. V5.4.4 build 161125");
    // KEV dates come through as the data has them
    expect(m?.kev).toEqual({
      dateAdded: entry("CVE-2017-7921").kev?.dateAdded,
      dueDate: entry("CVE-2017-7921").kev?.dueDate,
    });
    expect(m?.kev?.dueDate).toBe("2026-03-26");
    expect(m?.cvss).toEqual({ score: 10, version: "3.0" });
    expect(find(ms, "CVE-2017-7923")?.certainty).toBe("exact");
  });

  it("the same model at V5.5.0 (above every range) does not match CVE-2017-7921 or -7923", () => {
    for (const fw of ["V5.5.0", "V5.5.0 build 170725"]) {
      const ms = matchVulnerabilities(
        device({ manufacturer: "hikvision", model: "DS-2CD2142FWD-I", firmware: fw }),
        kb,
      );
      expect(ids(ms)).not.toContain("CVE-2017-7921");
      expect(ids(ms)).not.toContain("CVE-2017-7923");
    }
  });

  it("prefers the identification's parsed firmware (versions.firmware) over the raw string", () => {
    const parsed = parseFirmware("V5.4.0 build 160530", "hikvision");
    const ms = matchVulnerabilities(
      device({
        manufacturer: "hikvision",
        model: "DS-2CD2142FWD-I",
        firmware: "?",
        versions: { firmware: parsed },
      }),
      kb,
    );
    expect(find(ms, "CVE-2017-7921")?.certainty).toBe("exact");
  });

  it("a Hikvision device with no firmware gets 'family' for the CVEs whose family its model matches", () => {
    const ms = matchVulnerabilities(device({ manufacturer: "hikvision", model: "DS-2CD2142FWD-I" }), kb);
    expect(find(ms, "CVE-2017-7921")?.certainty).toBe("family");
    expect(find(ms, "CVE-2017-7921")?.reason).toMatch(/firmware unknown/);
    expect(find(ms, "CVE-2017-7923")?.certainty).toBe("family");
    expect(ms.every((m) => m.certainty === "family")).toBe(true);
    // storage-appliance CVEs name other families
    expect(ids(ms)).not.toContain("CVE-2022-28171");
  });

  it("a maker without a model gets only the CVEs that name the whole product line", () => {
    for (const maker of ["hikvision", "dahua"]) {
      const ms = matchVulnerabilities(device({ manufacturer: maker }), kb);
      const lineWide = kb.vulnerabilities
        .filter((v) => v.manufacturer === maker && v.affected.some((g) => !g.models && !g.brand))
        .map((v) => v.id)
        .sort();
      expect(lineWide.length).toBeGreaterThan(0);
      expect(ids(ms).sort()).toEqual(lineWide);
      expect(ms.every((m) => m.certainty === "family")).toBe(true);
    }
  });

  it("a Dahua device never gets Hikvision CVEs, even with a Hikvision-looking model", () => {
    const ms = matchVulnerabilities(
      device({ manufacturer: "dahua", model: "DS-2CD2142FWD-I", firmware: "V5.4.0 build 160530" }),
      kb,
    );
    expect(ms.length).toBeGreaterThan(0);
    for (const m of ms) expect(entry(m.id).manufacturer).toBe("dahua");
    expect(ids(ms)).not.toContain("CVE-2017-7921");
  });

  it("a device of an untracked maker, or of no maker, matches nothing", () => {
    expect(matchVulnerabilities(device({ manufacturer: "axis", model: "P1435-LE" }), kb)).toEqual([]);
    expect(
      matchVulnerabilities(device({ model: "DS-2CD2142FWD-I", firmware: "V5.4.0 build 160530" }), kb),
    ).toEqual([]);
  });

  it("CVE-2021-36260: builds before the researcher's fix date match the camera line; fixed builds do not", () => {
    const old = matchVulnerabilities(
      device({
        manufacturer: "hikvision",
        model: "DS-2CD2385G1-I",
        firmware: "V5.6.2build 190701",
        deviceType: "camera",
      }),
      kb,
    );
    const m = find(old, "CVE-2021-36260");
    expect(m?.certainty).toBe("family");
    expect(m?.kev).toEqual({ dateAdded: "2022-01-10", dueDate: "2022-01-24" });
    const fixed = matchVulnerabilities(
      device({
        manufacturer: "hikvision",
        model: "DS-2CD2385G1-I",
        firmware: "V5.5.800 build 210628",
        deviceType: "camera",
      }),
      kb,
    );
    expect(ids(fixed)).not.toContain("CVE-2021-36260");
    // its device types: a DVR is not in "IP cameras, PTZ and some NVRs"
    const dvr = matchVulnerabilities(device({ manufacturer: "hikvision", deviceType: "dvr" }), kb);
    expect(ids(dvr)).not.toContain("CVE-2021-36260");
  });

  it("Dahua CVE-2021-33044/33045: below the NVD fix is exact, at the fix is no match", () => {
    const below = matchVulnerabilities(
      device({
        manufacturer: "dahua",
        model: "DH-IPC-HFW3241E-AS",
        firmware: "2.800.0000000.25.R, Build Date 2021-03-01",
      }),
      kb,
    );
    expect(find(below, "CVE-2021-33044")?.certainty).toBe("exact");
    expect(find(below, "CVE-2021-33044")?.reason).toContain("2.800.0000000.29.r.210630");
    expect(find(below, "CVE-2021-33044")?.kev).toEqual({ dateAdded: "2024-08-21", dueDate: "2024-09-11" });
    expect(find(below, "CVE-2021-33045")?.certainty).toBe("exact");
    const atFix = matchVulnerabilities(
      device({ manufacturer: "dahua", model: "IPC-HFW3241E-AS", firmware: "2.800.0000000.29.R.210630" }),
      kb,
    );
    expect(ids(atFix)).not.toContain("CVE-2021-33044");
    expect(ids(atFix)).not.toContain("CVE-2021-33045");
  });

  it("an unparsable firmware leaves a family match at 'family'", () => {
    const ms = matchVulnerabilities(
      device({ manufacturer: "dahua", model: "IPC-HFW3241E-AS", firmware: "unknown" }),
      kb,
    );
    expect(find(ms, "CVE-2021-33044")?.certainty).toBe("family");
  });

  it("Amcrest (Dahua firmware, brand Amcrest): listed models by their fix, other Amcrest units by the line", () => {
    const amcrest = (model: string | null, firmware: string | null) =>
      matchVulnerabilities(device({ manufacturer: "dahua", brand: "Amcrest", model, firmware }), kb);
    expect(find(amcrest("IP2M-841B", "V2.420.AC00.17.R"), "CVE-2020-5735")?.certainty).toBe("exact");
    expect(ids(amcrest("IP2M-841B", "V2.420.AC00.18.R"))).not.toContain("CVE-2020-5735");
    expect(find(amcrest(null, null), "CVE-2020-5735")?.certainty).toBe("family");
    expect(find(amcrest(null, null), "CVE-2020-5735")?.kev?.dueDate).toBe("2022-05-03");
    // the line group names the Amcrest brand: a plain Dahua unit of unknown model is not in it
    expect(ids(matchVulnerabilities(device({ manufacturer: "dahua" }), kb))).not.toContain("CVE-2020-5735");
  });

  it("device types narrow line groups: CVE-2013-6117 (Dahua DVR) is not a camera's", () => {
    expect(
      ids(matchVulnerabilities(device({ manufacturer: "dahua", deviceType: "camera" }), kb)),
    ).not.toContain("CVE-2013-6117");
    const dvr = matchVulnerabilities(
      device({ manufacturer: "dahua", deviceType: "dvr", firmware: "2.608.0000.0" }),
      kb,
    );
    expect(find(dvr, "CVE-2013-6117")?.certainty).toBe("family");
    // Not excluded by a later build: the affected list also names the OEM branch GV00, which compareFirmware()
    // cannot order against a generic-branch build, so the whole expression stays unknown (src/identify/versions).
    const newer = matchVulnerabilities(
      device({ manufacturer: "dahua", deviceType: "dvr", firmware: "2.608.0000.1" }),
      kb,
    );
    expect(find(newer, "CVE-2013-6117")?.reason).toMatch(/cannot be checked/);
  });

  it("CVE-2022-30563: listed -S2 models exact by build date, other -S2 models family only", () => {
    const fw = "2.800.0000000.25.R, Build Date 2021-10-15";
    const listed = matchVulnerabilities(
      device({ manufacturer: "dahua", model: "IPC-HDBW2431E-S-S2", firmware: fw }),
      kb,
    );
    expect(find(listed, "CVE-2022-30563")?.certainty).toBe("exact");
    const other = matchVulnerabilities(
      device({ manufacturer: "dahua", model: "IPC-HFW1230S-S2", firmware: fw }),
      kb,
    );
    expect(find(other, "CVE-2022-30563")?.certainty).toBe("family");
    const late = matchVulnerabilities(
      device({
        manufacturer: "dahua",
        model: "IPC-HDBW2431E-S-S2",
        firmware: "2.800.0000000.25.R, Build Date 2022-05-02",
      }),
      kb,
    );
    expect(ids(late)).not.toContain("CVE-2022-30563");
  });

  it("marks disputed CVEs and sorts exact before family", () => {
    const ms = matchVulnerabilities(
      device({
        manufacturer: "hikvision",
        model: "DS-2CD2432F-IW",
        firmware: "V5.4.0 build 160530",
        deviceType: "camera",
      }),
      kb,
    );
    const m = find(ms, "CVE-2017-14953");
    expect(m).toMatchObject({ certainty: "exact", disputed: true });
    const firstFamily = ms.findIndex((x) => x.certainty === "family");
    expect(firstFamily).toBeGreaterThan(ms.indexOf(m as VulnMatch));
    expect(ms.slice(firstFamily).every((x) => x.certainty === "family")).toBe(true);
  });
});
