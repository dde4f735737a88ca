// The cases of the API benchmark: which GET /api/v1/devices requests are timed (their query), and a check of what
// the first answer holds, so a case that returns the wrong devices fails.

/**
 * The cases for a fill plan: the largest and smallest organization and site, two makers, both flags, the sorts, a
 * search for a model and for one serial (rareSerial: a serial's digits, which no other column holds), a count.
 */
export function cases(plan, { deepPage, orgDeepPage, rareSerial }) {
  const owned = plan.filter((s) => s.id);
  const orgs = [...new Set(owned.map((s) => s.org))];
  const orgSize = (o) => owned.filter((s) => s.org === o).reduce((n, s) => n + s.n, 0);
  const largeOrg = orgs.reduce((a, b) => (orgSize(b) > orgSize(a) ? b : a));
  const smallOrg = orgs.reduce((a, b) => (orgSize(b) < orgSize(a) ? b : a));
  // A middling site (the median by size) and the smallest one.
  const bySize = [...owned].sort((a, b) => b.n - a.n);
  const midSite = bySize[Math.floor(bySize.length / 2)];
  const smallSite = bySize[bySize.length - 1];
  const sitesOf = (o) => new Set(owned.filter((s) => s.org === o).map((s) => s.id));
  const list = (name, filter, o = {}) => ({ name, filter, page: o.page ?? 1, what: o.what ?? "", ...o });
  return [
    { name: "me (auth only)", path: "/api/v1/me", filter: null, page: 1, what: "a token's lookup, no list" },
    list("first page", {}, { what: "every device" }),
    list(`page ${deepPage}`, {}, { page: deepPage, what: "every device, following next" }),
    list(
      `organization ${largeOrg}`,
      { organization: largeOrg },
      {
        what: `${orgSize(largeOrg)} devices`,
        match: (d) => sitesOf(largeOrg).has(d.siteId),
      },
    ),
    list(
      `organization ${smallOrg}`,
      { organization: smallOrg },
      {
        what: `${orgSize(smallOrg)} devices`,
        match: (d) => sitesOf(smallOrg).has(d.siteId),
      },
    ),
    list(
      `organization ${smallOrg}, page ${orgDeepPage}`,
      { organization: smallOrg },
      {
        page: orgDeepPage,
        what: `${orgSize(smallOrg)} devices, following next`,
        match: (d) => sitesOf(smallOrg).has(d.siteId),
      },
    ),
    list(
      `site ${midSite.id}`,
      { site: midSite.id },
      {
        what: `${midSite.n} devices`,
        match: (d) => d.siteId === midSite.id,
      },
    ),
    list(
      `site ${smallSite.id}`,
      { site: smallSite.id },
      {
        what: `${smallSite.n} devices`,
        match: (d) => d.siteId === smallSite.id,
      },
    ),
    list(
      "manufacturer hikvision",
      { manufacturer: "hikvision" },
      {
        what: "26% of the devices",
        match: (d) => d.manufacturer === "hikvision",
      },
    ),
    list(
      "manufacturer mobotix",
      { manufacturer: "mobotix" },
      {
        what: "2% of the devices",
        match: (d) => d.manufacturer === "mobotix",
      },
    ),
    list("restricted=true", { restricted: true }, { what: "40% of the devices", match: (d) => d.restricted }),
    list(
      "restricted=false",
      { restricted: false },
      { what: "60% of the devices", match: (d) => !d.restricted },
    ),
    // What the list's newer form offers (sorts, a search, a count): skipped when the route refuses them.
    list("sort=address", { sort: "address" }, { what: "every device", optional: true }),
    list("sort=last-seen", { sort: "last-seen" }, { what: "every device", optional: true }),
    list(
      "q=DS-2CD2142 (a model)",
      { q: "DS-2CD2142" },
      {
        what: "3% of the devices",
        optional: true,
        match: (d) => d.model === "DS-2CD2142FWD-I",
      },
    ),
    list(
      `q=${rareSerial} (one serial)`,
      { q: rareSerial },
      {
        what: "1 device",
        optional: true,
        match: (d) => d.serial?.endsWith(rareSerial),
      },
    ),
    list(
      `organization ${largeOrg}, count=true`,
      { organization: largeOrg, count: "true" },
      {
        what: `${orgSize(largeOrg)} devices, counted`,
        optional: true,
        match: (d) => sitesOf(largeOrg).has(d.siteId),
      },
    ),
  ];
}

/** The request path of a list case's first page (limit 100), plus `after` when given. */
export function listPath(filter, after, limit = 100) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) q.set(k, String(v));
  q.set("limit", String(limit));
  if (after) q.set("after", after);
  return `/api/v1/devices?${q}`;
}
