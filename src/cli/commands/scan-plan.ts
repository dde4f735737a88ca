import { planScan, type Timing } from "../../scan/index.js";
import { collapseRanges, type Host, type PortSpec } from "../../targets/index.js";

const n = (x: number) => x.toLocaleString("en-US");

/** `scan --dry-run`: what would be probed, how, and how many packets, with nothing sent. */
export function formatPlan(hosts: Host[], ports: PortSpec[], t: Timing, udp: boolean): string {
  const plan = planScan(hosts.length, ports, t, udp);
  const ranges = collapseRanges(hosts.map((h) => h.address));
  const named = hosts.filter((h) => h.hostname);
  const rtt =
    t.minRttMs === t.maxRttMs
      ? `${t.minRttMs} ms fixed`
      : `${t.initialRttMs} ms until measured, then ${t.minRttMs}-${t.maxRttMs} ms from round trips`;
  return [
    "camsweep scan --dry-run: nothing was sent.",
    "",
    `Targets: ${n(hosts.length)} hosts in ${n(ranges.length)} ranges`,
    ...ranges.map((r) => `  ${r}`),
    ...named.map((h) => `  ${h.address} is ${h.hostname}`),
    `Ports: ${ports.map((p) => `${p.port}/${p.service}`).join(" ")}`,
    `Timing: ${t.name}: ${n(t.hosts)} hosts at once, ${t.perHostConnects} connects per host, at most ${n(t.maxRate)} new connections and datagrams a second`,
    `  connect timeout ${rtt}; ${t.retries} retries for silent ports; read timeout ${t.readTimeoutMs} ms; ${t.portBudgetMs / 1000} s per port at most`,
    "",
    "Packets:",
    `  connect pass: ${n(plan.connects.first)} TCP connection attempts (one SYN each)` +
      (plan.connects.atMost > plan.connects.first ? `, ${n(plan.connects.atMost)} at most with retries` : ""),
    `  each host with an open port, at most: ${plan.perLiveHost.requests} requests over its open ports` +
      (udp ? ` and ${plan.perLiveHost.datagrams} UDP datagrams (unicast SADP and DHIP)` : ""),
    `  at ${n(t.maxRate)} a second the connect pass alone takes at least ${plan.minSeconds.toFixed(1)} s`,
    "",
  ].join("\n");
}
