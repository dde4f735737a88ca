import { readFile } from "node:fs/promises";
import { loadConfig } from "../../shared/config.js";
import { DEFAULT_TIMING, timing, type TimingOverrides } from "../../scan/index.js";
import {
  DEFAULT_PORTS,
  type Host,
  loadScopeFile,
  type ResolveInput,
  resolveTargets,
  type StandingScope,
} from "../../targets/index.js";
import { list } from "../output.js";
import { localTargets } from "./scan-local.js";
import type { ScanFlags } from "./scan.js";

/**
 * Everything a scan was asked to do, in a form kept with the scan record: `--resume` runs the same scan
 * from it, whatever happened to the files and flags since (list files are kept as their words).
 */
export interface ScanArgs {
  resolve: Omit<ResolveInput, "inputFiles" | "excludeFiles" | "resolve">;
  ports: string;
  timing: { name: string; overrides: TimingOverrides };
  probe: { udp: boolean; assumeUp: boolean };
  /** --local: the interface its multicast and broadcast inquiries go out on */
  local?: { interface: string };
  /** --neighbours: a neighbour table taken on the segment, read again on --resume */
  neighbours?: string;
}

export async function scanArgs(
  targets: string[],
  flags: ScanFlags,
): Promise<{ args: ScanArgs; hosts: Host[] }> {
  timing(flags.timing ?? DEFAULT_TIMING); // an unknown profile is refused before any DNS lookup
  const config = loadConfig(flags.config);
  const scopeFile = flags.scope ? loadScopeFile(flags.scope) : undefined;
  // The config's allow-list is the audit's standing scope, and so is a scope file's: --allow may narrow
  // them, never widen them.
  const scopes: StandingScope[] = [];
  if (config.path) scopes.push({ allow: config.allow, source: config.path });
  if (scopeFile) scopes.push({ allow: scopeFile.allow, source: scopeFile.path });
  const exclude = [...config.exclude, ...(scopeFile?.deny ?? []), ...list(flags.exclude)];
  // --local with no targets scans the interface's own subnets (named, so the scope check below sees them).
  const all = [...targets, ...localTargets(flags, targets.length > 0 || !!flags.inputList?.length)];
  const resolve = {
    targets: all,
    exclude,
    allow: list(flags.allow),
    scope: scopes,
    maxHosts: flags.maxHosts,
  };
  // Resolved here, with the files, so a bad line is named by file and line before anything is stored.
  const hosts = await resolveTargets({
    ...resolve,
    inputFiles: flags.inputList,
    excludeFiles: flags.excludeFile,
  });
  const args: ScanArgs = {
    resolve: {
      ...resolve,
      targets: [...all, ...(await words(flags.inputList))],
      exclude: [...exclude, ...(await words(flags.excludeFile))],
    },
    ports: flags.ports ?? config.ports ?? DEFAULT_PORTS.map((p) => `${p.port}/${p.service}`).join(","),
    timing: {
      name: flags.timing ?? DEFAULT_TIMING,
      overrides: {
        ...(flags.concurrency !== undefined ? { hosts: flags.concurrency } : {}),
        ...(flags.maxRate !== undefined ? { maxRate: flags.maxRate } : {}),
        ...(flags.connectTimeout !== undefined ? { connectTimeoutMs: flags.connectTimeout } : {}),
        ...(flags.timeout !== undefined ? { readTimeoutMs: flags.timeout } : {}),
        ...(flags.maxRetries !== undefined ? { retries: flags.maxRetries } : {}),
      },
    },
    probe: { udp: flags.udp, assumeUp: flags.assumeUp ?? false },
    ...(flags.local && flags.interface ? { local: { interface: flags.interface } } : {}),
    ...(flags.neighbours ? { neighbours: flags.neighbours } : {}),
  };
  return { args, hosts };
}

/** The words of target list files (already validated by resolveTargets), comments dropped. */
async function words(files: string[] | undefined): Promise<string[]> {
  const out: string[] = [];
  for (const f of files ?? [])
    for (const line of (await readFile(f, "utf8")).split(/\r?\n/))
      out.push(...line.replace(/#.*/, "").split(/\s+/).filter(Boolean));
  return out;
}
