import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { Readable } from "node:stream";
import cookie from "@fastify/cookie";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labPortSpec } from "../cli/lab-scan.js";
import { describeBackends } from "../inventory/__fixtures__/backends.js";
import type { OpenInventory } from "../inventory/index.js";
import { addUser, createToken } from "../inventory/users.js";
import { startLab, type RunningLab } from "../lab/index.js";
import { CamsweepError } from "../shared/errors.js";
import { BODY_LIMIT } from "./app.js";
import { authenticate, checkScope } from "./auth.js";
import { HttpError } from "./errors.js";
import { securityHeaders } from "./headers.js";
import { type Job, JobRegistry, type JobSpec } from "./jobs/jobs.js";
import { jobRoutes, type JobOptions } from "./routes/jobs.js";

// This file owns 127.95.0.0/24: the lab's cameras at .1-.4, slow hosts (tarpits) from .130.
const ALLOW = ["127.95.0.0/24"];

/** A server built as buildServer builds one, with the job routes under the given options. */
async function server(inv: OpenInventory, o: JobOptions): Promise<FastifyInstance & { jobs: JobRegistry }> {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT });
  app.decorateRequest("principal", null);
  await app.register(cookie);
  securityHeaders(app);
  app.addHook("onRequest", async (req) => {
    req.principal = await authenticate(inv, req);
    if (req.principal) checkScope(req.principal, req.method);
  });
  const jobs = jobRoutes(app, {}, inv, o);
  app.setErrorHandler(async (err, _req, reply) => {
    const code = (err as { statusCode?: number }).statusCode;
    const status =
      err instanceof HttpError
        ? err.status
        : err instanceof CamsweepError
          ? 400
          : typeof code === "number" && code < 500
            ? code
            : 500;
    return reply.code(status).send({ error: status >= 500 ? String(err) : (err as Error).message, status });
  });
  return Object.assign(app as FastifyInstance, { jobs });
}

