import type { ScanArgs } from "../../cli/commands/scan-args.js";
import type { CredentialSet } from "../../credentials/index.js";
import type { OpenInventory } from "../../inventory/index.js";
import type { Principal } from "../../inventory/users.js";
import { DEFAULT_TIMING, timing, type TimingName } from "../../scan/index.js";
import { runRecordedScan } from "../../scan/recorded.js";
import { CamsweepError } from "../../shared/errors.js";
import { parseAddress } from "../../targets/address.js";
import {
  DEFAULT_MAX_HOSTS,
  DEFAULT_PORTS,
  type Host,
  parsePorts,
  parseTarget,
  resolveTargets,
  type StandingScope,
} from "../../targets/index.js";
import { parseAllow } from "../../targets/scope.js";
import { specContains } from "../../targets/spec.js";
import { HttpError } from "../errors.js";
import { jobInventory } from "./inventory-view.js";
import type { JobSpec } from "./jobs.js";

/**
 * A scan asked for over the API: checked like `camsweep scan` checks one (resolveTargets with the server's
 * allow-list and standing scope, before anything is sent or written), then run by runRecordedScan into the
 * server's inventory. Stricter than the command line: no DNS names (the scope must not depend on a resolver the
 * web caller can influence), and an auditor scans only their organization's site networks.
 */

export interface ScanPolicy {
  /** `camsweep serve --allow`: every target must be inside; empty with no scope: scans from the web are refused */
  allow: string[];
  /** the config file's allow-list (and a scope file's): allow may narrow them, never widen them */
  scope: StandingScope[];
  exclude: string[];
  /** at most 65536 whatever is configured */
  maxHosts: number;
  /** the port list when the request names none (the config's, else the default camera ports) */
  ports?: string;
  /** unicast discovery probes (SADP, WS-Discovery, DHIP, SSDP), as `camsweep scan` sends them unless --no-udp */
  udp: boolean;
  /** authorized credentials for read-only authenticated requests, as `camsweep scan --credentials` */
  credentials?: CredentialSet;
}

export interface ScanRequest {
  targets: string[];
  ports?: string;
  timing?: TimingName;
}

/** Never more than this from the web, whatever the server was given. */
export const WEB_MAX_HOSTS = DEFAULT_MAX_HOSTS;

const refuse = (status: number, e: unknown): never => {
  if (e instanceof CamsweepError) throw new HttpError(status, e.message);
  throw e;
};

/** The CIDRs of the organization's sites (table segments). */
async function organizationNetworks(inv: OpenInventory, org: string): Promise<string[]> {
  const { rows } = await inv.db.query<{ cidr: string }>(
    "SELECT DISTINCT g.cidr FROM segments g JOIN sites s ON s.id = g.site_id WHERE s.organization_id = $1 ORDER BY g.cidr",
    [org],
  );
  return rows.map((r) => r.cidr);
}

/**
 * Resolves and checks a scan request for a principal (its role is checked by the caller). Throws HttpError:
 * 403 without an allow-list or for an auditor's target outside their organization, 400 for anything else.
 */
export async function checkScan(
  inv: OpenInventory,
  p: Principal,
  req: ScanRequest,
  policy: ScanPolicy,
): Promise<{ args: ScanArgs; hosts: Host[] }> {
  if (policy.allow.length === 0 && !policy.scope.some((s) => s.allow.length > 0))
    throw new HttpError(403, "this server was started without --allow: it takes no scans from the web");
  for (const word of req.targets.flatMap((t) => t.split(/\s+/)).filter(Boolean)) {
    let kind: string;
    try {
      kind = parseTarget(word).kind;
    } catch (e) {
      return refuse(400, e);
    }
    if (kind === "hostname")
      throw new HttpError(
        400,
        `target "${word}": DNS names are not taken from the web; give addresses, ranges or CIDRs`,
      );
  }
  const ports = req.ports ?? policy.ports ?? DEFAULT_PORTS.map((x) => `${x.port}/${x.service}`).join(",");
  try {
    parsePorts(ports);
  } catch (e) {
    refuse(400, e);
  }
  const resolve = {
    targets: req.targets,
    exclude: policy.exclude,
    allow: policy.allow,
    scope: [...policy.scope],
    maxHosts: Math.min(policy.maxHosts, WEB_MAX_HOSTS),
  };
  let hosts: Host[];
  try {
    // Only the server's own exclude list may still name a host (targets were refused above).
    hosts = await resolveTargets(resolve);
  } catch (e) {
    return refuse(400, e);
  }
  if (hosts.length === 0) throw new HttpError(400, "no targets left to scan (all excluded)");
  if (p.organizationId !== null) {
    const networks = await organizationNetworks(inv, p.organizationId);
    const specs = parseAllow(networks);
    const outside = hosts.find((h) => !specs.some((s) => specContains(s, parseAddress(h.address)!)));
    if (outside) {
      const shown = networks.slice(0, 10).join(", ") + (networks.length > 10 ? ", ..." : "");
      throw new HttpError(
        403,
        `target ${outside.address} is outside the networks of organization ${p.organizationId}'s sites` +
          (networks.length ? ` (${shown})` : " (it has none)"),
      );
    }
    // Kept with the scan, so `camsweep scan --resume` of it stays inside the organization too.
    resolve.scope.push({ allow: networks, source: `organization ${p.organizationId}'s site networks` });
  }
  const args: ScanArgs = {
    resolve,
    ports,
    timing: { name: req.timing ?? DEFAULT_TIMING, overrides: {} },
    probe: { udp: policy.udp, assumeUp: false },
  };
  return { args, hosts };
}

const cap = (s: string | null | undefined, n = 200) => (s == null ? null : s.slice(0, n));

/** The job that runs a checked scan into the inventory, audited under the user. */
export function scanJob(
  inv: OpenInventory,
  p: Principal,
  checked: { args: ScanArgs; hosts: Host[] },
  policy: Pick<ScanPolicy, "credentials">,
): JobSpec {
  const { args, hosts } = checked;
  return {
    kind: "scan",
    by: p.name,
    userId: p.id,
    organizationId: p.organizationId,
    total: hosts.length,
    run: async (ctx) => {
      const r = await runRecordedScan({
        hosts,
        timing: timing(args.timing.name, args.timing.overrides),
        signal: ctx.signal,
        inventory: jobInventory(inv, p, (id) => ctx.scanId(id)),
        args: args as unknown as Record<string, unknown>,
        probe: {
          ports: parsePorts(args.ports),
          udp: args.probe.udp,
          assumeUp: args.probe.assumeUp,
          ...(policy.credentials?.size ? { credentials: policy.credentials } : {}),
        },
        onProgress: (done, total, devices) => ctx.progress({ done, total, devices }),
        onDevice: (h) =>
          ctx.device({
            address: h.address,
            manufacturer: cap(h.identification.manufacturer),
            model: cap(h.identification.model),
            restricted: h.identification.restricted,
          }),
      });
      if (r.scanId) ctx.scanId(r.scanId);
      return r.status === "interrupted" ? "cancelled" : "done";
    },
  };
}
