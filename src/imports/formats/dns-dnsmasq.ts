import { dnsFormat, type DnsLine } from "./dns-log.js";

/**
 * dnsmasq's query log (`log-queries`), which Pi-hole writes to /var/log/pihole/pihole.log (FTL embeds dnsmasq):
 *
 *   Jul  7 19:39:41 dnsmasq[536]: query[AAAA] video-edge-b1fd44.muc01.abs.hls.ttvnw.net from 192.168.1.185
 *   Dec 20 21:16:22 dnsmasq[19372]: 4 10.8.0.2/34596 query[A] pi.hole from 10.8.0.2      (log-queries=extra)
 *   dnsmasq: 1 127.0.0.1/48521 query[A] pi.hole from 127.0.0.1                            (no pid: a container log)
 *
 * Only `query[TYPE] NAME from CLIENT` lines are queries; forwarded/reply/cached/config/gravity lines are the log's
 * other lines. Samples: Pi-hole FTL's test scripts (pihole.log lines, search index ids 11381015842, 3885075179) and
 * its log parser's comment (id 3488799233); a dnsmasq decoder's example logs. The syslog time has no year, so
 * observations keep the import's time.
 */
const QUERY =
  /\bdnsmasq(?:\[\d{1,10}\])?: (?:\d{1,10} \S{1,80} )?query\[([^\]]{1,16})\] (\S{1,300}) from (\S{1,80})\s*$/;

function dnsmasqLine(text: string): DnsLine {
  const m = QUERY.exec(text);
  if (m) return { kind: "query", qtype: m[1] as string, query: m[2] as string, client: m[3] as string };
  if (/\bdnsmasq(?:\[\d{1,10}\])?: .*\bquery\[/.test(text))
    return { kind: "error", message: "query line not in dnsmasq's form" };
  if (/\b(?:dnsmasq|pihole-FTL)(?:-dhcp)?(?:\[\d{1,10}\])?: /.test(text)) return { kind: "other" };
  return { kind: "foreign" };
}

export const dnsmasqLog = dnsFormat(
  "dnsmasq-log",
  "dnsmasq / Pi-hole query log (query[TYPE] NAME from CLIENT): queries of camera clouds only",
  "dnsmasq or Pi-hole log",
  () => dnsmasqLine,
);
