import type { FastifyInstance } from "fastify";
import { afterAll, expect, it } from "vitest";
import { buildIdentification } from "../../test/factories.js";
import { describeBackends } from "../inventory/__fixtures__/backends.js";
import { listAudit } from "../inventory/audit.js";
import { addUser, createToken } from "../inventory/users.js";
import { buildServer } from "./app.js";

/**
 * Role x endpoint x organization, on both backends: every endpoint called by every role, for a device of the
 * caller's organization and of another. "allowed" means the request reached the store (200, or a 400 the workflow
 * itself gives); every refusal (403, or 404 for another organization's device, whose existence is not told) writes
 * nothing. All tokens are write tokens, so only the role and the organization decide.
 */
type Who = "admin" | "pm" | "auditor" | "viewer" | "viewerAll";
type Outcome = "allowed" | "forbidden" | "hidden";

describeBackends("role matrix", (inv) => {
  let app: FastifyInstance;
  const tokens = {} as Record<Who, string>;
  const device = {} as Record<"dnd" | "rcmp", string>;
  afterAll(async () => app?.close());

  it("sets up two organizations, a prohibited device in each, and a user of each role", async () => {
    const s = inv().store;
    const scan = await s.beginScan("scan", {});
    for (const [org, net] of [
      ["dnd", "10.1.0"],
      ["rcmp", "10.2.0"],
    ] as const) {
      await s.addOrganization({ id: org, name: org, type: "federal-department", jurisdiction: "CA" });
      await s.addSite({ id: `${org}-hq`, organizationId: org, name: "HQ", criticality: "high" });
      await s.addSegment(`${org}-hq`, `${net}.0/24`);
      const r = await s.recordHost(scan, {
        address: `${net}.5`,
        openPorts: [80],
        observations: [],
        identification: buildIdentification({
          target: `${net}.5`,
          manufacturer: "hikvision",
          deviceType: "camera",
          restricted: true,
        }),
      });
      device[org] = r.deviceId;
    }
    await s.finishScan(scan, "done", 2);
    const a = await s.beginAssessment({ organizationId: null, packs: [], knowledge: {}, day: "2026-11-23" });
    await s.saveAssessments(
      a,
      (["dnd", "rcmp"] as const).map((org) => ({
        deviceId: device[org],
        organizationId: org,
        siteId: `${org}-hq`,
        status: "prohibited" as const,
        risk: 80,
        riskLevel: "high",
        kev: 1,
        findings: { verdict: null },
      })),
    );
    await s.finishAssessment(a, "done", { devices: 2, counts: {}, changes: {} });
    const users: [Who, "admin" | "program-manager" | "auditor" | "viewer", string | null][] = [
      ["admin", "admin", null],
      ["pm", "program-manager", null],
      ["auditor", "auditor", "dnd"],
      ["viewer", "viewer", "dnd"],
      ["viewerAll", "viewer", null],
    ];
    for (const [who, role, org] of users) {
      await inv().db.transaction((tx) =>
        addUser(
          tx,
          {},
          { name: who.toLowerCase(), role, organizationId: org, password: "a long test password" },
        ),
      );
      const t = await inv().db.transaction((tx) =>
        createToken(tx, {}, { user: who.toLowerCase(), name: "m", scope: "write", expiresAt: null }),
      );
      tokens[who] = t.secret;
    }
    app = await buildServer({ inv: inv() });
  });

  const call = (who: Who, method: "GET" | "POST", url: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who]}` },
      ...(payload ? { payload } : {}),
    });

  const classify = (status: number): Outcome | `status ${number}` =>
    status === 403
      ? "forbidden"
      : status === 404
        ? "hidden"
        : status === 200 || status === 400
          ? "allowed"
          : `status ${status}`;

  /** What each role may do to its own organization's device ("own") and to the other's ("other"; dnd is own). */
  const MATRIX: {
    name: string;
    method: "GET" | "POST";
    url: (org: "dnd" | "rcmp") => string;
    body?: (org: "dnd" | "rcmp") => object;
    expect: Record<Who, [own: Outcome, other: Outcome]>;
  }[] = [
    {
      name: "list devices",
      method: "GET",
      url: (org) => `/api/v1/devices?organization=${org}`,
      expect: {
        admin: ["allowed", "allowed"],
        pm: ["allowed", "allowed"],
        auditor: ["allowed", "forbidden"],
        viewer: ["allowed", "forbidden"],
        viewerAll: ["allowed", "allowed"],
      },
    },
    {
      name: "read a device's workflow",
      method: "GET",
      url: (org) => `/api/v1/devices/${device[org]}/workflow`,
      expect: {
        admin: ["allowed", "allowed"],
        pm: ["allowed", "allowed"],
        auditor: ["allowed", "hidden"],
        viewer: ["allowed", "hidden"],
        viewerAll: ["allowed", "allowed"],
      },
    },
    {
      name: "take a workflow step",
      method: "POST",
      url: (org) => `/api/v1/devices/${device[org]}/steps`,
      body: () => ({ step: "confirmed" }),
      expect: {
        admin: ["allowed", "allowed"],
        pm: ["forbidden", "forbidden"],
        auditor: ["allowed", "hidden"],
        viewer: ["forbidden", "forbidden"],
        viewerAll: ["forbidden", "forbidden"],
      },
    },
    {
      name: "request an exception",
      method: "POST",
      url: () => "/api/v1/exceptions",
      body: (org) => ({ device: device[org], justification: "x", controls: ["VLAN"], until: "2099-01-01" }),
      expect: {
        admin: ["allowed", "allowed"],
        pm: ["forbidden", "forbidden"],
        auditor: ["allowed", "hidden"],
        viewer: ["forbidden", "forbidden"],
        viewerAll: ["forbidden", "forbidden"],
      },
    },
    {
      name: "decide on an exception",
      method: "POST",
      url: () => "/api/v1/exceptions/999/decision",
      body: () => ({ decision: "reject", note: "no" }),
      expect: {
        admin: ["allowed", "allowed"],
        pm: ["forbidden", "forbidden"],
        auditor: ["forbidden", "forbidden"],
        viewer: ["forbidden", "forbidden"],
        viewerAll: ["forbidden", "forbidden"],
      },
    },
  ];

  for (const row of MATRIX)
    for (const who of Object.keys(row.expect) as Who[])
      it(`${row.name} as ${who}: own ${row.expect[who][0]}, other ${row.expect[who][1]}`, async () => {
        for (const [i, org] of (["dnd", "rcmp"] as const).entries()) {
          const before = (await listAudit(inv().db, 100000)).length;
          const r = await call(who, row.method, row.url(org), row.body?.(org));
          const got = classify(r.statusCode);
          expect({ org, got, body: got === "allowed" ? "" : r.json().error }).toMatchObject({
            org,
            got: row.expect[who][i],
          });
          if (got !== "allowed") expect((await listAudit(inv().db, 100000)).length).toBe(before);
        }
      });

  it("records the API's writes in the audit log under the user's name", async () => {
    const log = await listAudit(inv().db, 100000);
    const steps = log.filter((e) => e.entity === "remediation" && e.action === "transition");
    // The admin confirmed both devices first; the auditor's confirm of its own then met the workflow's own refusal.
    expect(steps.map((e) => [e.entityId, e.actor]).sort()).toEqual(
      [
        [device.dnd, "admin (api)"],
        [device.rcmp, "admin (api)"],
      ].sort(),
    );
    // Likewise the exception requests: one open request per device, the admin's.
    expect(log.filter((e) => e.entity === "exception" && e.action === "request").map((e) => e.actor)).toEqual(
      ["admin (api)", "admin (api)"],
    );
  });
});