function multipart(fields: Record<string, string>, file?: { name: string; content: string | Buffer }) {
  const boundary = `----camsweep${randomBytes(8).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
          "Content-Type: application/octet-stream\r\n\r\n",
      ),
      Buffer.from(file.content),
      Buffer.from("\r\n"),
    );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads a job's event stream over a real connection until it closes (or the deadline). */
function readEvents(
  base: string,
  id: string,
  token: string,
  ms = 30_000,
): Promise<{ headers: Record<string, unknown>; events: SseEvent[]; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/api/v1/jobs/${id}/events`,
      { headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let text = "";
        const timer = setTimeout(() => req.destroy(new Error("the stream did not end")), ms);
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => {
          clearTimeout(timer);
          const events = text
            .split("\n\n")
            .filter((b) => b.startsWith("event: "))
            .map((b) => {
              const [ev, data, ...rest] = b.split("\n");
              expect(rest).toEqual([]); // one data line per event, whatever a device said
              return { event: ev!.slice(7), data: JSON.parse(data!.replace(/^data: /, "")) };
            });
          resolve({ headers: res.headers, events, text });
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function waitFor<T>(what: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

let lab: RunningLab;
let slow: RunningLab;
beforeAll(async () => {
  lab = await startLab({
    range: "127.95.0.0/28",
    personas: ["hikvision-ipc-current", "dahua-ipc", "axis-camera", "misbehave-tarpit"],
  });
  slow = await startLab({ range: "127.95.0.130", personas: ["misbehave-tarpit"], count: 6 });
});
afterAll(async () => {
  await lab?.stop();
  await slow?.stop();
});

describeBackends("job API", (inv) => {
  let app: FastifyInstance & { jobs: JobRegistry };
  let base: string;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  const scan = (who: string, body: Record<string, unknown>, on = app) =>
    on.inject({ method: "POST", url: "/api/v1/jobs/scan", headers: as(who), payload: body });
  const job = async (who: string, id: string) =>
    (await app.inject({ url: `/api/v1/jobs/${id}`, headers: as(who) })).json() as Job;
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await inv().db.query<{ n: number }>(sql, params)).rows[0]!.n);
  const uploads = () => readdirSync(tmpdir()).filter((f) => f.startsWith("camsweep-upload-")).length;

  beforeAll(async () => {
    const s = inv().store;
    await s.addOrganization({ id: "dnd", name: "DND", type: "federal-department", jurisdiction: "CA" });
    await s.addSite({ id: "dnd-hq", organizationId: "dnd", name: "HQ", criticality: "high" });
    await s.addSegment("dnd-hq", "127.95.0.0/25");
    await s.addOrganization({ id: "rcmp", name: "RCMP", type: "federal-department", jurisdiction: "CA" });
    await s.addSite({ id: "rcmp-hq", organizationId: "rcmp", name: "HQ", criticality: "high" });
    await s.addSegment("rcmp-hq", "10.2.0.0/24");
    const users = [
      ["ada", "admin", null, "write"],
      ["dana", "auditor", "dnd", "write"],
      ["vic", "viewer", "dnd", "write"],
      ["rob", "admin", null, "read"],
    ] as const;
    for (const [name, role, org, scope] of users) {
      const ctx = { actor: "root" };
      await inv().db.transaction((tx) =>
        addUser(tx, ctx, { name, role, organizationId: org, password: `correct horse ${name} staple` }),
      );
      const t = await inv().db.transaction((tx) =>
        createToken(tx, ctx, { user: name, name: "test", scope, expiresAt: null }),
      );
      tokens[name] = t.secret;
    }
    app = await server(inv(), { allow: ALLOW, keepAliveMs: 300 });
    base = await app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => app?.close());

  it("refuses a scan outside the allow-list, by DNS name, by a viewer or a read token, writing nothing", async () => {
    const scans = await count("SELECT count(*)::int AS n FROM scans");
    const outside = await scan("ada", { targets: ["127.95.0.1", "127.96.0.7"] });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error).toMatch(/127\.96\.0\.7 is outside the allowed scope/);
    const dns = await scan("ada", { targets: ["localhost"] });
    expect(dns.statusCode).toBe(400);
    expect(dns.json().error).toMatch(/"localhost": DNS names are not taken from the web/);
    expect((await scan("ada", { targets: ["127.95.0.0/24"], timing: "T9" })).statusCode).toBe(400);
    expect((await scan("ada", { targets: [] })).statusCode).toBe(400);
    expect((await scan("ada", { targets: ["127.95.0.1"], ports: "99999" })).statusCode).toBe(400);
    const viewer = await scan("vic", { targets: ["127.95.0.1"] });
    expect(viewer.statusCode).toBe(403);
    expect(viewer.json().error).toMatch(/viewer may not/);
    const read = await scan("rob", { targets: ["127.95.0.1"] });
    expect(read.statusCode).toBe(403);
    expect(read.json().error).toMatch(/scope is read/);
    // dana's organization has 127.95.0.0/25: .200 is inside the server's allow-list but not hers.
    const auditor = await scan("dana", { targets: ["127.95.0.1", "127.95.0.200"] });
    expect(auditor.statusCode).toBe(403);
    expect(auditor.json().error).toMatch(
      /127\.95\.0\.200 is outside the networks of organization dnd's sites/,
    );
    expect(await count("SELECT count(*)::int AS n FROM scans")).toBe(scans);
    expect((await app.inject({ url: "/api/v1/jobs", headers: as("ada") })).json().jobs).toEqual([]);
  });

  it("refuses every web scan when the server was started without an allow-list", async () => {
    const bare = await server(inv(), { allow: [] });
    try {
      const r = await scan("ada", { targets: ["127.95.0.1"] }, bare);
      expect(r.statusCode).toBe(403);
      expect(r.json().error).toMatch(/this server was started without --allow/);
    } finally {
      await bare.close();
    }
  });

  it("scans the lab as an auditor: live events over SSE, the devices in the inventory, audited under her", async () => {
    const started = await scan("dana", { targets: ["127.95.0.0/28"], ports: labPortSpec(lab), timing: "T5" });
    expect(started.statusCode).toBe(200);
    const { id } = started.json() as { id: string };
    const { headers, events, text } = await readEvents(base, id, tokens["dana"]!);
    expect(headers["content-type"]).toMatch(/^text\/event-stream/);
    expect(headers["cache-control"]).toBe("no-store");
    expect(headers["x-accel-buffering"]).toBe("no");
    expect(events[0]!.event).toBe("progress");
    expect((events[0]!.data as Job).state).toMatch(/^(queued|running)$/);
    // Live progress beyond the first state, throttled; keep-alive comments in between.
    const progress = events.filter((e) => e.event === "progress");
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.length).toBeLessThan(60);
    expect(text).toContain("\n: keep-alive\n\n");
    expect(events.at(-1)!.event).toBe("end");
    const end = events.at(-1)!.data as Job;
    expect(end).toMatchObject({
      id,
      kind: "scan",
      state: "done",
      by: "dana",
      organizationId: "dnd",
      error: null,
    });
    expect(end.progress).toEqual({ done: 14, total: 14, devices: lab.devices.length });
    const devices = events.filter((e) => e.event === "device").map((e) => e.data as Record<string, unknown>);
    expect(devices.map((d) => d.address).sort()).toEqual(lab.devices.map((d) => d.address).sort());
    expect(devices.find((d) => d.address === lab.devices[0]!.address)).toEqual({
      address: lab.devices[0]!.address,
      manufacturer: "hikvision",
      model: expect.any(String),
      restricted: true,
    });

    const stored = await inv().store.listDevices();
    expect(stored.map((d) => d.address).sort()).toEqual(lab.devices.map((d) => d.address).sort());
    expect(stored.find((d) => d.address === lab.devices[1]!.address)?.manufacturer).toBe("dahua");
    const { rows } = await inv().db.query<{ status: string; actor: string }>(
      "SELECT s.status, a.actor FROM scans s JOIN audit_log a ON a.entity = 'scan' AND a.entity_id = s.id WHERE s.id = $1",
      [end.scanId],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toEqual({ status: "done", actor: "dana (api)" });

    // The job stays listed for her organization and for admins; the viewer of it may watch, not cancel.
    expect((await job("vic", id)).state).toBe("done");
    const cancel = await app.inject({ method: "DELETE", url: `/api/v1/jobs/${id}`, headers: as("vic") });
    expect(cancel.statusCode).toBe(403);
    expect((await app.inject({ url: "/api/v1/jobs", headers: as("ada") })).json().jobs).toHaveLength(1);
    // A finished job's stream says how it ended, and closes.
    const again = await readEvents(base, id, tokens["vic"]!);
    expect(again.events.map((e) => e.event)).toEqual(["end"]);
  });

  it("cancels a running scan of a larger range: the job says cancelled, the scan is kept interrupted", async () => {
    const started = await scan("ada", { targets: ["127.95.0.128/25"], ports: labPortSpec(slow) });
    expect(started.statusCode).toBe(200);
    const { id } = started.json() as { id: string };
    // An auditor of dnd does not see an admin's job of no organization: not found, not refused.
    expect((await app.inject({ url: `/api/v1/jobs/${id}`, headers: as("dana") })).statusCode).toBe(404);
    const running = await waitFor(async () => {
      const j = await job("ada", id);
      return j.state === "running" && j.progress.done >= 5 && j.scanId ? j : undefined;
    });
    expect(running.progress.total).toBe(126);
    // A watcher that goes away is no longer listened to.
    const watcher = request(`${base}/api/v1/jobs/${id}/events`, { headers: as("ada") });
    watcher.on("error", () => undefined);
    watcher.end();
    await waitFor(async () => (app.jobs.watchers(id) === 1 ? true : undefined));
    watcher.destroy();
    await waitFor(async () => (app.jobs.watchers(id) === 0 ? true : undefined));
    const cancelled = await app.inject({ method: "DELETE", url: `/api/v1/jobs/${id}`, headers: as("ada") });
    expect(cancelled.statusCode).toBe(200);
    const j = cancelled.json() as Job;
    expect(j.state).toBe("cancelled");
    expect(j.finishedAt).not.toBeNull();
    expect(j.progress.done).toBeLessThan(126);
    const { rows } = await inv().db.query<{ status: string }>("SELECT status FROM scans WHERE id = $1", [
      running.scanId,
    ]);
    expect(rows[0]!.status).toBe("interrupted");
    expect(
      await count("SELECT count(*)::int AS n FROM scan_hosts WHERE scan_id = $1", [running.scanId]),
    ).toBeGreaterThanOrEqual(5);
  });

  it("cancels and awaits running jobs when the server closes", async () => {
    const other = await server(inv(), { allow: ALLOW });
    const started = await scan("ada", { targets: ["127.95.0.128/25"], ports: labPortSpec(slow) }, other);
    const { id } = started.json() as { id: string };
    const j = await waitFor(async () => {
      const now = other.jobs.get(id)!;
      return now.state === "running" && now.scanId ? now : undefined;
    });
    await other.close();
    expect(other.jobs.get(id)!.state).toBe("cancelled");
    const { rows } = await inv().db.query<{ status: string }>("SELECT status FROM scans WHERE id = $1", [
      j.scanId,
    ]);
    expect(rows[0]!.status).toBe("interrupted");
  });

  it("streams device-controlled strings as JSON: a line break in one cannot forge an event", async () => {
    const evil = "Hik\n\nevent: end\ndata: {}\r\n\u2028";
    let go!: () => void;
    const gate = new Promise<void>((r) => (go = r));
    const { id } = app.jobs.start({
      kind: "scan",
      by: "ada",
      userId: "nobody",
      organizationId: "dnd",
      run: async (ctx) => {
        ctx.device({ address: "127.95.0.99", manufacturer: evil, model: evil, restricted: true });
        await gate;
        ctx.device({ address: "127.95.0.98", manufacturer: evil, model: null, restricted: false });
        return "done";
      },
    });
    const reading = readEvents(base, id, tokens["vic"]!);
    await waitFor(async () => (app.jobs.watchers(id) === 1 ? true : undefined));
    go();
    const { events } = await reading;
    expect(events.map((e) => e.event)).toEqual(["progress", "device", "device", "end"]);
    expect(events[1]!.data).toEqual({
      address: "127.95.0.99",
      manufacturer: evil,
      model: evil,
      restricted: true,
    });
    expect((events[2]!.data as { manufacturer: string }).manufacturer).toBe(evil);
  });

  it("imports a small CSV uploaded as multipart into a site of the auditor's organization", async () => {
    const csv =
      "Hostname,IP Address,MAC Address,Manufacturer,Model,Serial Number\n" +
      "gate-cam,127.95.0.90,44:19:B6:00:00:01,Hikvision,DS-2CD2143G2-I,DS-2CD2143G2-I20230101AAWRJ00000001\n" +
      "door-cam,127.95.0.91,,Axis Communications,M3045-V,\n";
    const before = uploads();
    const refused = multipart({ format: "csv", site: "rcmp-hq" }, { name: "assets.csv", content: csv });
    const other = await app.inject({
      method: "POST",
      url: "/api/v1/jobs/import",
      headers: { ...as("dana"), "content-type": refused.type },
      payload: refused.payload,
    });
    expect(other.statusCode).toBe(403);
    expect(uploads()).toBe(before);

    const body = multipart({ format: "csv", site: "dnd-hq" }, { name: "assets.csv", content: csv });
    const r = await app.inject({
      method: "POST",
      url: "/api/v1/jobs/import",
      headers: { ...as("dana"), "content-type": body.type },
      payload: body.payload,
    });
    expect(r.statusCode).toBe(200);
    const { id } = r.json() as { id: string };
    const done = await waitFor(async () => {
      const j = await job("dana", id);
      return j.finishedAt ? j : undefined;
    });
    expect(done).toMatchObject({
      kind: "import",
      state: "done",
      by: "dana",
      organizationId: "dnd",
      error: null,
    });
    expect(done.progress).toMatchObject({ done: 3, devices: 2 });
    const devices = await inv().store.listDevices();
    const gate = devices.find((d) => d.address === "127.95.0.90");
    expect(gate?.manufacturer).toBe("hikvision");
    expect(devices.some((d) => d.address === "127.95.0.91")).toBe(true);
    const { rows } = await inv().db.query<{ actor: string }>(
      "SELECT actor FROM audit_log WHERE entity = 'import' AND entity_id = $1",
      [done.scanId],
    );
    expect(rows.map((x) => x.actor)).toContain("dana (api)");
    expect(uploads()).toBe(before); // the temp directory went with the job
  });

  it("refuses an oversized upload with 413, writing nothing", async () => {
    const small = await server(inv(), { allow: ALLOW, maxUploadBytes: 1024 });
    try {
      const scans = await count("SELECT count(*)::int AS n FROM scans");
      const before = uploads();
      // Streamed past the limit (no length declared), and declared too long up front: both refused.
      const big = multipart(
        { format: "csv", site: "dnd-hq" },
        { name: "big.csv", content: "a,b\n".repeat(2000) },
      );
      const r = await small.inject({
        method: "POST",
        url: "/api/v1/jobs/import",
        headers: { ...as("ada"), "content-type": big.type },
        payload: Readable.from([big.payload]),
      });
      expect(r.headers["content-length"]).toBeDefined();
      expect(r.statusCode).toBe(413);
      expect(r.json()).toEqual({ error: expect.stringMatching(/over the limit \(1024 bytes/), status: 413 });
      const huge = multipart({ format: "csv" }, { name: "big.csv", content: "a,b\n".repeat(10_000) });
      const declared = await small.inject({
        method: "POST",
        url: "/api/v1/jobs/import",
        headers: { ...as("ada"), "content-type": huge.type },
        payload: huge.payload,
      });
      expect(declared.statusCode).toBe(413);
      expect(uploads()).toBe(before);
      expect(await count("SELECT count(*)::int AS n FROM scans")).toBe(scans);
      const bad = multipart({ format: "nope" }, { name: "x.csv", content: "a\n" });
      const unknown = await small.inject({
        method: "POST",
        url: "/api/v1/jobs/import",
        headers: { ...as("ada"), "content-type": bad.type },
        payload: bad.payload,
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error).toMatch(/field format: "nope" is none of/);
      expect(uploads()).toBe(before);
    } finally {
      await small.close();
    }
  });
});

describe("job registry", () => {
  /** A job that runs until released or cancelled. */
  const held = () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let cleaned = 0;
    const spec: JobSpec = {
      kind: "scan",
      by: "ada",
      userId: "u1",
      organizationId: null,
      run: async (ctx) => {
        ctx.progress({ done: 1, total: 3 });
        await Promise.race([released, new Promise((r) => ctx.signal.addEventListener("abort", r))]);
        return ctx.signal.aborted ? "cancelled" : "done";
      },
      cleanup: () => {
        cleaned++;
      },
    };
    return { spec, release, cleaned: () => cleaned };
  };

  it("runs two at once and queues the rest; a queued job cancelled never runs; close cancels the others", async () => {
    const jobs = new JobRegistry({ maxRunning: 2 });
    const [a, b, c, d] = [held(), held(), held(), held()];
    const ids = [a, b, c, d].map((h) => jobs.start(h.spec).id);
    expect(ids.map((id) => jobs.get(id)!.state)).toEqual(["running", "running", "queued", "queued"]);
    expect((await jobs.cancel(ids[3]!))!.state).toBe("cancelled");
    expect(d.cleaned()).toBe(1);
    a.release();
    await waitFor(async () => (jobs.get(ids[2]!)!.state === "running" ? true : undefined));
    expect(jobs.get(ids[0]!)).toMatchObject({ state: "done", progress: { done: 1, total: 3, devices: 0 } });
    await jobs.close();
    expect(ids.map((id) => jobs.get(id)!.state)).toEqual(["done", "cancelled", "cancelled", "cancelled"]);
    expect([a, b, c, d].map((h) => h.cleaned())).toEqual([1, 1, 1, 1]);
    expect(() => jobs.start(held().spec)).toThrow(/shutting down/);
  });

  it("throttles progress events, replays devices to a late watcher, and forgets finished jobs after keepMs", async () => {
    const jobs = new JobRegistry({ progressEveryMs: 200, keepMs: 50 });
    let go!: () => void;
    const gate = new Promise<void>((r) => (go = r));
    const id = jobs.start({
      kind: "scan",
      by: "ada",
      userId: "u1",
      organizationId: null,
      run: async (ctx) => {
        ctx.device({ address: "127.95.0.1", manufacturer: "x\ny", model: null, restricted: false });
        await gate;
        for (let i = 1; i <= 100; i++) ctx.progress({ done: i, total: 100 });
        await new Promise((r) => setTimeout(r, 250));
        return "done";
      },
    }).id;
    const seen: string[] = [];
    let ended!: () => void;
    const end = new Promise<void>((r) => (ended = r));
    const sub = jobs.subscribe(id, (e) => {
      seen.push(e.type);
      if (e.type === "end") ended();
    })!;
    expect(sub.devices).toEqual([
      { address: "127.95.0.1", manufacturer: "x\ny", model: null, restricted: false },
    ]);
    go();
    await end;
    expect(jobs.get(id)!.state).toBe("done");
    const progress = seen.filter((t) => t === "progress").length;
    expect(progress).toBeGreaterThanOrEqual(1);
    expect(progress).toBeLessThanOrEqual(3);
    expect(seen.at(-1)).toBe("end");
    await new Promise((r) => setTimeout(r, 80));
    expect(jobs.get(id)).toBeUndefined();
  });
});
