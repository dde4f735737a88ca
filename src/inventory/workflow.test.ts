import { expect, it } from "vitest";
import { buildIdentification } from "../../test/factories.js";
import { describeBackends } from "./__fixtures__/backends.js";
import { listAudit } from "./audit.js";
import { removalDays } from "./report-data.js";
import { Workflow } from "./workflow.js";

const DAY = "2026-11-22";
const file = (name: string, text: string) => ({ name, content: new TextEncoder().encode(text) });

/**
 * The removal workflow on both backends: guarded steps (all or nothing), sanitization before closing, evidence by
 * hash, verified absence per site, a removed device seen again reopened, exceptions with separation of duties and
 * expiry, and what status counts of all of it.
 */
describeBackends("removal workflow", (inv) => {
  const ids: Record<string, string> = {};
  const wf = (actor = "alice") => new Workflow(inv().db, { actor });
  const state = async (address: string) => (await wf().history(address, DAY))[0]!.state;
  const site = async (today = DAY) => (await inv().store.complianceBySite("csc", today))[0]!;

  it("sets up an agency site with two Hikvision devices and an Axis camera, assessed", async () => {
    const s = inv().store;
    await s.addOrganization({ id: "csc", name: "Correctional Service", type: "agency", jurisdiction: "CA" });
    await s.addSite({ id: "kingston", organizationId: "csc", name: "Kingston", criticality: "high" });
    await s.addSegment("kingston", "10.9.1.0/29");
    const scan = await s.beginScan("scan", {});
    for (const [address, manufacturer, deviceType] of [
      ["10.9.1.1", "hikvision", "camera"],
      ["10.9.1.2", "hikvision", "nvr"],
      ["10.9.1.3", "axis", "camera"],
    ] as const) {
      const r = await s.recordHost(scan, {
        address,
        openPorts: [80],
        observations: [],
        identification: buildIdentification({ target: address, manufacturer, deviceType }),
      });
      ids[address] = r.deviceId;
    }
    expect(await s.finishScan(scan, "done", 3)).toEqual([]);
    const a = await s.beginAssessment({ organizationId: null, packs: [], knowledge: {}, day: DAY });
    const verdict = (address: string, status: "prohibited" | "allowed") => ({
      deviceId: ids[address]!,
      organizationId: "csc",
      siteId: "kingston",
      status,
      risk: 50,
      riskLevel: "medium",
      kev: 0,
      findings: { verdict: null },
    });
    await s.saveAssessments(a, [
      verdict("10.9.1.1", "prohibited"),
      verdict("10.9.1.2", "prohibited"),
      verdict("10.9.1.3", "allowed"),
    ]);
    await s.finishAssessment(a, "done", { devices: 3, counts: {}, changes: {} });
    expect(await site()).toMatchObject({ counts: { prohibited: 2, allowed: 1 }, removed: 0, excepted: 0 });
  });

  it("refuses an illegal step for named devices and records nothing", async () => {
    const before = (await listAudit(inv().db, 1000)).length;
    await expect(wf().takeStep(DAY, { step: "removed", names: ["10.9.1.1", "10.9.1.2"] })).rejects.toThrow(
      /nothing recorded; 2 of 2 devices.*it is identified; removed follows scheduled or isolated or reopened/s,
    );
    await expect(wf().takeStep(DAY, { step: "confirmed", names: ["10.9.1.3"] })).rejects.toThrow(
      /latest verdict is allowed/,
    );
    await expect(wf().takeStep(DAY, { step: "confirmed", names: ["10.9.9.9"] })).rejects.toThrow(
      /"10.9.9.9": no device has this id or address/,
    );
    await expect(
      wf().takeStep(DAY, { step: "removed", names: ["10.9.1.1"], date: "2099-01-01" }),
    ).rejects.toThrow(/--date 2099-01-01: a device cannot be removed on a day still to come/);
    expect((await listAudit(inv().db, 1000)).length).toBe(before);
    expect(await state("10.9.1.1")).toBe("identified");
  });

  it("confirms a whole site in bulk, skipping what cannot take the step, and schedules with a day", async () => {
    const r = await wf().takeStep(DAY, {
      step: "confirmed",
      site: "kingston",
      evidence: [file("walkdown.txt", "site walk")],
    });
    expect(r.moved.map((m) => m.deviceId).sort()).toEqual([ids["10.9.1.1"], ids["10.9.1.2"]].sort());
    expect(r.skipped).toEqual([{ deviceId: ids["10.9.1.3"], why: expect.stringMatching(/allowed/) }]);
    await expect(wf().takeStep(DAY, { step: "scheduled", site: "kingston" })).rejects.toThrow(
      /scheduled: say the day \(--on YYYY-MM-DD\)/,
    );
    await wf().takeStep(DAY, { step: "scheduled", site: "kingston", date: "2026-12-01" });
    const h = (await wf().history("10.9.1.2", DAY))[0]!;
    expect(h).toMatchObject({ state: "scheduled", scheduledFor: "2026-12-01", storage: "present" });
    expect(h.steps.map((s) => [s.from, s.to])).toEqual([
      ["identified", "confirmed"],
      ["confirmed", "scheduled"],
    ]);
    // One file backing two devices' steps is stored once and linked twice.
    expect(h.evidence).toEqual([
      expect.objectContaining({ name: "walkdown.txt", size: 9, stepId: h.steps[0]!.id }),
    ]);
    const bytes = await wf().evidence(h.evidence[0]!.sha256);
    expect(new TextDecoder().decode(bytes!)).toBe("site walk");
  });

  it("closes a recorder only after its disks are sanitized, and a camera stated to hold none at once", async () => {
    await wf().takeStep(DAY, {
      step: "removed",
      names: ["10.9.1.2"],
      evidence: [file("photo.jpg", "empty rack")],
    });
    await expect(wf().takeStep(DAY, { step: "closed", names: ["10.9.1.2"] })).rejects.toThrow(
      /stores footage and no sanitization is recorded since its removal/,
    );
    await expect(
      wf().sanitize(DAY, { device: "10.9.1.1", medium: "SD", method: "destroy", date: DAY, by: "x" }),
    ).rejects.toThrow(/it is scheduled; media are sanitized after the device is removed/);
    await expect(
      wf().sanitize(DAY, {
        device: "10.9.1.2",
        medium: "HDD",
        method: "shred" as "destroy",
        date: DAY,
        by: "x",
      }),
    ).rejects.toThrow(/--method shred: one of clear, purge, destroy/);
    const san = await wf().sanitize(DAY, {
      device: "10.9.1.2",
      medium: "HDD 4 TB, serial WD-WX1",
      method: "destroy",
      technique: "shredded to 2 mm",
      date: DAY,
      by: "Shred-It Ottawa",
      certificate: "COD-2026-0042",
      evidence: [file("cod.pdf", "%PDF certificate")],
    });
    expect(san.state).toBe("sanitized");
    await wf().takeStep(DAY, { step: "closed", names: ["10.9.1.2"] });
    await expect(wf().takeStep(DAY, { step: "closed", names: ["10.9.1.1"] })).rejects.toThrow(
      /it is scheduled/,
    );
    await wf().takeStep(DAY, { step: "removed", names: ["10.9.1.1"] });
    await expect(wf().takeStep(DAY, { step: "closed", names: ["10.9.1.1"] })).rejects.toThrow(
      /whether it stores footage is unknown/,
    );
    // Stated at the step: the person on site found no SD card.
    await wf().takeStep(DAY, { step: "closed", names: ["10.9.1.1"], storage: "none" });
    expect(await state("10.9.1.1")).toBe("closed");
    expect(await site()).toMatchObject({ counts: { prohibited: 0, allowed: 1 }, removed: 2, reopened: 0 });
    const audit = await listAudit(inv().db, 1000);
    expect(audit.filter((e) => e.entity === "remediation").length).toBe(10);
    expect(audit.find((e) => e.action === "sanitize")?.data).toMatchObject({
      method: "destroy",
      certificate: "COD-2026-0042",
      evidence: [expect.stringMatching(/^[0-9a-f]{64}$/)],
    });
  });

  it("calls a site verified clear only after a whole sweep since its last removal", async () => {
    expect((await wf().siteClearance(["kingston"]))[0]).toMatchObject({
      verifiedClear: false,
      lastSweep: null,
    });
    const s = inv().store;
    const partial = await s.beginScan("scan", {});
    await s.markHostsDone(partial, ["10.9.1.1", "10.9.1.2"]);
    await s.finishScan(partial, "done", 2);
    expect((await wf().siteClearance(["kingston"]))[0]!.verifiedClear).toBe(false);
    const whole = await s.beginScan("scan", {});
    await s.markHostsDone(whole, ["10.9.1.1", "10.9.1.2", "10.9.1.4", "10.9.1.5", "10.9.1.6"]);
    await s.recordHost(whole, {
      address: "10.9.1.3",
      openPorts: [80],
      observations: [],
      identification: buildIdentification({ target: "10.9.1.3", manufacturer: "axis", deviceType: "camera" }),
    });
    await s.finishScan(whole, "done", 6);
    expect((await wf().siteClearance(["kingston"]))[0]).toMatchObject({ verifiedClear: true, reopened: 0 });
  });

  it("reopens a removed device a later scan sees again, with an alert and the scan in its history", async () => {
    const s = inv().store;
    const scan = await s.beginScan("scan", {});
    await s.recordHost(scan, {
      address: "10.9.1.1",
      openPorts: [80],
      observations: [],
      identification: buildIdentification({
        target: "10.9.1.1",
        manufacturer: "hikvision",
        deviceType: "camera",
      }),
    });
    const reopened = await s.finishScan(scan, "done", 1);
    expect(reopened).toEqual([
      expect.objectContaining({ deviceId: ids["10.9.1.1"], address: "10.9.1.1", from: "closed" }),
    ]);
    const hist = (await wf().history("10.9.1.1", DAY))[0]!;
    expect(hist.steps.at(-1)).toMatchObject({
      from: "closed",
      to: "reopened",
      data: { scan },
    });
    expect(await site()).toMatchObject({ counts: { prohibited: 1 }, removed: 1, reopened: 1 });
    expect((await wf().siteClearance(["kingston"]))[0]!.verifiedClear).toBe(false);
    // A later run that does not see it reopens nothing more.
    const quiet = await s.beginScan("scan", {});
    expect(await s.finishScan(quiet, "done", 0)).toEqual([]);
    // Plan against actual counts only devices still gone: the recorder, not the reopened camera.
    expect(await removalDays(inv().db, [ids["10.9.1.1"]!, ids["10.9.1.2"]!])).toEqual(
      new Map([[ids["10.9.1.2"]!, DAY]]),
    );
  });

  it("grants an exception only with controls, a future end and another person's approval, and lets it expire", async () => {
    await expect(
      wf().requestException(DAY, {
        device: "10.9.1.1",
        justification: "x",
        controls: [],
        until: "2027-03-31",
      }),
    ).rejects.toThrow(/--control: name at least one compensating control/);
    await expect(
      wf().requestException(DAY, {
        device: "10.9.1.1",
        justification: "x",
        controls: ["VLAN"],
        until: "2026-01-01",
      }),
    ).rejects.toThrow(/--until 2026-01-01: already past/);
    await expect(
      wf().requestException(DAY, {
        device: "10.9.1.3",
        justification: "x",
        controls: ["VLAN"],
        until: "2027-01-01",
      }),
    ).rejects.toThrow(/latest verdict is allowed; it needs no exception/);
    const id = await wf("alice").requestException(DAY, {
      device: "10.9.1.1",
      justification: "covers the sally port until the replacement is delivered",
      controls: ["isolated VLAN 99, no route to the internet", "P2P cloud blocked at the firewall"],
      until: "2027-03-31",
    });
    await expect(wf("alice").decideException(DAY, id, "approve", { note: "ok" })).rejects.toThrow(
      /requested by alice, who cannot approve it too/,
    );
    await expect(
      wf("bob").decideException(DAY, id, "approve", { note: "ok", until: "2027-06-30" }),
    ).rejects.toThrow(/later than the 2027-03-31 requested/);
    const approved = await wf("bob").decideException(DAY, id, "approve", {
      note: "approved by the departmental security officer",
      until: "2027-01-31",
    });
    expect(approved).toMatchObject({ state: "approved", decidedBy: "bob", expiresOn: "2027-01-31" });
    expect(await site()).toMatchObject({ counts: { prohibited: 0 }, excepted: 1, lapsed: 0 });
    // After its last day the device is prohibited again, flagged as lapsed, before anyone writes anything ...
    expect(await site("2027-02-01")).toMatchObject({ counts: { prohibited: 1 }, excepted: 0, lapsed: 1 });
    expect((await wf().listExceptions("2027-02-01", { all: true }))[0]!.state).toBe("expired");
    // ... and the next write records the expiry in the audit log.
    expect(await wf().expireExceptions("2027-02-01")).toEqual([id]);
    const log = await listAudit(inv().db, 1000);
    expect(log.filter((e) => e.entity === "exception").map((e) => e.action)).toEqual([
      "expire",
      "approve",
      "request",
    ]);
    await expect(wf("bob").decideException("2027-02-01", id, "revoke", { note: "x" })).rejects.toThrow(
      /it is expired; only exceptions approved can be revoked/,
    );
  });

  it("takes another maker's camera at a removed recorder's address for a new device, not a return", async () => {
    const s = inv().store;
    const seen = (manufacturer: string) => ({
      address: "10.9.1.2",
      openPorts: [80],
      observations: [],
      identification: buildIdentification({ target: "10.9.1.2", manufacturer, deviceType: "camera" }),
    });
    const scan = await s.beginScan("scan", {});
    const replacement = await s.recordHost(scan, seen("axis"));
    expect(await s.finishScan(scan, "done", 1)).toEqual([]);
    expect(replacement.deviceId).not.toBe(ids["10.9.1.2"]);
    expect((await wf().history(ids["10.9.1.2"]!, DAY))[0]!.state).toBe("closed");
    // The same maker at that address again is the removed unit back (no MAC or serial to tell them apart).
    const again = await s.beginScan("scan", {});
    expect((await s.recordHost(again, seen("hikvision"))).deviceId).toBe(ids["10.9.1.2"]);
    expect(await s.finishScan(again, "done", 1)).toEqual([
      expect.objectContaining({ deviceId: ids["10.9.1.2"], from: "closed" }),
    ]);
  });

  it("selects by maker across the inventory, leaving restricted devices the rules allow to be named", async () => {
    const s = inv().store;
    await s.addOrganization({ id: "shop", name: "Corner shop", type: "private", jurisdiction: "CA" });
    await s.addSite({ id: "till", organizationId: "shop", name: "Till", criticality: "low" });
    await s.addSegment("till", "10.9.2.0/29");
    const scan = await s.beginScan("scan", {});
    const dahua = await s.recordHost(scan, {
      address: "10.9.2.1",
      openPorts: [80],
      observations: [],
      identification: buildIdentification({
        target: "10.9.2.1",
        manufacturer: "dahua",
        deviceType: "camera",
        restricted: true,
      }),
    });
    await s.finishScan(scan, "done", 1);
    const a = await s.beginAssessment({ organizationId: null, packs: [], knowledge: {}, day: DAY });
    await s.saveAssessments(a, [
      {
        deviceId: dahua.deviceId,
        organizationId: "shop",
        siteId: "till",
        status: "allowed",
        risk: 70,
        riskLevel: "high",
        kev: 1,
        findings: { verdict: null },
      },
    ]);
    await s.finishAssessment(a, "done", { devices: 1, counts: {}, changes: {} });
    await expect(wf().takeStep(DAY, { step: "confirmed", manufacturer: "Dahua" })).rejects.toThrow(
      /confirmed: no device made by Dahua can take this step: 1 device: its latest verdict is allowed: a selection takes prohibited and advisory devices; name it to act on it anyway/,
    );
    await expect(wf().takeStep(DAY, { step: "confirmed" })).rejects.toThrow(/or select them with --site/);
    // Both Hikvision devices seen again are what a "reopened" filter holds; the Axis camera is not.
    const back = await wf().takeStep(DAY, {
      step: "confirmed",
      manufacturer: "hikvision",
      state: "reopened",
    });
    expect(back.moved.map((m) => [m.deviceId, m.from]).sort()).toEqual(
      [
        [ids["10.9.1.1"], "reopened"],
        [ids["10.9.1.2"], "reopened"],
      ].sort(),
    );
    const named = await wf().takeStep(DAY, { step: "confirmed", names: ["10.9.2.1"] });
    expect(named.moved).toEqual([{ deviceId: dahua.deviceId, from: "identified", to: "confirmed" }]);
  });
});
