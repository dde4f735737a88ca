import { isapiDeviceInfo, type Persona, type PersonaResponse, type PersonaRoute } from "./persona.js";
import { deriveVars, makeNonce, renderer, type RenderContext } from "./template.js";
import { verifyDigest } from "./digest.js";
import { verifyWsse } from "./wsse.js";
import { headerValue, type WireRequest } from "./message.js";
import { safeXml } from "../identify/parts/read.js";

/** Per-device state shared by its services: vars, issued nonces. */
export class DeviceContext {
  readonly vars: Record<string, string>;
  private readonly nonces = new Set<string>();
  /** actual port of the first HTTP service, set when it is bound (URLs in discovery replies point at it) */
  httpPort: number | undefined;
  /** nominal port -> bound port, set at bind time (a port offset moves some ports) */
  portOf: ((nominal: number) => number) | undefined;

  constructor(
    readonly persona: Persona,
    readonly address: string,
    vars: Record<string, string> = persona.vars,
  ) {
    const derived = deriveVars(vars);
    if (persona.digest) derived.realm ??= renderer({ vars: derived })(persona.digest.realm);
    this.vars = derived;
  }

  issueNonce = (): string => {
    const n = makeNonce(this.persona.digest?.nonce ?? "hex32");
    this.nonces.add(n);
    if (this.nonces.size > 4096) {
      const oldest = this.nonces.values().next().value;
      if (oldest !== undefined) this.nonces.delete(oldest);
    }
    return n;
  };

  knownNonce = (n: string): boolean => this.nonces.has(n);

  render(extra: Omit<RenderContext, "vars" | "nonce">): (t: string) => string {
    return renderer({
      httpPort: this.httpPort,
      portOf: this.portOf,
      ...extra,
      vars: this.vars,
      nonce: this.issueNonce,
      address: this.address,
    });
  }
}

/** Serialise a persona response to wire bytes, exactly as written (case, order, spacing). */
export function responseBytes(
  resp: PersonaResponse,
  defaultVersion: string,
  render: (t: string) => string,
): Buffer {
  const body =
    resp.bodyHex !== undefined
      ? Buffer.from(resp.bodyHex, "hex")
      : resp.body !== undefined
        ? Buffer.from(render(resp.body), "utf8")
        : Buffer.alloc(0);
  let head = `${resp.version ?? defaultVersion} ${resp.status} ${render(resp.reason)}\r\n`;
  for (const [name, value] of resp.headers) {
    // Strip CR/LF from rendered values: echoed request data must not split headers.
    const v = render(value)
      .replace(/\{contentLength\}/g, String(body.length))
      .replace(/[\r\n]/g, "");
    head += `${name}: ${v}\r\n`; // a value starting with a space gives `Name:  value`
  }
  head += "\r\n";
  return Buffer.concat([Buffer.from(head, "latin1"), body]);
}

function requestPath(target: string): string {
  const abs = /^[a-z]+:\/\/[^/]*(\/[^]*)?$/i.exec(target);
  return abs ? (abs[1] ?? "/") : target;
}

/**
 * The SOAP operation of a request: the local name of the first element inside the envelope's Body. The body is
 * client input: read with the DTD-free parser (the request reader already caps it at 64 KiB).
 */
export function soapOperation(body: Buffer): string | undefined {
  if (body.length === 0) return undefined;
  const tree = safeXml(body.toString("utf8"));
  const env = tree?.Envelope;
  const b = env && typeof env === "object" ? (env as Record<string, unknown>).Body : undefined;
  const node: unknown = Array.isArray(b) ? b[0] : b;
  return node && typeof node === "object" ? Object.keys(node)[0] : undefined;
}

export function findRoute(routes: PersonaRoute[], req: WireRequest): PersonaRoute | undefined {
  const full = requestPath(req.target);
  const noQuery = full.split("?")[0] ?? full;
  let op: string | undefined | null = null; // parsed at most once, and only when a route asks
  return routes.find((r) => {
    if (r.method !== "*" && r.method !== req.method) return false;
    const pathOk = r.path === "*" || (r.path.includes("?") ? r.path === full : r.path === noQuery);
    if (!pathOk) return false;
    if (r.soap === undefined) return true;
    if (op === null) op = soapOperation(req.body);
    return op === r.soap;
  });
}

/** CVE-2017-7921's bypass parameter: base64 "admin:11\n" (protocols.md §2.4, Metasploit module). */
const CVE_2017_7921_AUTH = "YWRtaW46MTEK";

/**
 * `GET /System/deviceInfo`, the PSIA-era path of ISAPI deviceInfo (protocols.md §2.4), on a persona that has the
 * ISAPI route: the same Digest-protected document (401 without credentials). A persona marked vulnerable to
 * CVE-2017-7921 also serves it to `?auth=YWRtaW46MTEK` without credentials, as pre-5.4.41 firmware did. Undefined for
 * any other request; the persona's own routes come first.
 */
export function legacyDeviceInfo(
  ctx: DeviceContext,
  routes: PersonaRoute[],
  req: WireRequest,
): PersonaResponse | undefined {
  if (req.method !== "GET") return undefined;
  const full = requestPath(req.target);
  const q = full.indexOf("?");
  if ((q < 0 ? full : full.slice(0, q)) !== "/System/deviceInfo") return undefined;
  const isapi = isapiDeviceInfo(routes);
  if (!isapi) return undefined;
  const bypass =
    ctx.persona.vulnerable?.includes("CVE-2017-7921") === true &&
    q >= 0 &&
    new URLSearchParams(full.slice(q + 1)).get("auth") === CVE_2017_7921_AUTH;
  return bypass ? isapi : chooseResponse(ctx, isapi, req);
}

/** Pick the response for a route: the route itself, or its `unauthorized` reply when Digest or WS-Security credentials are missing or wrong. */
export function chooseResponse(ctx: DeviceContext, route: PersonaRoute, req: WireRequest): PersonaResponse {
  if (route.auth === undefined) return route;
  if (route.auth === "wsse") {
    const ok = verifyWsse(req.body.toString("utf8"), {
      username: ctx.vars.username ?? "",
      password: ctx.vars.password ?? "",
    });
    return ok ? route : (route.unauthorized as PersonaResponse);
  }
  const ok = verifyDigest(headerValue(req, "authorization"), {
    method: req.method,
    uri: req.target,
    realm: ctx.vars.realm ?? "",
    username: ctx.vars.username ?? "",
    password: ctx.vars.password ?? "",
    knownNonce: ctx.knownNonce,
  });
  return ok ? route : (route.unauthorized as PersonaResponse);
}

/** A CSeq echo is request data: keep it short and printable. */
export function safeCseq(req: WireRequest): string | undefined {
  const v = headerValue(req, "cseq");
  return v === undefined ? undefined : v.replace(/[^\x20-\x7e]/g, "").slice(0, 64);
}
