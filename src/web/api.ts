import type { DeviceDetail, DevicePage } from "../shared/wire/devices";
import type { Job, JobStarted, Jobs, ScanBody } from "../shared/wire/jobs";
import type { ReportFormat, ReportLang } from "../shared/wire/lists";
import type { Overview, Plan, ScreenResult } from "../shared/wire/program";
import type { Me, Organizations, SessionStarted } from "../shared/wire/session";
import type {
  Board,
  BulkStepBody,
  ExceptionDecided,
  ExceptionDecision,
  ExceptionRequest,
  Moved,
  SanitizationRecorded,
  StepBody,
  StepTaken,
} from "../shared/wire/workflow";
import type { DeviceQuery } from "./pages/deviceFilters";

/** An API refusal or failure, carrying the server's own message ({error, status}) so the page can show it. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

const CSRF_KEY = "camsweep.csrf";

/** sessionStorage where there is one (the browser); the unit tests run in Node without it. */
function storage(): Storage | null {
  try {
    return typeof sessionStorage === "undefined" ? null : sessionStorage;
  } catch {
    return null; // storage disabled by the browser's settings
  }
}

// The CSRF token lives in memory and in sessionStorage, so a reload of the tab keeps the session usable.
let csrf: string | null = storage()?.getItem(CSRF_KEY) ?? null;

export function setCsrf(token: string | null): void {
  csrf = token;
  const s = storage();
  if (!s) return;
  if (token) s.setItem(CSRF_KEY, token);
  else s.removeItem(CSRF_KEY);
}

export const getCsrf = (): string | null => csrf;

type UnauthorizedListener = () => void;
let onUnauthorized: UnauthorizedListener = () => {};

/** Called on every 401, so the app can show the sign-in page. */
export function setUnauthorizedListener(fn: UnauthorizedListener): void {
  onUnauthorized = fn;
}

type Method = "GET" | "POST" | "DELETE";

/** Builds `path?query`, leaving out empty and undefined values. */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === "") continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

async function errorMessage(res: Response): Promise<string> {
  try {
    const body: unknown = await res.json();
    if (body && typeof body === "object" && "error" in body && typeof body.error === "string")
      return body.error.slice(0, 2000);
  } catch {
    // not JSON: fall back to the status line
  }
  return res.statusText || `HTTP ${res.status}`;
}

/** The one place the app calls fetch: same-origin credentials, the CSRF header on writes, typed errors. */
export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  let payload: BodyInit | undefined;
  if (body instanceof FormData)
    payload = body; // the browser sets the multipart boundary
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(payload !== undefined ? { body: payload } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    const message = await errorMessage(res);
    if (res.status === 401 && path !== "/api/v1/session") onUnauthorized();
    throw new ApiError(res.status, message);
  }
  return (await res.json()) as T;
}

const enc = encodeURIComponent;

export const api = {
  signIn: (name: string, password: string) =>
    request<SessionStarted>("POST", "/api/v1/session", { name, password }),
  signOut: () => request<{ signedOut: true }>("DELETE", "/api/v1/session"),
  me: (signal?: AbortSignal) => request<Me>("GET", "/api/v1/me", undefined, signal),
  organizations: (signal?: AbortSignal) =>
    request<Organizations>("GET", "/api/v1/organizations", undefined, signal),
  overview: (organization: string | undefined, signal?: AbortSignal) =>
    request<Overview>("GET", withQuery("/api/v1/overview", { organization }), undefined, signal),
  devices: (query: DeviceQuery, signal?: AbortSignal) =>
    request<DevicePage>("GET", withQuery("/api/v1/devices", { ...query }), undefined, signal),
  device: (id: string, signal?: AbortSignal) =>
    request<DeviceDetail>("GET", `/api/v1/devices/${enc(id)}`, undefined, signal),
  step: (id: string, body: StepBody) => request<StepTaken>("POST", `/api/v1/devices/${enc(id)}/steps`, body),
  sanitize: (id: string, form: FormData) =>
    request<SanitizationRecorded>("POST", `/api/v1/devices/${enc(id)}/sanitization`, form),
  requestException: (body: ExceptionRequest) => request<{ id: number }>("POST", "/api/v1/exceptions", body),
  decideException: (id: number, body: ExceptionDecision) =>
    request<ExceptionDecided>("POST", `/api/v1/exceptions/${enc(String(id))}/decision`, body),
  board: (organization: string | undefined, signal?: AbortSignal) =>
    request<Board>("GET", withQuery("/api/v1/board", { organization }), undefined, signal),
  bulkStep: (body: BulkStepBody) => request<Moved>("POST", "/api/v1/steps", body),
  plan: (
    query: { phases: number; budget: number; start: string; organization?: string },
    signal?: AbortSignal,
  ) => request<Plan>("GET", withQuery("/api/v1/plan", query), undefined, signal),
  screen: (form: FormData) => request<ScreenResult>("POST", "/api/v1/screen", form),
  startScan: (body: ScanBody) => request<JobStarted>("POST", "/api/v1/jobs/scan", body),
  startImport: (form: FormData) => request<JobStarted>("POST", "/api/v1/jobs/import", form),
  jobs: (signal?: AbortSignal) => request<Jobs>("GET", "/api/v1/jobs", undefined, signal),
  job: (id: string, signal?: AbortSignal) =>
    request<Job>("GET", `/api/v1/jobs/${enc(id)}`, undefined, signal),
  cancelJob: (id: string) => request<Job>("DELETE", `/api/v1/jobs/${enc(id)}`),
};

/** URLs the browser follows itself (downloads and the event stream): same origin, so the cookie goes along. */
export const urls = {
  jobEvents: (id: string) => `/api/v1/jobs/${enc(id)}/events`,
  evidence: (sha256: string) => `/api/v1/evidence/${enc(sha256)}`,
  report: (format: ReportFormat, lang: ReportLang, organization?: string) =>
    withQuery(`/api/v1/reports/${format}`, { lang, organization }),
};
