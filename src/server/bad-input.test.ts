import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, expect, it } from "vitest";
import { buildIdentification } from "../../test/factories.js";
import { describeBackends } from "../inventory/__fixtures__/backends.js";
import { listAudit } from "../inventory/audit.js";
import { MAX_EVIDENCE_BYTES, Workflow } from "../inventory/index.js";
import { addUser, createToken, revokeToken } from "../inventory/users.js";
import { todayUtc } from "../shared/dates.js";
import { BODY_LIMIT, buildServer } from "./app.js";
import { SCREEN_UPLOAD_BYTES } from "./routes/program.js";

/**
 * Bad input on both backends: malformed or oversized bodies, unknown fields, wrong types, sessions and tokens past
 * their end or outside their scope, uploads too large or of the wrong kind, a cursor of another sort. Each is a 4xx
 * with `{"error": reason, "status"}`, and writes nothing: the workflow tables, evidence, exceptions, plans,
 * sessions, tokens and the audit log are as they were. Where a refusal could hide a route that never writes, a
 * well-formed twin of the same request shows that it would have.
 */

/** A multipart/form-data body built by hand (fast at 64 MiB: one copy of the file). */
function multipart(
  fields: Record<string, string>,
  file?: { name: string; content: Buffer | string; field?: string },
): { payload: Buffer; type: string } {
  const boundary = `----camsweep${randomBytes(8).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? "file"}"; filename="${file.name}"\r\n` +
          "Content-Type: application/octet-stream\r\n\r\n",
      ),
      Buffer.from(file.content),
      Buffer.from("\r\n"),
    );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

const ORDER = "Manufacturer,Model\nHikvision,DS-2CD2043G2-I\n";

