import { DEVICE_SORTS, type DeviceSort } from "../../shared/wire/lists";

/** GET /api/v1/devices's query, as the page sends it (the server's schema coerces the numbers). */
export interface DeviceQuery {
  organization?: string;
  site?: string;
  manufacturer?: string;
  restricted?: "true" | "false";
  q?: string;
  sort?: DeviceSort;
  limit?: number;
  after?: string;
  count?: "true";
}

/** The devices list's filters live in the URL (/devices?q=...&sort=...), so a filtered list can be linked. */
export interface DeviceFilters {
  organization: string;
  site: string;
  manufacturer: string;
  restricted: "" | "true" | "false";
  q: string;
  sort: DeviceSort;
}

export function filtersFromSearch(search: URLSearchParams): DeviceFilters {
  const restricted = search.get("restricted");
  const sort = search.get("sort") as DeviceSort | null;
  return {
    organization: search.get("organization") ?? "",
    site: search.get("site") ?? "",
    manufacturer: search.get("manufacturer") ?? "",
    restricted: restricted === "true" || restricted === "false" ? restricted : "",
    q: search.get("q") ?? "",
    sort: sort && DEVICE_SORTS.includes(sort) ? sort : "default",
  };
}

export function searchFromFilters(f: DeviceFilters): string {
  const p = new URLSearchParams();
  for (const k of ["organization", "site", "manufacturer", "restricted", "q"] as const) {
    const v = f[k].trim();
    if (v) p.set(k, v);
  }
  if (f.sort !== "default") p.set("sort", f.sort);
  const s = p.toString();
  return s ? `?${s}` : "";
}

export function queryFromFilters(f: DeviceFilters, after: string | null, limit: number): DeviceQuery {
  return {
    ...(f.organization ? { organization: f.organization } : {}),
    ...(f.site.trim() ? { site: f.site.trim() } : {}),
    ...(f.manufacturer.trim() ? { manufacturer: f.manufacturer.trim() } : {}),
    ...(f.restricted ? { restricted: f.restricted } : {}),
    ...(f.q.trim() ? { q: f.q.trim() } : {}),
    ...(f.sort !== "default" ? { sort: f.sort } : {}),
    limit,
    // The total is counted once, with the first page; later pages keep it.
    ...(after ? { after } : { count: "true" as const }),
  };
}
