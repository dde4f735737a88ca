import { describe, expect, it } from "vitest";
import {
  compareFirmware,
  inFirmwareRange,
  normalizeModel,
  parseFirmware,
  parseSerial,
  type FirmwareInfo,
} from "./index.js";

// Strings with a source comment are real spellings (repo + path, shared/reference section, or "cited by content"
// where the search index did not name the repository). Values without one are constructed edge cases for
// comparisons and ranges (a bound plus or minus one build), not captures.

/** parseFirmware that must succeed */
function fw(raw: string, manufacturer?: string): FirmwareInfo {
  const f = parseFirmware(raw, manufacturer);
  if (!f) throw new Error(`did not parse: ${JSON.stringify(raw)}`);
  return f;
}

describe("parseFirmware: Hikvision spellings", () => {
  it("SADP SoftwareVersion without a space before build", () => {
    // shared/reference/protocols.md §1.3 (SADP ProbeMatch of a DS-2CD2320D-I)
    expect(fw("V5.5.6build 180326")).toMatchObject({
      scheme: "hikvision",
      normalized: "V5.5.6 build 180326",
      numbers: [5, 5, 6],
      build: "180326",
      buildDate: "2018-03-26",
    });
    // protocols.md §1.3 (second SADP capture, DS-2CD2385G1-I)
    expect(fw("V5.6.2build 190701").normalized).toBe("V5.6.2 build 190701");
  });

  it("the two spellings normalise to the same value and compare equal", () => {
    const a = fw("V5.5.6build 180326");
    const b = fw("V5.5.6 build 180326");
    expect(a.normalized).toBe(b.normalized);
    expect(compareFirmware(a, b)).toBe(0);
  });

  it("ONVIF FirmwareVersion with a space", () => {
    // protocols.md §4.1 (ONVIF fixtures)
    expect(fw("V5.5.82 build 190909")).toMatchObject({ numbers: [5, 5, 82], buildDate: "2019-09-09" });
    // opnvr/recorder README.md: "Hikvision DS-2CD2342WD-I V5.4.5 build 170124"
    expect(fw("V5.4.5 build 170124")).toMatchObject({
      scheme: "hikvision",
      normalized: "V5.4.5 build 170124",
      numbers: [5, 4, 5],
      buildDate: "2017-01-24",
    });
  });

  it("ISAPI firmwareVersion + firmwareReleasedDate joined with a space (as the ISAPI parts do)", () => {
    // protocols.md §2.6 (DS-2CD63C5G1-IVS deviceInfo): V5.8.3 + build 240821
    expect(fw("V5.8.3 build 240821", "hikvision")).toMatchObject({
      normalized: "V5.8.3 build 240821",
      buildDate: "2024-08-21",
    });
    // firmwareVersion alone: Hikvision with the hint, generic without it
    expect(fw("V5.8.3", "hikvision")).toMatchObject({
      scheme: "hikvision",
      normalized: "V5.8.3",
      numbers: [5, 8, 3],
    });
    expect(fw("V5.8.3").scheme).toBe("generic");
    // ISAPI JSON of a DS-7608NI-I2/8P NVR (a public integration's recorded reply, cited by content):
    // firmwareVersion "V4.22.005", firmwareReleasedDate "build 191208"
    expect(fw("V4.22.005 build 191208", "hikvision")).toMatchObject({
      normalized: "V4.22.005 build 191208",
      numbers: [4, 22, 5],
    });
  });

  it("older and recorder forms", () => {
    // protocols.md §1.3: a 2015 SADP reply with <SoftwareVersion>V5.5.0</SoftwareVersion>
    expect(fw("V5.5.0", "hikvision").numbers).toEqual([5, 5, 0]);
    // protocols.md §4.1: recorder firmware with a 3-digit patch
    expect(fw("V4.61.000", "hikvision").numbers).toEqual([4, 61, 0]);
    // protocols.md §1.3: DSPVersion has two numbers
    expect(fw("V7.3 build 180326", "hikvision")).toMatchObject({
      numbers: [7, 3],
      normalized: "V7.3 build 180326",
    });
    // protocols.md §4.1: web UI bundle version
    expect(fw("V5.1.69_R0102 build 251229", "hikvision")).toMatchObject({
      normalized: "V5.1.69 build 251229",
      numbers: [5, 1, 69],
    });
  });

  it("NVD and firmware-archive spellings", () => {
    // vulnerabilities.json CVE-2013-4975 affected firmware "4.1.0 b130111"
    expect(fw("4.1.0 b130111", "hikvision")).toMatchObject({
      normalized: "V4.1.0 build 130111",
      buildDate: "2013-01-11",
    });
    // vulnerabilities.json CVE-2014-4880 "2.2.10 build 131009"
    expect(fw("2.2.10 build 131009", "hikvision").numbers).toEqual([2, 2, 10]);
    // protocols.md §4.1 (hiktools gists/firmwarelist.json): folder and file names
    expect(fw("V5.5.0_build170725")).toMatchObject({
      scheme: "hikvision",
      normalized: "V5.5.0 build 170725",
    });
    expect(fw("IPTM_H3_EN_STD_5.5.12_190315.zip")).toMatchObject({
      scheme: "hikvision",
      normalized: "V5.5.12 build 190315",
    });
    // vulnerabilities.json CVE-2021-36260 mostRecentVulnerable
    expect(fw("IPC_G3_EN_STD_5.5.160_210416").normalized).toBe("V5.5.160 build 210416");
    expect(fw("IPC_R2_EN_STD_V5.4.81_180203").numbers).toEqual([5, 4, 81]);
    expect(fw("IPCK_E6_EN_STD_5.5.100_200226").buildDate).toBe("2020-02-26");
  });

  it("the normal form parses back to itself", () => {
    for (const raw of ["V5.5.6build 180326", "V5.5.0_build170725", "IPC_G3_EN_STD_5.5.160_210416"]) {
      const once = fw(raw);
      expect(fw(once.normalized, "hikvision").normalized).toBe(once.normalized);
    }
  });
});

