import { afterEach, describe, expect, it, vi } from "vitest";
import { api, ApiError, setCsrf, setUnauthorizedListener, urls, withQuery } from "./api";
import { emptyJobView, MAX_KEPT, parseDevice, parseJob, reduceJob } from "./jobEvents";
import { can } from "./roles";
import { match } from "./router";
import type { Job } from "../shared/wire/jobs";
import type { Me } from "../shared/wire/session";
import { clip, nextSteps } from "./workflow";
import { filtersFromSearch, queryFromFilters, searchFromFilters } from "./pages/deviceFilters";

const job = (state: Job["state"], done = 0): Job => ({
  id: "j1",
  kind: "scan",
  state,
  by: "ada",
  organizationId: null,
  startedAt: "2027-01-04T10:00:00Z",
  finishedAt: null,
  progress: { done, total: 10, devices: 0 },
  error: null,
  scanId: null,
});

describe("api client", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrf(null);
  });

  it("sends the CSRF token on writes only, with same-origin credentials", async () => {
    const calls: [string, RequestInit][] = [];
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      calls.push([url, init]);
      return new Response(JSON.stringify({ id: "x", name: "ada", role: "admin" }), { status: 200 });
    });
    setCsrf("tok");
    await api.me();
    await api.startScan({ targets: ["127.0.0.1"] });
    const [getUrl, get] = calls[0]!;
    const [postUrl, post] = calls[1]!;
    expect(getUrl).toBe("/api/v1/me");
    expect(get.credentials).toBe("same-origin");
    expect((get.headers as Record<string, string>)["X-CSRF-Token"]).toBeUndefined();
    expect(postUrl).toBe("/api/v1/jobs/scan");
    expect((post.headers as Record<string, string>)["X-CSRF-Token"]).toBe("tok");
    expect(post.body).toBe(JSON.stringify({ targets: ["127.0.0.1"] }));
  });

  it("turns a refusal into an ApiError with the server's message, and reports a 401", async () => {
    vi.stubGlobal("fetch", async (url: string) =>
      url.endsWith("/me")
        ? new Response(JSON.stringify({ error: "signed out", status: 401 }), { status: 401 })
        : new Response(JSON.stringify({ error: "auditors only", status: 403 }), { status: 403 }),
    );
    let unauthorized = 0;
    setUnauthorizedListener(() => unauthorized++);
    const refused = await api.step("d1", { step: "confirmed" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(403);
    expect((refused as ApiError).message).toBe("auditors only");
    expect(unauthorized).toBe(0);
    await expect(api.me()).rejects.toMatchObject({ status: 401, message: "signed out" });
    expect(unauthorized).toBe(1);
  });

  it("falls back to the status line when the body is not the API's JSON", async () => {
    vi.stubGlobal("fetch", async () => new Response("<html>", { status: 502, statusText: "Bad Gateway" }));
    await expect(api.jobs()).rejects.toMatchObject({ status: 502, message: "Bad Gateway" });
  });

  it("builds query strings without empty values, and escapes path parts", () => {
    expect(withQuery("/x", { a: "1", b: "", c: undefined, d: 2 })).toBe("/x?a=1&d=2");
    expect(urls.report("pdf", "fr", "dnd")).toBe("/api/v1/reports/pdf?lang=fr&organization=dnd");
    expect(urls.evidence("../x")).toBe("/api/v1/evidence/..%2Fx");
  });
});

describe("router match", () => {
  it("extracts and decodes parameters", () => {
    expect(match("/devices/:id", "/devices/a%20b")).toEqual({ id: "a b" });
    expect(match("/devices/:id", "/devices")).toBeNull();
    expect(match("/devices/:id", "/board/x")).toBeNull();
    expect(match("/devices/:id", "/devices/%E0%A4%A")).toBeNull();
  });
});

describe("roles", () => {
  const me = (role: Me["role"], scope: Me["scope"] = "write"): Me => ({
    name: "x",
    role,
    organizationId: null,
    scope,
  });
  it("offers writes by role, and none to a read-scoped session", () => {
    expect(can(me("admin"), "exception-decide")).toBe(true);
    expect(can(me("auditor"), "step")).toBe(true);
    expect(can(me("auditor"), "exception-decide")).toBe(false);
    expect(can(me("program-manager"), "step")).toBe(false);
    expect(can(me("viewer"), "scan")).toBe(false);
    expect(can(me("admin", "read"), "step")).toBe(false);
    expect(can(null, "step")).toBe(false);
  });
});

describe("workflow", () => {
  it("offers the steps that may follow each state", () => {
    expect(nextSteps("identified")).toEqual(["confirmed"]);
    expect(nextSteps("scheduled")).toEqual(["isolated", "removed"]);
    expect(nextSteps("reopened")).toEqual(["confirmed", "scheduled", "removed"]);
    expect(nextSteps("sanitized")).toEqual(["closed"]);
    expect(nextSteps("closed")).toEqual([]);
  });

  it("caps device-controlled text", () => {
    expect(clip("x".repeat(600))).toHaveLength(501);
    expect(clip(null)).toBe("");
  });
});

describe("job events", () => {
  it("follows progress, lists devices and stops at the end", () => {
    let v = emptyJobView();
    v = reduceJob(v, { type: "progress", job: job("running", 3) });
    v = reduceJob(v, {
      type: "device",
      device: { address: "127.0.0.9", manufacturer: "hikvision", model: "DS", restricted: true },
    });
    expect(v.job?.progress.done).toBe(3);
    expect(v.deviceCount).toBe(1);
    v = reduceJob(v, { type: "end", job: job("done", 10) });
    expect(v.ended).toBe(true);
    // a late progress event cannot take a finished job back to running
    expect(reduceJob(v, { type: "progress", job: job("running", 4) }).job?.state).toBe("done");
  });

  it("keeps only the last devices but counts them all", () => {
    let v = emptyJobView();
    for (let i = 0; i < MAX_KEPT + 10; i++)
      v = reduceJob(v, {
        type: "device",
        device: { address: `a${i}`, manufacturer: null, model: null, restricted: false },
      });
    expect(v.devices).toHaveLength(MAX_KEPT);
    expect(v.deviceCount).toBe(MAX_KEPT + 10);
    expect(v.devices[0]!.address).toBe("a10");
  });

  it("drops malformed events and caps device strings", () => {
    expect(parseJob("not json")).toBeNull();
    expect(parseJob(JSON.stringify({ id: 1 }))).toBeNull();
    expect(parseDevice("[")).toBeNull();
    const d = parseDevice(JSON.stringify({ address: "1.2.3.4", model: "m".repeat(1000), restricted: "yes" }));
    expect(d?.model).toHaveLength(300);
    expect(d?.restricted).toBe(false);
  });
});

describe("device filters", () => {
  it("round-trip through the URL and become the API query", () => {
    const f = filtersFromSearch(new URLSearchParams("q=hik&restricted=true&sort=address&bogus=1"));
    expect(f).toMatchObject({ q: "hik", restricted: "true", sort: "address", organization: "" });
    expect(searchFromFilters(f)).toBe("?restricted=true&q=hik&sort=address");
    expect(queryFromFilters(f, "cur", 100)).toEqual({
      restricted: "true",
      q: "hik",
      sort: "address",
      limit: 100,
      after: "cur",
    });
    expect(filtersFromSearch(new URLSearchParams("sort=evil&restricted=maybe"))).toMatchObject({
      sort: "default",
      restricted: "",
    });
  });
});
