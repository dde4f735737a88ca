// What the device-list (bench/api) and overview (bench/web) benchmarks share: the organizations of their estate and
// how many devices each site holds. Each bench lays its sites out in 10.0.0.0/8 its own way (text only: nothing is
// sent to those addresses).
import { execFileSync } from "node:child_process";

/** id, name, type, jurisdiction, share of the devices (percent, sum 100), sites: large to tiny, 58 sites in all. */
export const ORGANIZATIONS = [
  ["dnd", "National Defence", "federal-department", "CA", 30, 12],
  ["cbsa", "Border Services Agency", "agency", "CA", 20, 10],
  ["ottawa", "City of Ottawa", "municipal", "CA-ON", 15, 9],
  ["hydro-qc", "Hydro-Quebec", "crown-corporation", "CA-QC", 12, 8],
  ["acme", "Acme Logistics", "private", "US", 10, 7],
  ["ontario", "Province of Ontario", "provincial", "CA-ON", 8, 6],
  ["rcmp", "Royal Canadian Mounted Police", "federal-department", "CA", 4, 4],
  ["tiny-town", "Town of Tiny", "municipal", "CA-ON", 1, 2],
];

/** Devices on no site: a scanned range nobody mapped (2%). */
const UNOWNED_SHARE = 0.02;

/**
 * Which site holds how many devices: each organization's share split over its sites by 1/k (a headquarters, then
 * smaller places), the remainder to the first site; `k` is the site's place in its organization. The devices on no
 * site come last (id and org null). Deterministic: the same plan for the same N.
 */
export function siteCounts(devices) {
  const owned = devices - Math.round(devices * UNOWNED_SHARE);
  const sites = [];
  for (const [org, , , , share, count] of ORGANIZATIONS) {
    const orgDevices = Math.round((owned * share) / 100);
    const weights = Array.from({ length: count }, (_, k) => 1 / (k + 1));
    const total = weights.reduce((a, b) => a + b, 0);
    const n = weights.map((w) => Math.floor((orgDevices * w) / total));
    n[0] += orgDevices - n.reduce((a, b) => a + b, 0);
    n.forEach((x, k) => sites.push({ id: `${org}-${k + 1}`, org, n: x, k }));
  }
  sites[0].n += owned - sites.reduce((a, s) => a + s.n, 0);
  sites.push({ id: null, org: null, n: devices - owned, k: null });
  return sites;
}

/** git's answer, or null outside a checkout (the result files name the commit measured). */
export function git(...a) {
  try {
    return execFileSync("git", a, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}
