import { expect, it } from "vitest";
import { buildIdentification } from "../../test/factories.js";
import { describeBackends } from "./__fixtures__/backends.js";
import { listAudit } from "./audit.js";
import type { StoredAssessment } from "./index.js";

/** Assessment runs, each device's latest verdict, compliance per site, exposure statements. On both backends. */
describeBackends("assessments", (inv) => {
  const verdict = (
    deviceId: string,
    status: StoredAssessment["status"],
    over: Partial<StoredAssessment> = {},
  ) => ({
    deviceId,
    organizationId: null,
    siteId: null,
    status,
    risk: 10,
    riskLevel: "low",
    kev: 0,
    findings: { verdict: null },
    ...over,
  });
  const run = {
    packs: [{ id: "P", file: "p.yaml", sha256: "0".repeat(64) }],
    knowledge: {},
    day: "2026-11-22",
  };
  const ids: Record<string, string> = {};

  it("reads each device with its owner: organization type, jurisdiction, sectors, site criticality", async () => {
    const s = inv().store;
    await s.addOrganization({
      id: "csc",
      name: "Correctional Service",
      type: "agency",
      jurisdiction: "CA",
      sectors: ["us-federal-contractor", "us-federal-contractor"],
    });
    await s.addSite({ id: "kingston", organizationId: "csc", name: "Kingston", criticality: "critical" });
    await s.addSegment("kingston", "10.9.1.0/24");
    const scan = await s.beginScan("scan", {});
    for (const [address, manufacturer] of [
      ["10.9.1.5", "hikvision"],
      ["10.9.1.6", "axis"],
      ["10.200.0.9", "dahua"],
    ] as const) {
      const r = await s.recordHost(scan, {
        address,
        openPorts: [80],
        observations: [],
        identification: buildIdentification({ target: address, manufacturer }),
      });
      ids[address] = r.deviceId;
    }
    await s.finishScan(scan, "done", 3);
    const all = await s.devicesToAssess(null, null, 10);
    expect(all.map((d) => d.id)).toEqual([...all.map((d) => d.id)].sort());
    const cam = all.find((d) => d.id === ids["10.9.1.5"])!;
    expect(cam.owner).toEqual({
      organization: { id: "csc", type: "agency", jurisdiction: "CA", sectors: ["us-federal-contractor"] },
      site: { id: "kingston", criticality: "critical" },
    });
    expect(cam.exposure).toBeNull();
    expect(all.find((d) => d.id === ids["10.200.0.9"])!.owner).toBeNull();
    // Pages join up; an organization narrows.
    const first = await s.devicesToAssess(null, null, 2);
    const rest = await s.devicesToAssess(null, first[1]!.id, 2);
    expect([...first, ...rest].map((d) => d.id)).toEqual(all.map((d) => d.id));
    expect((await s.devicesToAssess("csc", null, 10)).map((d) => d.id).sort()).toEqual(
      [ids["10.9.1.5"], ids["10.9.1.6"]].sort(),
    );
  });

  it("keeps the latest verdict per device, counts status changes, and reports compliance per site", async () => {
    const s = inv().store;
    expect((await s.complianceBySite(null, "2026-11-22"))[0]).toMatchObject({
      siteId: "kingston",
      devices: 2,
      unassessed: 2,
    });
    const a = await s.beginAssessment({ organizationId: null, ...run });
    const site = { organizationId: "csc", siteId: "kingston" };
    expect(
      await s.saveAssessments(a, [
        verdict(ids["10.9.1.5"]!, "prohibited", { ...site, kev: 2, risk: 90, riskLevel: "critical" }),
        verdict(ids["10.9.1.6"]!, "allowed", site),
        verdict(ids["10.200.0.9"]!, "unowned"),
      ]),
    ).toEqual({ "none>prohibited": 1, "none>allowed": 1, "none>unowned": 1 });
    await s.finishAssessment(a, "done", { devices: 3, counts: { prohibited: 1 }, changes: {} });
    const b = await s.beginAssessment({ organizationId: "csc", ...run });
    expect(await s.saveAssessments(b, [verdict(ids["10.9.1.6"]!, "advisory", site)])).toEqual({
      "allowed>advisory": 1,
    });
    await s.finishAssessment(b, "done", { devices: 1, counts: {}, changes: {} });

    const [kingston, loose] = await s.complianceBySite(null, "2026-11-22");
    expect(kingston).toMatchObject({
      organizationId: "csc",
      organizationType: "agency",
      siteId: "kingston",
      criticality: "critical",
      devices: 2,
      counts: { prohibited: 1, advisory: 1, allowed: 0, unowned: 0 },
      unassessed: 0,
      stale: 0,
      kev: 1,
    });
    expect(loose).toMatchObject({ siteId: null, devices: 1, counts: { unowned: 1 } });
    expect(await s.complianceBySite("csc", "2026-11-22")).toHaveLength(1);
    expect(await s.latestAssessment()).toMatchObject({ id: b, organizationId: "csc", devices: 1 });
    const attention = await s.devicesNeedingAttention(null, 10);
    // Riskiest first, then by address (as text): the allowed device without KEV is not listed.
    expect(attention.map((d) => [d.address, d.status])).toEqual([
      ["10.9.1.5", "prohibited"],
      ["10.200.0.9", "unowned"],
      ["10.9.1.6", "advisory"],
    ]);
    const log = await listAudit(inv().db, 100);
    // newest first
    expect(log.filter((e) => e.entity === "assessment").map((e) => [e.action, e.entityId])).toEqual([
      ["finish", b],
      ["start", b],
      ["finish", a],
      ["start", a],
    ]);
  });

  it("marks a verdict out of date once its device is seen again", async () => {
    const s = inv().store;
    const scan = await s.beginScan("scan", {});
    await s.recordHost(scan, {
      address: "10.9.1.6",
      openPorts: [80],
      observations: [],
      identification: buildIdentification({ target: "10.9.1.6", manufacturer: "axis" }),
    });
    await s.finishScan(scan, "done", 1);
    expect((await s.complianceBySite("csc", "2026-11-22"))[0]).toMatchObject({ stale: 1, unassessed: 0 });
  });

  it("states internet exposure by id or address, all or nothing, audited", async () => {
    const s = inv().store;
    await expect(
      s.setExposure(["10.9.1.5", "10.9.1.77"], { internet: true, source: "perimeter scan" }),
    ).rejects.toThrow(/"10\.9\.1\.77": no device has this id or address/);
    expect((await s.devicesToAssess("csc", null, 10)).every((d) => d.exposure === null)).toBe(true);
    await expect(s.setExposure(["10.9.1.5"], { internet: true, source: "line\nbreak" })).rejects.toThrow(
      /--source/,
    );
    expect(
      await s.setExposure(["10.9.1.5"], { internet: true, source: "perimeter scan 2026-11-20" }),
    ).toEqual([ids["10.9.1.5"]]);
    const cam = (await s.devicesToAssess("csc", null, 10)).find((d) => d.id === ids["10.9.1.5"])!;
    expect(cam.exposure).toEqual({ internet: true, source: "perimeter scan 2026-11-20" });
    const last = (await listAudit(inv().db, 1))[0]!;
    expect(last).toMatchObject({ entity: "device", entityId: ids["10.9.1.5"], action: "update" });
    await s.setExposure([ids["10.9.1.5"]!], { internet: null, source: "cleared" });
    const again = (await s.devicesToAssess("csc", null, 10)).find((d) => d.id === ids["10.9.1.5"])!;
    expect(again.exposure).toBeNull();
  });
});
