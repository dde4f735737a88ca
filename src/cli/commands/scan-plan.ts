import type { CredentialSet } from "../../credentials/index.js";
import { planScan, type Timing } from "../../scan/index.js";
import { collapseRanges, type Host, type PortSpec } from "../../targets/index.js";

const n = (x: number) => x.toLocaleString("en-US");
const count = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;

/** `scan --dry-run`: what would be probed, how, and how many packets, with nothing sent. */
export function formatPlan(
  hosts: Host[],
  ports: PortSpec[],
  t: Timing,
  udp: boolean,
  credentials: CredentialSet,
  assumeUp: boolean,
): string {
  const plan = planScan(hosts.length, ports, t, udp, assumeUp);
  const ranges = collapseRanges(hosts.map((h) => h.address));
  const named = hosts.filter((h) => h.hostname);
  const covered = credentials.size ? hosts.filter((h) => credentials.for(h.address)).length : 0;
  const rtt =
    t.minRttMs === t.maxRttMs
      ? `${t.minRttMs} ms fixed`
      : `${t.initialRttMs} ms until measured, then ${t.minRttMs}-${t.maxRttMs} ms from round trips`;
  return [
    "camsweep scan --dry-run: nothing was sent.",
    "",
    `Targets: ${count(hosts.length, "host")} in ${count(ranges.length, "range")}`,
    ...ranges.map((r) => `  ${r}`),
    ...named.map((h) => `  ${h.address} is ${h.hostname}`),
    `Ports: ${ports.map((p) => `${p.port}/${p.service}`).join(" ")}`,
    `Timing: ${t.name}: ${n(t.discoveryHosts)} addresses asked at once, ${n(t.hosts)} hosts probed at once, ${t.perHostConnects} connects per host, at most ${n(t.maxRate)} new connections and datagrams a second`,
    `  connect timeout ${rtt}; ${count(t.retries, "retry", "retries")} for silent ports (${t.upRetries} on a host that answered); read timeout ${t.readTimeoutMs} ms; ${t.portBudgetMs / 1000} s per port at most`,
    "",
    "Packets:",
    `  finding hosts: ${n(plan.connects.discovery)} TCP connection attempts (one SYN each)` +
      (assumeUp ? " (every port: hosts assumed up)" : " on the first ports of each address"),
    `  each host found: ${plan.connects.perLiveHost} more; ${n(plan.connects.atMost)} attempts at most in all, with retries`,
    `  each host with an open port, at most: ${plan.perLiveHost.requests} requests over its open ports` +
      (udp
        ? ` and ${plan.perLiveHost.datagrams} UDP datagrams (unicast SADP, WS-Discovery, DHIP, legacy DHIP, SSDP)`
        : ""),
    `  at ${n(t.maxRate)} a second, finding hosts alone takes at least ${plan.minSeconds.toFixed(1)} s`,
    covered
      ? `Credentials: ${n(covered)} hosts covered (${credentials.entries.map((c) => c.toString()).join(", ")}); ` +
        "each gets at most one attempt per authorized request, and none after a refusal"
      : "Credentials: none (no authenticated request)",
    "",
  ].join("\n");
}
