import type { Verification } from "../../assess/index.js";
import type { VulnMatch } from "../../assess/vulns/index.js";
import type { DeviceToAssess, Store } from "../../inventory/index.js";
import type { Observation } from "../../observations/observation.js";
import { CVE_2017_7921, CVE_2017_7921_STATEMENT, verifyCve20177921 } from "../../probes/verify/index.js";
import { loadConfig } from "../../shared/config.js";
import { UsageError } from "../../shared/errors.js";
import { inScope, loadScopeFile } from "../../targets/index.js";
import { verifyAuthorization } from "../../targets/scope-file.js";

/**
 * assess --verify: the read-only CVE-2017-7921 check, only where a scope file authorizes it (who, under which
 * reference, until when), only on addresses inside that scope's allow list, outside its deny list, and inside the
 * config's standing allow list when there is one. A device is checked only when its CVE-2017-7921 match came from
 * its model and firmware; the check itself is one GET of device information (src/probes/verify).
 */

export interface VerifyFlags {
  verify?: boolean;
  scope?: string;
  config?: string;
}

export interface Verifier {
  check: (store: Store, device: DeviceToAssess, matches: readonly VulnMatch[]) => Promise<Verification[]>;
  statement: string;
  authorizedBy: string;
}

export function verifierFor(flags: VerifyFlags, today: string): Verifier {
  if (!flags.scope)
    throw new UsageError(
      "--verify needs --scope FILE: a scope file whose verify section authorizes the check",
    );
  const scope = loadScopeFile(flags.scope);
  const ok = verifyAuthorization(scope, CVE_2017_7921, today);
  if (!ok.ok) throw new UsageError(`--verify refused: ${ok.why}`);
  const config = loadConfig(flags.config);
  const allowed = (address: string) =>
    inScope(address, scope.allow) &&
    !denied(address, scope.deny) &&
    (config.path === null || config.allow.length === 0 || inScope(address, config.allow));
  return {
    authorizedBy: `${ok.by} (${ok.reference})`,
    statement: `${CVE_2017_7921_STATEMENT} Authorized by ${ok.by}, reference ${ok.reference}.`,
    check: async (store, device, matches) => {
      const address = device.address;
      if (!matches.some((m) => m.id === CVE_2017_7921) || !address || !allowed(address)) return [];
      const where = httpEndpoint(await store.observationsOf(device.id));
      if (!where) return [];
      const r = await verifyCve20177921({ address, ...where });
      return [
        {
          check: r.check,
          status: r.status,
          at: new Date().toISOString(),
          request: `${r.request} (${where.tls ? "https" : "http"} port ${where.port})`,
          why: r.why,
          statement: r.statement,
        },
      ];
    },
  };
}

function denied(address: string, deny: readonly string[]): boolean {
  // A deny entry inScope cannot read (a hostname) is left to the scan; it cannot name this address anyway.
  return deny.some((d) => {
    try {
      return inScope(address, [d]);
    } catch {
      return false;
    }
  });
}

/** The port (and scheme) where the device answered HTTP during its scan: plain HTTP first. */
function httpEndpoint(observations: readonly Observation[]): { port: number; tls: boolean } | null {
  const seen = observations
    .filter((o) => o.protocol === "http" && o.port !== undefined && o.response !== undefined)
    .map((o) => ({
      port: o.port!,
      tls: (o.request as { scheme?: unknown } | undefined)?.scheme === "https",
    }));
  return seen.find((s) => !s.tls) ?? seen[0] ?? null;
}
