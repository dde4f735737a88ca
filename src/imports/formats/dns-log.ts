import { cloudEndpointOf, loadCloudEndpoints, canonicalName } from "../../knowledge/cloud-endpoints.js";
import { InputError } from "../../shared/errors.js";
import type { ImportFormat, ImportItem, ImportReadOptions } from "../record.js";
import { canonicalAddress, observation, quote, rowError } from "./common.js";
import { readLines, type Line } from "./read-lines.js";
import { reportOf } from "./read-report.js";

/**
 * What the DNS log formats share (dns-zeek.ts, dns-bind.ts, dns-dnsmasq.ts): each reads one line into a query
 * (client, name, type) or says the line is another of the log's lines or not of this log at all; this loop keeps
 * only the queries of a known camera cloud (knowledge/cloud-endpoints.yaml; vendor web sites excluded) and drops
 * and counts the rest, since a resolver's log has millions of lines. A client's repeats of the same query are
 * yielded once (a camera asks every few minutes): the first line of each (client, name, type) stands for them.
 */
export type DnsLine =
  | { kind: "query"; client: string; query: string; qtype?: string; time?: string }
  /** a line of this log that is not a query (a reply, a forward, a header, another daemon's syslog line) */
  | { kind: "other" }
  /** a line that does not look like this log at all */
  | { kind: "foreign" }
  | { kind: "error"; message: string; field?: string };

/** A parser per file: formats with a header (Zeek's #fields) keep state between lines. */
export type DnsLineParser = (text: string, n: number) => DnsLine;

/** Distinct (client, name, type) remembered for de-duplication; past this, repeats are yielded again. */
const MAX_SEEN = 200_000;

export function dnsFormat(
  id: string,
  description: string,
  what: string,
  parser: (file: string) => DnsLineParser,
): ImportFormat {
  return {
    id,
    description,
    read: (file: string, opts?: ImportReadOptions) => readDnsLog(file, opts ?? {}, what, parser(file), id),
  };
}

async function* readDnsLog(
  file: string,
  opts: ImportReadOptions,
  what: string,
  parse: DnsLineParser,
  source: string,
): AsyncGenerator<ImportItem> {
  // The endpoint list is read (and checked) before the log, so a broken list fails the import, not each line.
  const endpoints = loadCloudEndpoints();
  const report = reportOf(opts) ?? {};
  report.lines = report.queries = report.dropped = report.repeats = report.other = 0;
  const seen = new Set<string>();
  let ours = 0;
  let first: Line | undefined;
  for await (const l of readLines(file, opts.signal)) {
    report.lines++;
    if (l.tooLong) {
      yield rowError(l.n, "line longer than 64 KiB: not read");
      continue;
    }
    if (!l.text.trim()) continue;
    first ??= l;
    const p = parse(l.text, l.n);
    if (p.kind === "foreign" || p.kind === "other") {
      report.other++;
      if (p.kind === "other") ours++;
      continue;
    }
    ours++;
    if (p.kind === "error") {
      yield rowError(l.n, p.message, p.field);
      continue;
    }
    report.queries++;
    const name = canonicalName(p.query);
    if (!name) {
      yield rowError(l.n, `not a DNS name: ${quote(p.query)}`, "query");
      continue;
    }
    const cloud = cloudEndpointOf(name, endpoints);
    if (!cloud || cloud.role === "vendor-web") {
      report.dropped++;
      continue;
    }
    const client = canonicalAddress(p.client);
    if (!client) {
      yield rowError(l.n, `client is not an IP address: ${quote(p.client)}`, "client");
      continue;
    }
    const qtype = p.qtype && /^[A-Za-z0-9=]{1,16}$/.test(p.qtype) ? p.qtype.toUpperCase() : undefined;
    const key = `${client}|${name}|${qtype ?? ""}`;
    if (seen.has(key)) {
      report.repeats++;
      continue;
    }
    if (seen.size < MAX_SEEN) seen.add(key);
    const o = observation({
      protocol: "dns",
      target: client,
      request: { source, line: l.n, query: name, ...(qtype ? { qtype } : {}) },
      ...(p.time ? { time: p.time } : {}),
    });
    if ("why" in o) {
      yield rowError(l.n, o.why);
      continue;
    }
    yield { record: { line: l.n, address: client, observations: [o.ok] } };
  }
  // Not one line of this log's shape: the wrong FORMAT word, or not a log at all.
  if (first && ours === 0) throw new InputError(`not a ${what}: no line looks like one`, file, first.n);
}

/** Unix seconds with a fraction (Zeek's ts) -> ISO time, or undefined. */
export function epochTime(v: unknown): string | undefined {
  const n =
    typeof v === "number" ? v : typeof v === "string" && /^\d{1,12}(?:\.\d{1,9})?$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const d = new Date(n * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