describe("parseFirmware: Dahua spellings", () => {
  it("DHIP Version (no build date)", () => {
    // protocols.md §6.1 (DHIP reply of an IPC-HDW5421S)
    expect(fw("2.400.0.8")).toMatchObject({
      scheme: "dahua",
      normalized: "2.400.0.8",
      numbers: [2, 400, 0, 8],
      branch: "0",
    });
    // protocols.md §6.6: the generic form, and a Lorex one
    expect(fw("2.800.0000000.25.R")).toMatchObject({ numbers: [2, 800, 0, 25], suffix: "R" });
    expect(fw("2.800.030000000.3.R").numbers).toEqual([2, 800, 30000000, 3]);
    expect(fw("3.120.0000.0.R").numbers).toEqual([3, 120, 0, 0]);
  });

  it("ONVIF FirmwareVersion with ', Build Date'", () => {
    // An ONVIF client library's deserialisation test of a Dahua DH-SD42212T-HN (cited by content)
    expect(fw("2.800.0000000.4.R, Build Date 2019-11-05")).toMatchObject({
      normalized: "2.800.0000000.4.R build 2019-11-05",
      numbers: [2, 800, 0, 4],
      buildDate: "2019-11-05",
    });
    // mcw0/Tools Dahua-JSON-Debug-Console-v2.py, "[Verified]" device IPC-HDBW1320E-W
    expect(fw("2.400.0000000.16.R, Build Date: 2017-08-31")).toMatchObject({
      normalized: "2.400.0000000.16.R build 2017-08-31",
      buildDate: "2017-08-31",
    });
    // A Lorex LNB8973B ONVIF GetDeviceInformation pasted in a provisioning README (cited by content)
    expect(fw("2.460.0001.5.R, Build Date 2017-08-11", "LOREX")).toMatchObject({
      scheme: "dahua",
      numbers: [2, 460, 1, 5],
    });
  });

  it("CGI getSoftwareVersion bodies", () => {
    // tchellomello/python-amcrest README: camera.software_information
    expect(fw("version=2.420.AC00.15.R\r\nBuildDate=2016-09-08")).toMatchObject({
      scheme: "dahua",
      normalized: "2.420.AC00.15.R build 2016-09-08",
      numbers: [2, 420, 0, 15],
      oem: "AC",
      buildDate: "2016-09-08",
    });
    // rroller/dahua custom_components/dahua/client.py (get_software_version docstring)
    expect(fw("version=2.800.0000016.0.R,build:2020-06-05")).toMatchObject({
      normalized: "2.800.0000016.0.R build 2020-06-05",
      numbers: [2, 800, 16, 0],
    });
  });

  it("old ONVIF spellings with 'Dahua 00' / 'Group 00' branches and ', build: '", () => {
    // A C ONVIF client whose comment quotes a Dahua IPC-HDW1025C GetDeviceInformationResponse (cited by content)
    const old = fw("2.420.Dahua 00.14.R, build: 2016-06-18");
    expect(old).toMatchObject({ scheme: "dahua", numbers: [2, 420, 0, 14], buildDate: "2016-06-18" });
    expect(old.oem).toBeUndefined();
    // A Python enrichment test of an RVi-IPC42DNS (Dahua OEM) ONVIF reply (cited by content)
    expect(fw("2.210.Group 00.0.R, build: 2013-10-24(V4.1.1)")).toMatchObject({
      numbers: [2, 210, 0, 0],
      oem: "GROUP",
      buildDate: "2013-10-24",
    });
  });

  it("web UI 'Software Version' line with a leading V and an OEM branch", () => {
    // A blog post on Amcrest cameras quoting Setup > Information > Version (cited by content)
    expect(fw("Software Version:       V2.620.00AC000.3.R, Build Date: 2019-12-18")).toMatchObject({
      normalized: "2.620.00AC000.3.R build 2019-12-18",
      oem: "AC",
      numbers: [2, 620, 0, 3],
    });
  });

  it("NVD lower-case fixed builds and firmware file names with appended dates", () => {
    // vulnerabilities.json CVE-2021-33044 fixedIn (ipc-hx3xxx)
    expect(fw("2.800.0000000.29.r.210630")).toMatchObject({
      normalized: "2.800.0000000.29.R build 2021-06-30",
      build: "210630",
      buildDate: "2021-06-30",
      suffix: "R",
    });
    // vulnerabilities.json CVE-2020-5735 fixedIn (Amcrest IP2M-841)
    expect(fw("v2.420.ac00.18.r.20200217")).toMatchObject({ oem: "AC", buildDate: "2020-02-17" });
    // vulnerabilities.json CVE-2017-9315 fixed examples (firmware file names)
    expect(fw("DH_IPC-HX1XXX-Eos3_Eng_P_V2.420.0000.11.R.20170612")).toMatchObject({
      scheme: "dahua",
      normalized: "2.420.0000.11.R build 2017-06-12",
    });
    expect(fw("DH_IPC-HX1X2X-Themis_Eng_P_V2.620.0000002.0.R.170830").numbers).toEqual([2, 620, 2, 0]);
    // vulnerabilities.json CVE-2013-6117 affected "2.608.GV00.0"
    expect(fw("2.608.GV00.0")).toMatchObject({ oem: "GV", numbers: [2, 608, 0, 0] });
  });

  it("the Dahua shape wins over a Hikvision hint; the normal form parses back to itself", () => {
    expect(fw("2.400.0.8", "hikvision").scheme).toBe("dahua");
    const once = fw("version=2.420.AC00.15.R\r\nBuildDate=2016-09-08");
    expect(fw(once.normalized).normalized).toBe(once.normalized);
  });
});

