import { dnsFormat, type DnsLine } from "./dns-log.js";

/**
 * BIND's query log (`querylog yes` / `rndc querylog on`, category queries), one query a line, in the forms BIND
 * 9.9 to 9.18 write, with or without syslog's or BIND's own time and category prefix:
 *
 *   17-Feb-2018 23:06:56.326 queries: info: client 172.26.0.1#12345 (test.example.com): query: test.example.com IN A +E(0)K (172.26.0.3)
 *   18-May-2021 16:34:13.003 queries: info: client @0x55adcc672cc0 45.231.61.2#80 (pizzaseo.com): query: pizzaseo.com IN ANY +E(0) (172.20.101.44)
 *   ... client @0x7f3a2c001234 192.0.2.10#16361 (www.example.com): view view-eu: query: www.example.com IN A -E(0)DC (198.51.100.7)
 *
 * Samples: logstash-plugins/logstash-patterns-core spec/patterns/bind_spec.rb (commit 00be5cd), the first line;
 * the second and third from public BIND log parsers (search index ids 23689666433, 56627982437). The time is
 * local to the server and carries no zone, so observations keep the import's time.
 */
const QUERY =
  /\bclient (?:@0x[0-9a-fA-F]{1,16} )?(\S{1,80})#(\d{1,5})(?: \([^)]{0,255}\))?: (?:view [^:]{1,64}: )?query: (\S{1,300}) (\S{1,10}) (\S{1,16})(?: |$)/;

function bindLine(text: string): DnsLine {
  const m = QUERY.exec(text);
  if (m) return { kind: "query", client: m[1] as string, query: m[3] as string, qtype: m[5] as string };
  // A query line this reader cannot split is an error; BIND's other lines (and other daemons' syslog) are not.
  if (/\bclient \S.*: query: /.test(text)) return { kind: "error", message: "query line not in BIND's form" };
  if (/\bqueries: |\bquery-errors: |\bnamed\[\d+\]: |\bclient @0x/.test(text)) return { kind: "other" };
  return { kind: "foreign" };
}

export const bindQueryLog = dnsFormat(
  "bind-querylog",
  "BIND query log (client ... query: NAME IN TYPE): queries of camera clouds only",
  "BIND query log",
  () => bindLine,
);