describeBackends("bad input", (inv) => {
  let app: FastifyInstance;
  /** removed: a sanitization record would be taken; fresh: identified, a confirmation would be taken */
  const device = { removed: "", fresh: "" };
  const token = { write: "", read: "" };
  afterAll(async () => app?.close());

  it("sets up an organization with two prohibited devices, an admin with a write and a read token, an auditor", async () => {
    const s = inv().store;
    await s.addOrganization({ id: "dnd", name: "DND", type: "federal-department", jurisdiction: "CA" });
    await s.addSite({ id: "dnd-hq", organizationId: "dnd", name: "HQ", criticality: "high" });
    await s.addSegment("dnd-hq", "10.1.0.0/24");
    const scan = await s.beginScan("scan", {});
    for (const [k, address] of [
      ["removed", "10.1.0.5"],
      ["fresh", "10.1.0.6"],
    ] as const)
      device[k] = (
        await s.recordHost(scan, {
          address,
          openPorts: [80],
          observations: [],
          identification: buildIdentification({
            target: address,
            manufacturer: "hikvision",
            deviceType: "camera",
            restricted: true,
          }),
        })
      ).deviceId;
    await s.finishScan(scan, "done", 2);
    const w = new Workflow(inv().db, { actor: "setup" });
    for (const [step, date] of [["confirmed"], ["scheduled", "2026-01-01"], ["removed"]] as const)
      await w.takeStep(todayUtc(), { step, names: [device.removed], ...(date ? { date } : {}) });
    for (const [name, role, org] of [
      ["ada", "admin", null],
      ["dana", "auditor", "dnd"],
    ] as const)
      await inv().db.transaction((tx) =>
        addUser(tx, {}, { name, role, organizationId: org, password: `correct horse ${name} staple` }),
      );
    for (const scope of ["write", "read"] as const)
      token[scope] = (
        await inv().db.transaction((tx) =>
          createToken(tx, {}, { user: "ada", name: scope, scope, expiresAt: null }),
        )
      ).secret;
    app = await buildServer({ inv: inv() });
  });

  /** Everything a request could write (the tokens without last_used_at, which each use of one sets). */
  async function snapshot() {
    const rows = async (sql: string) => (await inv().db.query<Record<string, unknown>>(sql)).rows;
    return {
      remediation: await rows("SELECT * FROM remediation ORDER BY device_id"),
      steps: await rows("SELECT * FROM remediation_steps ORDER BY id"),
      sanitizations: await rows("SELECT * FROM sanitizations ORDER BY id"),
      exceptions: await rows("SELECT * FROM exceptions ORDER BY id"),
      evidence: await rows("SELECT sha256, size FROM evidence ORDER BY sha256"),
      links: await rows("SELECT * FROM evidence_links ORDER BY id"),
      plans: await rows("SELECT id FROM plans ORDER BY id"),
      sessions: await rows("SELECT * FROM sessions ORDER BY secret_sha256"),
      tokens: await rows("SELECT id, revoked_at, expires_at FROM api_tokens ORDER BY id"),
      audit: await listAudit(inv().db, 100000),
    };
  }

  const send = (
    method: "GET" | "POST" | "DELETE",
    url: string,
    o: {
      auth?: string;
      headers?: Record<string, string>;
      payload?: string | Buffer | object;
      type?: string;
    } = {},
  ) =>
    app.inject({
      method,
      url,
      headers: {
        ...(o.auth === "" ? {} : { authorization: `Bearer ${o.auth ?? token.write}` }),
        ...(o.type ? { "content-type": o.type } : {}),
        ...o.headers,
      },
      ...(o.payload !== undefined ? { payload: o.payload } : {}),
    });

  /** The request is refused with `status` and a reason matching `reason`, and nothing was written. */
  async function refused(
    request: () => Promise<LightMyRequestResponse>,
    status: number,
    reason: RegExp,
  ): Promise<string> {
    const before = await snapshot();
    const r = await request();
    expect({ status: r.statusCode, body: r.body }).toMatchObject({ status });
    expect(r.json()).toEqual({ error: expect.stringMatching(reason), status });
    expect(await snapshot()).toEqual(before);
    return r.json().error as string;
  }

  const stepUrl = () => `/api/v1/devices/${device.fresh}/steps`;

  it("refuses malformed JSON with 400, before anything runs", async () => {
    await refused(
      () => send("POST", stepUrl(), { payload: '{"step": "confirmed"', type: "application/json" }),
      400,
      /not valid JSON/,
    );
  });

  it("refuses a body over 1 MiB with 413", async () => {
    const justification = "j".repeat(BODY_LIMIT);
    await refused(
      () =>
        send("POST", "/api/v1/exceptions", {
          payload: { device: device.fresh, justification, controls: ["VLAN"], until: "2099-01-01" },
        }),
      413,
      /too large/,
    );
  });

  it("refuses an unknown field in a body with 400 naming it", async () => {
    await refused(
      () => send("POST", stepUrl(), { payload: { step: "confirmed", colour: "red" } }),
      400,
      /^body: .*"colour"/,
    );
    await refused(
      () =>
        send("POST", "/api/v1/steps", { payload: { step: "confirmed", ids: [device.fresh], colour: "red" } }),
      400,
      /^body: .*"colour"/,
    );
    await refused(
      () =>
        send("POST", "/api/v1/exceptions", {
          payload: {
            device: device.fresh,
            justification: "x",
            controls: ["VLAN"],
            until: "2099-01-01",
            colour: 1,
          },
        }),
      400,
      /^body: .*"colour"/,
    );
  });

  it("refuses an unknown field in a query with 400 naming it", async () => {
    for (const path of [
      "/api/v1/devices",
      "/api/v1/board",
      "/api/v1/overview",
      "/api/v1/plan",
      "/api/v1/reports/csv",
    ])
      await refused(() => send("GET", `${path}?colour=red`), 400, /^query: .*"colour"/);
    // Every other route refuses an unknown query field too, before anything runs: a write does not go through.
    for (const [method, path] of [
      ["GET", "/api/v1/me"],
      ["GET", "/api/v1/organizations"],
      ["GET", `/api/v1/devices/${device.fresh}`],
      ["GET", `/api/v1/devices/${device.fresh}/workflow`],
      ["GET", `/api/v1/evidence/${"a".repeat(64)}`],
      ["GET", "/api/v1/jobs"],
      ["POST", stepUrl()],
      ["POST", "/api/v1/steps"],
      ["POST", "/api/v1/exceptions"],
      ["POST", `/api/v1/devices/${device.removed}/sanitization`],
      ["POST", "/api/v1/screen"],
    ] as const)
      await refused(
        () => send(method, `${path}?colour=red`, method === "POST" ? { payload: { step: "confirmed" } } : {}),
        400,
        /^query: .*"colour"/,
      );
  });

  it("refuses a wrong type with 400 naming the field", async () => {
    await refused(() => send("POST", stepUrl(), { payload: { step: 5 } }), 400, /^body: step: /);
    await refused(
      () => send("POST", "/api/v1/steps", { payload: { step: "confirmed", ids: device.fresh } }),
      400,
      /^body: ids: .*expected array/,
    );
    await refused(
      () => send("POST", "/api/v1/steps", { payload: { step: "confirmed", ids: ["not-a-uuid"] } }),
      400,
      /^body: ids\.0: /,
    );
    await refused(() => send("POST", "/api/v1/steps", { payload: [1, 2] }), 400, /^body: .*expected object/);
    await refused(() => send("GET", "/api/v1/devices?limit=ten"), 400, /^query: limit: /);
    await refused(() => send("GET", "/api/v1/plan?phases=0"), 400, /^query: phases: /);
    await refused(
      () => send("POST", "/api/v1/exceptions/abc/decision", { payload: { decision: "reject", note: "no" } }),
      400,
      /^path: id: /,
    );
    await refused(
      () => send("POST", "/api/v1/devices/not-a-uuid/steps", { payload: { step: "confirmed" } }),
      400,
      /^path: id: /,
    );
  });

  /** Signs dana in; returns the session's cookie and CSRF token. */
  async function signIn(): Promise<{ cookie: string; csrf: string }> {
    const r = await send("POST", "/api/v1/session", {
      auth: "",
      payload: { name: "dana", password: "correct horse dana staple" },
    });
    expect(r.statusCode).toBe(200);
    return { cookie: String(r.headers["set-cookie"]).split(";")[0]!, csrf: r.json().csrf as string };
  }

  it("refuses an expired session and an ended one with 401, on reads and on writes", async () => {
    const expired = await signIn();
    const as = (s: { cookie: string; csrf: string }) => ({
      auth: "",
      headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
    });
    expect((await send("GET", "/api/v1/me", as(expired))).statusCode).toBe(200);
    await inv().db.query(
      `UPDATE sessions SET expires_at = now() - interval '1 hour'
        WHERE ended_at IS NULL AND user_id = (SELECT id FROM users WHERE name = 'dana')`,
    );
    const why = /^session expired or ended: sign in again$/;
    await refused(() => send("GET", "/api/v1/me", as(expired)), 401, why);
    await refused(
      () => send("POST", stepUrl(), { ...as(expired), payload: { step: "confirmed" } }),
      401,
      why,
    );

    const ended = await signIn();
    expect((await send("DELETE", "/api/v1/session", as(ended))).json()).toEqual({ signedOut: true });
    await refused(() => send("GET", `/api/v1/devices/${device.fresh}`, as(ended)), 401, why);
    await refused(() => send("POST", stepUrl(), { ...as(ended), payload: { step: "confirmed" } }), 401, why);
    await refused(() => send("DELETE", "/api/v1/session", as(ended)), 401, why);
  });

  it("refuses a read token on every write endpoint with 403", async () => {
    const doc = (await send("GET", "/api/docs")).json() as { paths: Record<string, Record<string, unknown>> };
    // Every write the OpenAPI document lists (signing in needs no token), with a body that would otherwise pass.
    const writes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => m === "post" || m === "delete")
        .filter((m) => !(m === "post" && path === "/api/v1/session"))
        .map((m) => ({ method: m.toUpperCase() as "POST" | "DELETE", path })),
    );
    expect(writes.map((w) => `${w.method} ${w.path}`).sort()).toEqual(
      expect.arrayContaining([
        "DELETE /api/v1/jobs/{id}",
        "DELETE /api/v1/session",
        "DELETE /api/v1/tokens/{id}",
        "POST /api/v1/devices/{id}/sanitization",
        "POST /api/v1/devices/{id}/steps",
        "POST /api/v1/exceptions",
        "POST /api/v1/exceptions/{id}/decision",
        "POST /api/v1/jobs/import",
        "POST /api/v1/jobs/scan",
        "POST /api/v1/screen",
        "POST /api/v1/steps",
      ]),
    );
    const form = multipart(
      { medium: "microSD", method: "destroy", date: todayUtc(), by: "Shred Co" },
      { name: "certificate.txt", content: "certificate" },
    );
    const bodies: Record<string, { payload: object | Buffer; type?: string }> = {
      "POST /api/v1/devices/{id}/steps": { payload: { step: "confirmed" } },
      "POST /api/v1/steps": { payload: { step: "confirmed", ids: [device.fresh] } },
      "POST /api/v1/exceptions": {
        payload: { device: device.fresh, justification: "x", controls: ["VLAN"], until: "2099-01-01" },
      },
      "POST /api/v1/devices/{id}/sanitization": { payload: form.payload, type: form.type },
      "POST /api/v1/screen": (({ payload, type }) => ({ payload, type }))(
        multipart({}, { name: "order.csv", content: ORDER }),
      ),
    };
    const { rows } = await inv().db.query<{ id: string }>("SELECT id FROM api_tokens WHERE name = 'write'");
    for (const w of writes) {
      const id = w.path.includes("sanitization")
        ? device.removed
        : w.path.includes("tokens")
          ? rows[0]!.id
          : device.fresh;
      const url = w.path.replace("{id}", w.path.includes("exceptions") ? "1" : id);
      const body = bodies[`${w.method} ${w.path}`];
      await refused(
        () =>
          send(w.method, url, {
            auth: token.read,
            ...(body ? { payload: body.payload, type: body.type } : {}),
          }),
        403,
        new RegExp(`^this token's scope is read; ${w.method} needs a write token$`),
      );
    }
    // The same step with the write token is taken: the refusal above was the scope's alone.
    const ok = await send("POST", stepUrl(), { payload: { step: "confirmed" } });
    expect(ok.json()).toEqual({ deviceId: device.fresh, from: "identified", to: "confirmed" });
  });

  it("refuses an expired token and a revoked one with 401", async () => {
    const make = async (name: string) =>
      inv().db.transaction((tx) =>
        createToken(tx, {}, { user: "ada", name, scope: "write", expiresAt: null }),
      );
    const expired = await make("expired");
    expect((await send("GET", "/api/v1/me", { auth: expired.secret })).statusCode).toBe(200);
    await inv().db.query("UPDATE api_tokens SET expires_at = now() - interval '1 hour' WHERE id = $1", [
      expired.id,
    ]);
    const revoked = await make("revoked");
    await inv().db.transaction((tx) => revokeToken(tx, { actor: "setup" }, revoked.id));
    for (const t of [expired, revoked]) {
      const why = /^token unknown, revoked or expired$/;
      await refused(() => send("GET", "/api/v1/me", { auth: t.secret }), 401, why);
      await refused(
        () =>
          send("POST", `/api/v1/devices/${device.fresh}/steps`, {
            auth: t.secret,
            payload: { step: "scheduled", date: "2099-01-01" },
          }),
        401,
        why,
      );
    }
  });

  it("refuses a purchase order over 10 MiB with 413", async () => {
    const big = multipart({}, { name: "order.csv", content: Buffer.alloc(SCREEN_UPLOAD_BYTES + 1, 0x61) });
    await refused(
      () => send("POST", "/api/v1/screen", { payload: big.payload, type: big.type }),
      413,
      new RegExp(`larger than ${SCREEN_UPLOAD_BYTES} bytes`),
    );
  });

  it("refuses a sanitization evidence file over MAX_EVIDENCE_BYTES with 413; the same form with a small file is recorded", async () => {
    // The real limit through the real route: 64 MiB and a byte, built once (a fraction of a second).
    const fields = { medium: "microSD 128 GB", method: "destroy", date: todayUtc(), by: "Shred Co" };
    const url = `/api/v1/devices/${device.removed}/sanitization`;
    const big = multipart(fields, { name: "video.bin", content: Buffer.alloc(MAX_EVIDENCE_BYTES + 1, 0x61) });
    await refused(
      () => send("POST", url, { payload: big.payload, type: big.type }),
      413,
      new RegExp(`larger than ${MAX_EVIDENCE_BYTES} bytes; nothing was kept`),
    );
    const small = multipart(fields, { name: "certificate.txt", content: "certificate 42" });
    const ok = await send("POST", url, { payload: small.payload, type: small.type });
    expect(ok.json()).toMatchObject({ deviceId: device.removed, state: "sanitized" });
  });

  it("refuses a multipart request with an unknown field, or an unknown file field, with 400 naming it", async () => {
    const fields = { medium: "microSD", method: "destroy", date: todayUtc(), by: "Shred Co" };
    const extra = multipart({ ...fields, colour: "red" }, { name: "certificate.txt", content: "c" });
    await refused(
      () =>
        send("POST", `/api/v1/devices/${device.removed}/sanitization`, {
          payload: extra.payload,
          type: extra.type,
        }),
      400,
      /^form: unknown field "colour"/,
    );
    const wrongFile = multipart({}, { name: "order.csv", content: ORDER, field: "attachment" });
    await refused(
      () => send("POST", "/api/v1/screen", { payload: wrongFile.payload, type: wrongFile.type }),
      400,
      /^form: unknown file field "attachment"/,
    );
  });

  it("refuses a request that is not multipart on a multipart endpoint with 415", async () => {
    await refused(
      () => send("POST", "/api/v1/screen", { payload: { file: ORDER } }),
      415,
      /^send multipart\/form-data/,
    );
    await refused(
      () =>
        send("POST", `/api/v1/devices/${device.removed}/sanitization`, {
          payload: { medium: "microSD", method: "destroy", date: todayUtc(), by: "Shred Co" },
        }),
      415,
      /^send multipart\/form-data/,
    );
    // A type no parser takes is refused by Fastify itself, still as a 415 with a reason.
    await refused(
      () => send("POST", "/api/v1/screen", { payload: ORDER, type: "text/csv" }),
      415,
      /Unsupported Media Type/,
    );
  });

  it("refuses a purchase order that is neither CSV nor XLSX with 400, naming the uploaded file, not a temporary path", async () => {
    for (const [name, content, why] of [
      [
        "quote.pdf",
        Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "latin1"),
        "a PDF, not a CSV or .xlsx list",
      ],
      ["order.csv", randomBytes(4096), "neither CSV text nor an .xlsx workbook"],
    ] as const) {
      const f = multipart({}, { name, content });
      const error = await refused(
        () => send("POST", "/api/v1/screen", { payload: f.payload, type: f.type }),
        400,
        new RegExp(`^${name.replace(".", "\\.")}: ${why}`),
      );
      expect(error).not.toContain(tmpdir());
      expect(error).not.toContain("camsweep-screen-");
    }
  });

  it("refuses a cursor made for another sort, or not made by camsweep, with 400", async () => {
    const first = await send("GET", "/api/v1/devices?limit=1");
    const next = first.json().next as string;
    expect(next).toEqual(expect.any(String));
    expect((await send("GET", `/api/v1/devices?limit=1&after=${next}`)).statusCode).toBe(200);
    await refused(
      () => send("GET", `/api/v1/devices?limit=1&sort=address&after=${next}`),
      400,
      /^this cursor pages the list sorted by default, not by address$/,
    );
    await refused(
      () => send("GET", "/api/v1/devices?after=W10"),
      400,
      /is not a device-list cursor that camsweep gave/,
    );
  });

  it("refuses a NUL in a text field with 400", async () => {
    await refused(() => send("GET", "/api/v1/devices?q=a%00b"), 400, /^query: q: /);
    await refused(() => send("GET", "/api/v1/devices?manufacturer=%00"), 400, /^query: manufacturer: /);
    await refused(
      () => send("POST", "/api/v1/steps", { payload: { step: "confirmed", manufacturer: "a\u0000b" } }),
      400,
      /^body: manufacturer: /,
    );
  });

  it("refuses a malformed multipart body with 400", async () => {
    const whole = multipart(
      { medium: "m", method: "destroy", date: todayUtc(), by: "b" },
      { name: "c.txt", content: "c" },
    );
    const url = `/api/v1/devices/${device.removed}/sanitization`;
    await refused(() => send("POST", url, { payload: "xx", type: "multipart/form-data" }), 400, /multipart/i);
    await refused(
      () => send("POST", url, { payload: whole.payload.subarray(0, -20), type: whole.type }),
      400,
      /multipart/i,
    );
  });
});