describe("parseFirmware: generic", () => {
  it("numbers and build of other makers' versions", () => {
    // protocols.md §7.1 (TP-Link Tapo ONVIF FirmwareVersion)
    expect(fw("1.3.1 Build 260515 Rel.2411n")).toMatchObject({
      scheme: "generic",
      normalized: "1.3.1 Build 260515 Rel.2411n",
      numbers: [1, 3, 1],
      build: "260515",
    });
    // vulnerabilities.json CVE-2022-28171 (Hikvision storage, dashed release)
    expect(fw("2.3.8-6").numbers).toEqual([2, 3, 8, 6]);
    expect(fw(" 1.2.3 ")).toMatchObject({ scheme: "generic", normalized: "1.2.3", numbers: [1, 2, 3] });
  });
});

describe("parseFirmware: junk and hostile input", () => {
  it("returns null, never throws", () => {
    const junk: unknown[] = [
      "",
      "   ",
      "unknown",
      "see vendor advisory",
      "factory-installed firmware mid-2021",
      "V",
      "build 180326",
      "\u0000\u0001\u0002V5.5.6",
      "V5.5.6build 180326".padEnd(300, "x"),
      "A".repeat(1_000_000),
      null,
      undefined,
      42,
      {},
    ];
    for (const j of junk) expect(parseFirmware(j as string)).toBeNull();
  });

  it("rejects impossible build dates but keeps the version", () => {
    const f = fw("V5.5.6 build 189999", "hikvision");
    expect(f.build).toBe("189999");
    expect(f.buildDate).toBeUndefined();
  });

  it("stays fast on adversarial near-matches", () => {
    const inputs = [
      "1.".repeat(120),
      "V1.1.1" + " ".repeat(240),
      "2.800." + "A".repeat(240),
      "_".repeat(250) + "1.1",
      "IPC" + "_A".repeat(120),
      "9".repeat(256),
      "2.420.Dahua 00.14.R, build: " + "2016-".repeat(40),
    ];
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) for (const s of inputs) parseFirmware(s, "dahua");
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe("compareFirmware", () => {
  it("orders Hikvision versions by numbers, then build", () => {
    expect(compareFirmware(fw("V5.4.5 build 170124"), fw("V5.5.6build 180326"))).toBe(-1);
    // vulnerabilities.json CVE-2021-36260: IPC_H5 5.5.85 (vulnerable) vs the fixed V5.5.800 build 210628
    expect(compareFirmware(fw("IPCP_H5_EN_STD_5.5.85_201120"), fw("V5.5.800 build 210628"))).toBe(-1);
    // same version, two builds (vulnerabilities.json CVE-2017-7921 upper bounds)
    expect(compareFirmware(fw("V5.4.0 build 160401"), fw("V5.4.0 build 160530"))).toBe(-1);
    // a missing build compares equal; trailing zeros do not matter
    expect(compareFirmware(fw("V5.4.0", "hikvision"), fw("V5.4.0 build 160530"))).toBe(0);
    expect(compareFirmware(fw("V7.3 build 180326"), fw("V7.3.0", "hikvision"))).toBe(0);
  });

  it("orders Dahua versions within one OEM branch, and refuses across branches", () => {
    expect(compareFirmware(fw("2.800.0000000.25.R"), fw("2.800.0000000.29.r.210630"))).toBe(-1);
    expect(compareFirmware(fw("2.800.0000016.0.R,build:2020-06-05"), fw("2.800.0000000.29.r.210630"))).toBe(
      1,
    );
    // old "Dahua 00" branch is the generic branch
    expect(
      compareFirmware(fw("2.420.Dahua 00.14.R, build: 2016-06-18"), fw("V2.420.0000.11.R.20170612")),
    ).toBe(1);
    // Amcrest (AC) against generic Dahua: cannot say
    expect(
      compareFirmware(fw("V2.800.00AC006.0.R, Build Date: 2023-10-27"), fw("2.800.0000000.29.r.210630")),
    ).toBeNull();
    // Amcrest against Amcrest (vulnerabilities.json CVE-2020-5735 IP8M-2597E fixedIn)
    expect(
      compareFirmware(fw("V2.800.00AC006.0.R, Build Date: 2023-10-27"), fw("v2.800.00ac000.0.r.200330")),
    ).toBe(1);
    // equal numbers: the build date decides (constructed)
    expect(compareFirmware(fw("2.400.0.8 build 2019-01-01"), fw("2.400.0.8 build 2020-01-01"))).toBe(-1);
  });

  it("returns null across schemes or without numbers", () => {
    expect(compareFirmware(fw("V5.5.6build 180326"), fw("2.400.0.8"))).toBeNull();
    expect(compareFirmware(fw("1.2.3"), fw("2.400.0.8"))).toBeNull();
    const empty = { ...fw("1.2.3"), numbers: [] };
    expect(compareFirmware(empty, fw("1.2.3"))).toBeNull();
    expect(compareFirmware(null as unknown as FirmwareInfo, fw("1.2.3"))).toBeNull();
  });
});

describe("inFirmwareRange (ranges as vulnerabilities.json writes them)", () => {
  // CVE-2017-7921 affected[] entry for DS-2CD2xx2F-I
  const r7921 = { series: "DS-2CD2xx2F-I", from: "V5.2.0 build 140721", to: "V5.4.0 build 160530" };

  it("from/to, inclusive", () => {
    // a DS-2CD2A20F-IS deviceInfo fixture: V5.3.5 + build 151029 (cited by content)
    expect(inFirmwareRange(fw("V5.3.5 build 151029", "hikvision"), r7921)).toBe(true);
    expect(inFirmwareRange(fw("V5.2.0 build 140721"), r7921)).toBe(true);
    expect(inFirmwareRange(fw("V5.4.0 build 160530"), r7921)).toBe(true);
    expect(inFirmwareRange(fw("V5.4.0 build 160531"), r7921)).toBe(false);
    expect(inFirmwareRange(fw("V5.4.5 build 170124"), r7921)).toBe(false);
    expect(inFirmwareRange(fw("V5.1.9 build 140101"), r7921)).toBe(false);
    // version without a build inside the bound version counts as in range
    expect(inFirmwareRange(fw("V5.4.0", "hikvision"), r7921)).toBe(true);
  });

  it("firmware expressions", () => {
    // CVE-2017-14953 "< 5.4.5" (DS-2CD2432F-IW; SADP sample of that model runs V5.5.0, protocols.md §1.3)
    expect(inFirmwareRange(fw("V5.5.0", "hikvision"), { firmware: "< 5.4.5" })).toBe(false);
    expect(inFirmwareRange(fw("V5.4.0 build 160530"), { firmware: "< 5.4.5" })).toBe(true);
    // CVE-2022-28171 "<= 2.3.8-6"
    expect(inFirmwareRange(fw("2.3.8-6"), { firmware: "<= 2.3.8-6" })).toBe(true);
    expect(inFirmwareRange(fw("2.3.8-8"), { firmware: "<= 2.3.8-6" })).toBe(false);
    // CVE-2023-28808 with a trailing note in parentheses
    expect(
      inFirmwareRange(fw("2.3.8-8"), {
        firmware: "<= 2.3.8-8 (DS-A72072R also listed with no version bound)",
      }),
    ).toBe(true);
    // CVE-2023-6895 ">= 3.0.3 and < 4.1.0"
    const r6895 = { firmware: ">= 3.0.3 and < 4.1.0" };
    expect(inFirmwareRange(fw("3.0.3"), r6895)).toBe(true);
    expect(inFirmwareRange(fw("4.0.9"), r6895)).toBe(true);
    expect(inFirmwareRange(fw("4.1.0"), r6895)).toBe(false);
    expect(inFirmwareRange(fw("3.0.2"), r6895)).toBe(false);
    // CVE-2013-4975 exact "4.1.0 b130111" (and "(Jan 2013)" note of CVE-2013-4977)
    expect(inFirmwareRange(fw("V4.1.0 build 130111"), { firmware: "4.1.0 b130111" })).toBe(true);
    expect(inFirmwareRange(fw("V4.1.0 build 130111"), { firmware: "4.1.0 b130111 (Jan 2013)" })).toBe(true);
    expect(inFirmwareRange(fw("V4.1.0 build 130215"), { firmware: "4.1.0 b130111" })).toBe(false);
    // CVE-2013-6117 two exact versions: either one
    const r6117 = { model: "Dahua DVR", firmware: "2.608.0000.0 and 2.608.GV00.0" };
    expect(inFirmwareRange(fw("2.608.GV00.0"), r6117)).toBe(true);
    expect(inFirmwareRange(fw("2.608.0000.0"), r6117)).toBe(true);
    expect(inFirmwareRange(fw("2.608.0000.1"), r6117)).toBeNull(); // GV branch cannot be compared
  });

  it("mostRecentVulnerable (CVE-2021-36260 firmware file names)", () => {
    const g3 = { firmwareType: "IPC_G3", mostRecentVulnerable: "IPC_G3_EN_STD_5.5.160_210416" };
    expect(inFirmwareRange(fw("V5.5.160 build 210416"), g3)).toBe(true);
    expect(inFirmwareRange(fw("V5.5.6build 180326"), g3)).toBe(true);
    expect(inFirmwareRange(fw("V5.5.800 build 210628"), g3)).toBe(false);
    expect(inFirmwareRange(fw("V5.5.160 build 210416"), { mostRecentVulnerable: "unknown" })).toBeNull();
    expect(
      inFirmwareRange(fw("V5.5.160 build 210416"), {
        mostRecentVulnerable: "factory-installed firmware mid-2021",
      }),
    ).toBeNull();
  });

  it("Dahua fixedIn (exclusive), per OEM branch", () => {
    // CVE-2021-33044 ipc-hx3xxx fixedIn
    const hx3 = { fixedIn: "2.800.0000000.29.r.210630" };
    expect(inFirmwareRange(fw("2.800.0000000.25.R"), hx3)).toBe(true);
    expect(inFirmwareRange(fw("2.800.0000000.29.R"), hx3)).toBe(false);
    expect(
      inFirmwareRange(fw("2.800.0000016.0.R,build:2020-06-05"), { before: "2.800.0000000.29.r.210630" }),
    ).toBe(false);
    // CVE-2020-5735 IP2M-841 fixedIn vs python-amcrest's sample reply
    const amcrest = { fixedIn: "v2.420.ac00.18.r.20200217" };
    expect(inFirmwareRange(fw("version=2.420.AC00.15.R\r\nBuildDate=2016-09-08"), amcrest)).toBe(true);
    // a generic Dahua build against an Amcrest bound: cannot say
    expect(inFirmwareRange(fw("2.420.0000.15.R"), amcrest)).toBeNull();
  });

  it("build-date ranges", () => {
    // CVE-2022-30563 "build date before 2022-04"
    const r30563 = { firmware: "build date before 2022-04" };
    expect(inFirmwareRange(fw("2.800.0000000.4.R, Build Date 2019-11-05"), r30563)).toBe(true);
    // a camera-plugin README's confirmed-model list, Dahua IPC-HDW5442TM-AS (cited by content)
    expect(inFirmwareRange(fw("V2.840.0000000.30.R, Build Date: 2025-02-27"), r30563)).toBe(false);
    expect(inFirmwareRange(fw("2.400.0.8"), r30563)).toBeNull(); // no build date known
    // CVE-2017-9315 "builds between 2015/07 and 2017/03"
    const r9315 = { firmware: "builds between 2015/07 and 2017/03" };
    expect(inFirmwareRange(fw("2.420.Dahua 00.14.R, build: 2016-06-18"), r9315)).toBe(true);
    expect(inFirmwareRange(fw("2.400.0000000.16.R, Build Date: 2017-08-31"), r9315)).toBe(false);
    expect(inFirmwareRange(fw("2.400.0000000.16.R, Build Date: 2017-03-31"), r9315)).toBe(true);
    // explicit date keys; CVE-2021-36260 "patched builds dated 210628 or later"
    expect(inFirmwareRange(fw("V5.5.85 build 201120", "hikvision"), { builtBefore: "210628" })).toBe(true);
    expect(inFirmwareRange(fw("V5.5.800 build 210628"), { builtBefore: "210628" })).toBe(false);
    expect(
      inFirmwareRange(fw("V5.5.800 build 210628"), { builtFrom: "2021-06", builtUpTo: "2021-06-30" }),
    ).toBe(true);
  });

  it("unreadable or foreign bounds give null; a readable bound that excludes gives false", () => {
    const hik = fw("V5.3.5 build 151029", "hikvision");
    expect(inFirmwareRange(hik, {})).toBeNull();
    expect(inFirmwareRange(hik, { firmware: "no version bound in NVD" })).toBeNull();
    expect(inFirmwareRange(hik, { firmware: "see advisory table" })).toBeNull();
    expect(inFirmwareRange(hik, { fixedIn: "2.800.0000000.29.r.210630" })).toBeNull(); // Dahua bound
    expect(inFirmwareRange(hik, { from: "V5.2.0 build 140721", to: "garbage" })).toBeNull();
    expect(inFirmwareRange(hik, { from: "V5.4.0 build 140721", to: "garbage" })).toBe(false);
    expect(inFirmwareRange(hik, { firmware: "< 5.4.5 and >= 9.9 and 1.2" })).toBeNull(); // mixed clauses
    expect(inFirmwareRange(hik, { to: 42 as unknown as string })).toBeNull();
    expect(inFirmwareRange(hik, null as never)).toBeNull();
    expect(inFirmwareRange(hik, { firmware: "<".repeat(100_000) })).toBeNull();
  });
});

describe("parseSerial", () => {
  it("Hikvision camera serials: model + date + code + unit (protocols.md §4.3)", () => {
    expect(parseSerial("DS-2CD2320D-I20180919AACHC52932642")).toEqual({
      raw: "DS-2CD2320D-I20180919AACHC52932642",
      model: "DS-2CD2320D-I",
      date: "2018-09-19",
      code: "AACH",
      sequence: "C52932642",
      scheme: "hikvision",
    });
    expect(parseSerial("DS-2CD63C5G1-IVS20250709AAWRGB0034379")).toMatchObject({
      model: "DS-2CD63C5G1-IVS",
      date: "2025-07-09",
      sequence: "GB0034379", // equals ISAPI subSerialNumber (protocols.md §2.6)
    });
    expect(parseSerial("DS-2CD2432F-IW20150126CCCH502126167")).toMatchObject({
      model: "DS-2CD2432F-IW",
      date: "2015-01-26",
      code: "CCCH",
    });
    expect(parseSerial("DS-2CD2T47G1-L20190522AAWRD22374804", "hikvision")).toMatchObject({
      model: "DS-2CD2T47G1-L",
      sequence: "D22374804",
    });
  });

  it("Hikvision recorder serials carry 2 digits before the date", () => {
    // ISAPI JSON of a DS-7608NI-I2/8P NVR (cited by content)
    expect(parseSerial("DS-7608NI-I2/8P0820190316CCRRD00675487WCVU")).toMatchObject({
      model: "DS-7608NI-I2/8P",
      channels: 8,
      date: "2019-03-16",
      code: "CCRR",
      sequence: "D00675487WCVU",
      scheme: "hikvision",
    });
    // haohedev/VideoSurveillanceSystem README.md: DVR DS-7816H-SNH
    expect(parseSerial("DS-7816H-SNH1620140125AACH450813722WCVU")).toMatchObject({
      model: "DS-7816H-SNH",
      channels: 16,
      date: "2014-01-25",
    });
    // with the model known from deviceInfo the split is exact
    expect(
      parseSerial("DS-7608NI-I2/8P0820190316CCRRD00675487WCVU", "hikvision", "DS-7608NI-I2/8P"),
    ).toMatchObject({ model: "DS-7608NI-I2/8P", channels: 8 });
    expect(parseSerial("DS-2CD2320D-I20180919AACHC52932642", null, "DS-2CD2320D-I")).toMatchObject({
      model: "DS-2CD2320D-I",
      date: "2018-09-19",
    });
    expect(
      parseSerial("DS-2CD2320D-I20180919AACHC52932642", null, "DS-2CD2320D-I")?.channels,
    ).toBeUndefined();
  });

  it("Dahua and other serials", () => {
    // protocols.md §6.6 Dahua serials
    expect(parseSerial("1F006E4PAX00075", "dahua")).toEqual({ raw: "1F006E4PAX00075", scheme: "dahua" });
    expect(parseSerial("4C045ADPAG60CD", "dahua")?.scheme).toBe("dahua");
    expect(parseSerial("2J01018PAA00813")?.scheme).toBe("generic"); // no hint: not claimed
    // protocols.md §7.1 Axis realm MAC-serial
    expect(parseSerial("ACCC8E3A0A8F")).toEqual({ raw: "ACCC8E3A0A8F", scheme: "generic" });
  });

  it("impossible dates are not Hikvision; junk is null", () => {
    expect(parseSerial("DS-2CD2320D-I20181399AACHC52932642")?.scheme).toBe("generic");
    for (const j of ["", "  ", "--", "a b c d", "\u0000\u0001abc", "X".repeat(200), "X".repeat(1_000_000)]) {
      expect(parseSerial(j)).toBeNull();
    }
    expect(parseSerial(null as unknown as string)).toBeNull();
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) parseSerial("DS-" + "1".repeat(90) + "AAAA");
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe("normalizeModel", () => {
  it("Hikvision: upper case, maker name dropped, iDS- kept", () => {
    expect(normalizeModel(" ds-2cd2142fwd-i ")).toBe("DS-2CD2142FWD-I");
    // constructed: maker name in front of the model, as product strings write it
    expect(normalizeModel("HIKVISION DS-2CD2142FWD-I")).toBe("DS-2CD2142FWD-I");
    // protocols.md §4.2 AcuSense recorder
    expect(normalizeModel("iDS-7208HUHI-M1/FA")).toBe("iDS-7208HUHI-M1/FA");
    expect(normalizeModel("DS-7608NI-I2/8P", "hikvision")).toBe("DS-7608NI-I2/8P");
  });

  it("Dahua: upper case, DH-/DHI- stripped", () => {
    // protocols.md §6.6
    expect(normalizeModel("DH-IPC-HDW1230T2")).toBe("IPC-HDW1230T2");
    expect(normalizeModel("DH-IPC-HDW1235C-A-V5")).toBe("IPC-HDW1235C-A-V5");
    // rroller/dahua client.py comments: DHI-NVR5464-16P-EI
    expect(normalizeModel("DHI-NVR5464-16P-EI")).toBe("NVR5464-16P-EI");
    expect(normalizeModel("ipc-hdw5421s", "dahua")).toBe("IPC-HDW5421S");
    // vendorModelName of a Dahua camera in a VMS device dump (cited by content)
    expect(normalizeModel("Dahua Technology Co., LTD DH-IPC-HDBW2320RN-ZS")).toBe("IPC-HDBW2320RN-ZS");
    expect(normalizeModel("DH-")).toBe("DH-");
  });

  it("others keep their case; junk gives an empty string", () => {
    expect(normalizeModel("IP Camera")).toBe("IP Camera");
    expect(normalizeModel("AXIS  M3045-V")).toBe("AXIS M3045-V");
    expect(normalizeModel("")).toBe("");
    expect(normalizeModel("\u0000\u0001")).toBe("");
    expect(normalizeModel(undefined as unknown as string)).toBe("");
    expect(normalizeModel("X".repeat(1_000_000)).length).toBe(64);
  });
});
