import type { FastifyInstance } from "fastify";
import { afterAll, expect, it } from "vitest";
import { buildIdentification } from "../../test/factories.js";
import { describeBackends } from "../inventory/__fixtures__/backends.js";
import { listAudit } from "../inventory/audit.js";
import { sha256Of } from "../inventory/evidence.js";
import { SESSION_IDLE_MINUTES } from "../inventory/sessions.js";
import { addUser, createToken } from "../inventory/users.js";
import { verifyPassword } from "../shared/passwords.js";
import { buildServer } from "./app.js";
import { CSP } from "./headers.js";

/**
 * The API through Fastify's inject() on both backends: tokens and their scope, each organization seeing only its
 * own devices, strict request schemas, the OpenAPI document, security headers, and writes audited.
 */
describeBackends("server API", (inv) => {
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  const tokenIds: Record<string, string> = {};
  const get = (url: string, who?: string) =>
    app.inject({ method: "GET", url, headers: who ? { authorization: `Bearer ${tokens[who]}` } : {} });
  afterAll(async () => app?.close());

  it("sets up two organizations with a device each, users of each role, and their tokens", async () => {
    const s = inv().store;
    for (const id of ["dnd", "rcmp"]) {
      await s.addOrganization({ id, name: id.toUpperCase(), type: "federal-department", jurisdiction: "CA" });
      await s.addSite({ id: `${id}-hq`, organizationId: id, name: "HQ", criticality: "high" });
      await s.addSegment(`${id}-hq`, id === "dnd" ? "10.1.0.0/24" : "10.2.0.0/24");
    }
    const scan = await s.beginScan("scan", {});
    for (const [address, manufacturer] of [
      ["10.1.0.5", "hikvision"],
      ["10.2.0.5", "dahua"],
    ] as const)
      await s.recordHost(scan, {
        address,
        openPorts: [80],
        observations: [],
        identification: buildIdentification({
          target: address,
          manufacturer,
          deviceType: "camera",
          restricted: true,
        }),
      });
    await s.finishScan(scan, "done", 2);
    const ctx = { actor: "root" };
    const users = [
      ["ada", "admin", null],
      ["pat", "program-manager", null],
      ["dana", "auditor", "dnd"],
      ["ron", "viewer", "rcmp"],
    ] as const;
    for (const [name, role, org] of users) {
      await inv().db.transaction((tx) =>
        addUser(tx, ctx, { name, role, organizationId: org, password: `correct horse ${name} staple` }),
      );
      const t = await inv().db.transaction((tx) =>
        createToken(tx, ctx, {
          user: name,
          name: "test",
          scope: name === "ada" ? "write" : "read",
          expiresAt: null,
        }),
      );
      tokens[name] = t.secret;
      tokenIds[name] = t.id;
    }
    await expect(
      inv().db.transaction((tx) =>
        addUser(tx, ctx, {
          name: "eve",
          role: "auditor",
          organizationId: null,
          password: "long enough password",
        }),
      ),
    ).rejects.toThrow(/an auditor acts for one organization/);
    await expect(
      inv().db.transaction((tx) =>
        addUser(tx, ctx, { name: "eve", role: "viewer", organizationId: null, password: "short" }),
      ),
    ).rejects.toThrow(/password: at least 12 characters/);
    const { rows } = await inv().db.query<{ password_hash: string }>(
      "SELECT password_hash FROM users WHERE name = 'dana'",
    );
    expect(rows[0]!.password_hash).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect(await verifyPassword("correct horse dana staple", rows[0]!.password_hash)).toBe(true);
    expect(await verifyPassword("correct horse dana stapler", rows[0]!.password_hash)).toBe(false);
    app = await buildServer({ inv: inv() });
  });

  it("refuses a request without credentials or with a bad token, with the reason", async () => {
    const none = await get("/api/v1/devices");
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ error: "sign in first", status: 401 });
    const bad = await app.inject({ url: "/api/v1/me", headers: { authorization: "Bearer csw_nope" } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error).toBe("token unknown, revoked or expired");
    expect((await get("/api/v1/health")).json()).toEqual({ ok: true });
  });

  it("shows each organization only its own devices; everyone of all organizations sees both", async () => {
    const addresses = async (who: string, q = "") =>
      ((await get(`/api/v1/devices${q}`, who)).json().devices as { address: string }[])
        .map((d) => d.address)
        .sort();
    expect(await addresses("ada")).toEqual(["10.1.0.5", "10.2.0.5"]);
    expect(await addresses("pat")).toEqual(["10.1.0.5", "10.2.0.5"]);
    expect(await addresses("dana")).toEqual(["10.1.0.5"]);
    expect(await addresses("ron")).toEqual(["10.2.0.5"]);
    expect(await addresses("pat", "?organization=rcmp")).toEqual(["10.2.0.5"]);
    const other = await get("/api/v1/devices?organization=rcmp", "dana");
    expect(other.statusCode).toBe(403);
    expect(other.json().error).toBe("organization rcmp: dana sees only dnd");
    const orgs = (await get("/api/v1/organizations", "ron")).json().organizations as { id: string }[];
    expect(orgs.map((o) => o.id)).toEqual(["rcmp"]);
  });

  it("pages with a cursor and refuses unknown or malformed fields", async () => {
    const first = (await get("/api/v1/devices?limit=1", "ada")).json();
    expect(first.devices).toHaveLength(1);
    const second = (await get(`/api/v1/devices?limit=1&after=${first.next}`, "ada")).json();
    expect(second.devices).toHaveLength(1);
    expect(second.next).toBeNull();
    expect(second.devices[0].id).not.toBe(first.devices[0].id);
    const unknown = await get("/api/v1/devices?colour=red", "ada");
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatch(/^query: .*colour/);
    expect((await get("/api/v1/devices?limit=0", "ada")).statusCode).toBe(400);
    const json = await app.inject({
      method: "DELETE",
      url: `/api/v1/tokens/${tokenIds["dana"]}`,
      headers: { authorization: `Bearer ${tokens["ada"]}`, "content-type": "application/json" },
      payload: "{not json",
    });
    expect(json.statusCode).toBe(400);
    expect(json.json().status).toBe(400);
  });

  it("lets only a write token write, and audits the revocation", async () => {
    const read = await app.inject({
      method: "DELETE",
      url: `/api/v1/tokens/${tokenIds["dana"]}`,
      headers: { authorization: `Bearer ${tokens["dana"]}` },
    });
    expect(read.statusCode).toBe(403);
    expect(read.json().error).toBe("this token's scope is read; DELETE needs a write token");
    expect((await get("/api/v1/me", "dana")).statusCode).toBe(200);
    const revoke = await app.inject({
      method: "DELETE",
      url: `/api/v1/tokens/${tokenIds["dana"]}`,
      headers: { authorization: `Bearer ${tokens["ada"]}` },
    });
    expect(revoke.json()).toEqual({ revoked: tokenIds["dana"] });
    expect((await get("/api/v1/me", "dana")).statusCode).toBe(401);
    const log = await listAudit(inv().db, 1000);
    expect(log.find((e) => e.entity === "token" && e.action === "revoke")).toMatchObject({
      entityId: tokenIds["dana"],
      actor: "ada (api)",
    });
    expect(JSON.stringify(log)).not.toContain(tokens["ada"]);
  });

  it("serves an OpenAPI document made from the same schemas, and security headers on every answer", async () => {
    const doc = (await get("/api/docs")).json();
    expect(doc.openapi).toBe("3.1.0");
    const devices = doc.paths["/api/v1/devices"].get;
    expect(devices.parameters.map((p: { name: string }) => p.name)).toEqual([
      "organization",
      "site",
      "manufacturer",
      "restricted",
      "q",
      "sort",
      "limit",
      "after",
      "count",
    ]);
    expect(Object.keys(devices.responses["200"].content["application/json"].schema.properties)).toEqual([
      "devices",
      "next",
      "total",
    ]);
    expect(doc.paths["/api/v1/tokens/{id}"].delete.parameters[0]).toMatchObject({ name: "id", in: "path" });
    const r = await get("/api/v1/nothing-here", "ada");
    expect(r.statusCode).toBe(404);
    expect(r.headers["content-security-policy"]).toBe(CSP);
    expect(CSP).not.toContain("unsafe-inline");
    expect(r.headers["x-frame-options"]).toBe("DENY");
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
    expect(r.headers["strict-transport-security"]).toBeUndefined();
  });

  it("signs a browser in with a cookie, requires the CSRF token on writes, and signs out", async () => {
    const wrong = await app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { name: "pat", password: "not the password" },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toBe("wrong name or password");
    const extra = await app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { name: "pat", password: "x", remember: true },
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error).toMatch(/^body: .*remember/);
    const ok = await app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { name: "pat", password: "correct horse pat staple" },
    });
    expect(ok.statusCode).toBe(200);
    const { csrf } = ok.json();
    expect(ok.json()).toMatchObject({ name: "pat", role: "program-manager", organizationId: null });
    const set = String(ok.headers["set-cookie"]);
    expect(set).toMatch(/^camsweep_session=[A-Za-z0-9_-]{43};/);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    const cookie = set.split(";")[0]!;
    expect((await app.inject({ url: "/api/v1/me", headers: { cookie } })).json()).toMatchObject({
      name: "pat",
    });
    const forged = await app.inject({ method: "DELETE", url: "/api/v1/session", headers: { cookie } });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error).toMatch(/needs the session's x-csrf-token header/);
    const wrongToken = await app.inject({
      method: "DELETE",
      url: "/api/v1/session",
      headers: { cookie, "x-csrf-token": `${csrf}x` },
    });
    expect(wrongToken.statusCode).toBe(403);
    const out = await app.inject({
      method: "DELETE",
      url: "/api/v1/session",
      headers: { cookie, "x-csrf-token": csrf },
    });
    expect(out.json()).toEqual({ signedOut: true });
    const after = await app.inject({ url: "/api/v1/me", headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error).toBe("session expired or ended: sign in again");
    const log = await listAudit(inv().db, 1000);
    expect(log.filter((e) => e.entity === "session").map((e) => [e.action, e.actor])).toEqual([
      ["finish", "pat"],
      ["start", "pat"],
    ]);
  });

  it("slows password guessing: the sixth try within the window is refused with 429", async () => {
    const tryLogin = () =>
      app.inject({
        method: "POST",
        url: "/api/v1/session",
        payload: { name: "ron", password: "guess guess guess" },
      });
    for (let i = 0; i < 5; i++) expect((await tryLogin()).statusCode).toBe(401);
    const limited = await tryLogin();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toMatch(/^too many sign-in attempts: try again in /);
    // Another name from the same address is counted apart.
    const other = await app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { name: "dana", password: "correct horse dana staple" },
    });
    expect(other.statusCode).toBe(200);
  });

  it("ends a session left unused for SESSION_IDLE_MINUTES, and keeps one in use", async () => {
    const signIn = async () => {
      const r = await app.inject({
        method: "POST",
        url: "/api/v1/session",
        payload: { name: "pat", password: "correct horse pat staple" },
      });
      return String(r.headers["set-cookie"]).split(";")[0]!;
    };
    const me = (cookie: string) => app.inject({ url: "/api/v1/me", headers: { cookie } });
    const idle = await signIn();
    const used = await signIn();
    const age = async (cookie: string, minutes: number) => {
      const secret = cookie.split("=")[1]!;
      await inv().db.query(
        `UPDATE sessions SET created_at = now() - make_interval(mins => $2), last_seen_at = now() - make_interval(mins => $2)
          WHERE secret_sha256 = $1`,
        [sha256Of(secret), minutes],
      );
    };
    // Unused for a minute longer than allowed: over, although its 12 hours are not.
    await age(idle, SESSION_IDLE_MINUTES + 1);
    expect((await me(idle)).statusCode).toBe(401);
    // Last used a minute short of the limit: still good, and the use is recorded, so the clock starts again.
    await age(used, SESSION_IDLE_MINUTES - 1);
    expect((await me(used)).statusCode).toBe(200);
    const { rows } = await inv().db.query<{ fresh: boolean }>(
      "SELECT last_seen_at > now() - interval '1 minute' AS fresh FROM sessions WHERE secret_sha256 = $1",
      [sha256Of(used.split("=")[1]!)],
    );
    expect(rows[0]?.fresh).toBe(true);
  });
});
