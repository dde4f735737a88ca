import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { isUdpProtocol, type Persona, type PersonaService } from "./persona.js";

/**
 * Persona rewrites for the segment lab: a copy's own vars (distinct MAC and serial), and the discovery-only form
 * that keeps a device's local-discovery services and its ONVIF SOAP endpoint and drops every other TCP service, so
 * a scan must identify it from SADP/DHIP/ONVIF alone (issue 5's done-when: "HTTP closed").
 */

type HttpLike = Extract<PersonaService, { protocol: "http" | "https" }>;
const isHttp = (s: PersonaService): s is HttpLike => s.protocol === "http" || s.protocol === "https";

/** ONVIF services live under /onvif/ (device_service, media_service …), protocols.md §5.2. */
const ONVIF_PATH = /^\/onvif\//;

/**
 * Paths a UDP service's templates point at (an SSDP LOCATION such as http://{address}:{port}/desc.xml): the
 * description document belongs to the discovery protocol, so its route stays.
 */
function referencedPaths(services: PersonaService[]): Set<string> {
  const paths = new Set<string>();
  for (const s of services) {
    if (!isUdpProtocol(s.protocol)) continue;
    for (const m of JSON.stringify(s).matchAll(/https?:\/\/[^/\s"<>]+(\/[^\s"<>?]*)/g))
      if (m[1]) paths.add(m[1]);
  }
  return paths;
}

/** A bare 404: the web server itself says nothing about who made the device. */
const BARE_404 = {
  status: 404,
  reason: "Not Found",
  headers: [
    ["Content-Length", "0"],
    ["Connection", "close"],
  ] as [string, string][],
};

/**
 * The persona with only its discovery services: every UDP service, and each http(s) port that serves an ONVIF
 * path or a document a UDP service links to (SSDP's description), cut down to those routes with a bare 404 for
 * the rest. Returns undefined when nothing is left (a printer, a router): such a device runs no process at all.
 */
export function discoveryOnly(p: Persona): Persona | undefined {
  const keepPaths = referencedPaths(p.services);
  const services: PersonaService[] = [];
  for (const s of p.services) {
    if (isUdpProtocol(s.protocol)) services.push(s);
    else if (isHttp(s)) {
      // routesFrom is resolved here: the port it borrows from may be dropped.
      const from = s.routesFrom === undefined ? undefined : p.services.find((o) => o.port === s.routesFrom);
      const all = [...s.routes, ...(from && isHttp(from) ? from.routes : [])];
      const routes = all.filter((r) => ONVIF_PATH.test(r.path) || keepPaths.has(r.path));
      if (routes.length === 0) continue;
      services.push({ ...s, routesFrom: undefined, routes, default: BARE_404 });
    }
  }
  if (services.length === 0) return undefined;
  return { ...p, services, description: `${p.description} (discovery services only)` };
}

/** The persona as one device runs it: its copy's vars (so the device process plans round 0 with them). */
export function withVars(p: Persona, vars: Record<string, string>): Persona {
  return { ...p, vars };
}

/**
 * Write a persona into a directory of its own (<dir>/<id>.yaml) for a device process to load with
 * --persona-dir; zod's output parses back to the same persona (undefined fields are left out).
 */
export function writePersonaDir(dir: string, p: Persona): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const clean: unknown = JSON.parse(JSON.stringify(p));
  writeFileSync(join(dir, `${p.id}.yaml`), stringify(clean, { lineWidth: 0 }));
  return dir;
}
