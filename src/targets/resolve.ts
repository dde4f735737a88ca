import { lookup } from "node:dns/promises";
import { readFile } from "node:fs/promises";
import { InputError, UsageError } from "../shared/errors.js";
import { type Addr, format, parseAddress } from "./address.js";
import { checkScope, parseAllow } from "./scope.js";
import { type TargetSpec, expandSpec, parseTarget, specContains, specSize } from "./spec.js";

export interface Host {
  address: string;
  /** the hostname the user gave, when the address came from DNS */
  hostname?: string;
}

export interface ResolveInput {
  targets: string[];
  /** -iL files: whitespace/newline separated targets, `#` comments */
  inputFiles?: string[];
  /** --exclude entries; each may be a comma-separated list */
  exclude?: string[];
  excludeFiles?: string[];
  /** --allow CIDRs/addresses/ranges; when given every address must be inside */
  allow?: string[];
  /**
   * The standing scope of an audit (the config file's allow-list, a --scope file's): every address must lie
   * inside each of them too, so `allow` can narrow them but never widen them. `source` names where one came
   * from, for the message.
   */
  scope?: StandingScope | StandingScope[];
  /** refuse when the targets expand to more hosts than this (default 65536) */
  maxHosts?: number;
  /** DNS resolver, replaceable in tests */
  resolve?: (name: string) => Promise<string[]>;
}

export interface StandingScope {
  allow: string[];
  source: string;
}

export const DEFAULT_MAX_HOSTS = 65536;

async function dnsResolve(name: string): Promise<string[]> {
  const r = await lookup(name, { all: true, verbatim: true });
  return r.map((x) => x.address);
}

/**
 * Turns the user's target words into a deduplicated, ordered host list, or refuses with a UsageError
 * (or InputError for a bad -iL line) before anything is sent. Scope rules: see scope.ts.
 */
export async function resolveTargets(input: ResolveInput): Promise<Host[]> {
  const maxHosts = input.maxHosts ?? DEFAULT_MAX_HOSTS;
  const resolveName = input.resolve ?? dnsResolve;
  const scopes = [input.scope ?? []]
    .flat()
    .map((s) => ({ text: s.allow.flatMap(splitList), source: s.source }))
    .filter((s) => s.text.length > 0)
    .map((s) => ({ ...s, specs: parseAllow(s.text) }));
  const ownText = input.allow?.flatMap(splitList) ?? [];
  // Without an allow of its own, the first standing scope is the allow-list.
  const allowText = ownText.length ? ownText : (scopes[0]?.text ?? []);
  const allow = ownText.length ? parseAllow(ownText) : scopes[0]?.specs;

  const specs: TargetSpec[] = input.targets
    .flatMap((t) => t.split(/\s+/))
    .filter(Boolean)
    .map(parseTarget);
  for (const f of input.inputFiles ?? []) specs.push(...(await readSpecFile(f)));
  if (specs.length === 0) throw new UsageError("no targets given");

  const excl: TargetSpec[] = (input.exclude ?? []).flatMap(splitList).map((e) => {
    try {
      return parseTarget(e);
    } catch (err) {
      throw new UsageError(`--exclude: ${(err as Error).message}`);
    }
  });
  for (const f of input.excludeFiles ?? []) excl.push(...(await readSpecFile(f)));

  // Count before expanding so a typo like 10.0.0.0/8 is refused without allocating 16M entries.
  let total = 0n;
  for (const s of specs) {
    total += specSize(s);
    if (total > BigInt(maxHosts))
      throw new UsageError(
        `targets expand to more than ${maxHosts} hosts (${s.text} alone is ${specSize(s)}); narrow them or raise the host limit (--max-hosts)`,
      );
  }

  const excludedAddrs = new Set<string>();
  for (const e of excl) {
    if (e.kind !== "hostname") continue;
    for (const a of await resolveOrFail(e.text, e.name, resolveName)) excludedAddrs.add(format(a));
  }
  const isExcluded = (a: Addr) => excludedAddrs.has(format(a)) || excl.some((e) => specContains(e, a));

  const hosts = new Map<string, Host>();
  const add = (a: Addr, target: string, hostname?: string) => {
    if (isExcluded(a)) return;
    checkScope(a, target, allow, allowText);
    for (const sc of scopes)
      if (sc.specs !== allow && !sc.specs.some((x) => specContains(x, a)))
        throw new UsageError(
          `target ${format(a)} is outside the configured scope (${sc.source}: allow ${sc.text.join(",")}); --allow cannot widen it`,
        );
    const key = format(a);
    const prev = hosts.get(key);
    if (!prev) hosts.set(key, hostname ? { address: key, hostname } : { address: key });
    else if (hostname && !prev.hostname) prev.hostname = hostname;
  };

  for (const s of specs) {
    if (s.kind === "hostname") {
      for (const a of await resolveOrFail(s.text, s.name, resolveName)) add(a, s.text, s.name);
    } else {
      for (const a of expandSpec(s)) add(a, s.text);
    }
    if (hosts.size > maxHosts)
      throw new UsageError(
        `targets resolve to more than ${maxHosts} hosts; narrow them or raise the host limit (--max-hosts)`,
      );
  }
  return [...hosts.values()];
}

function splitList(s: string): string[] {
  return s
    .split(/[,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

async function resolveOrFail(
  text: string,
  name: string,
  resolveName: (n: string) => Promise<string[]>,
): Promise<Addr[]> {
  let list: string[];
  try {
    list = await resolveName(name);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new UsageError(`target "${text}": cannot resolve hostname (${code})`);
  }
  const out: Addr[] = [];
  for (const s of list) {
    const a = parseAddress(s);
    if (a) out.push(a);
  }
  if (out.length === 0) throw new UsageError(`target "${text}": hostname resolved to no usable address`);
  return out;
}

/** Reads an -iL / --exclude-file list; a bad entry is an InputError naming file and line. */
async function readSpecFile(file: string): Promise<TargetSpec[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new UsageError(
      `cannot read target file "${file}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  const out: TargetSpec[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const content = line.replace(/#.*/, "");
    for (const word of content.split(/\s+/).filter(Boolean)) {
      try {
        out.push(parseTarget(word));
      } catch (e) {
        throw new InputError((e as Error).message, file, i + 1);
      }
    }
  });
  return out;
}
