/**
 * The restricted makers' cloud endpoints a device was seen contacting, from the DNS evidence of its identification
 * (knowledge/fingerprints/cloud-dns.yaml rules on `dns.query` parts, from DNS log imports). Pure but for the
 * endpoint list, which is read once.
 */
import type { Evidence, Identification } from "../../identify/identification.js";
import { cloudEndpointOf, loadCloudEndpoints, type CloudEndpoints } from "../../knowledge/cloud-endpoints.js";
import { CLOUD_ROLES, type CloudRole } from "./schema.js";

export interface CloudContact {
  /** the name queried; `*.domain` when the evidence kept only the domain the rule matched (see below) */
  query: string;
  /** the cloud service (Hik-Connect, Dahua P2P, ...) */
  service: string;
  /** maker slug whose ecosystem the endpoint belongs to */
  maker: string;
  role: CloudRole;
}

/** What cloudContacts reads: the evidence, and where evidence short of a verdict is kept. */
export type CloudEvidence = Pick<Identification, "evidence"> &
  Partial<Pick<Identification, "conflicts" | "suspected">>;

/**
 * The cloud contacts of one device, strongest role first (device, device-or-app, app), then by name; one per name.
 *
 * Where the name comes from: each queried name is matched by one rule of cloud-dns.yaml (the first that matches
 * wins, host rules before domain rules), and the evidence excerpt is the text that rule matched. A host rule
 * (`^(?:lite)?dev\.hik-connect\.com$`) matches the whole name; a domain rule (`(?:^|\.)hik-connect\.com$`)
 * matches `.hik-connect.com` only, so the host under it is not in the evidence and the contact reads
 * `*.hik-connect.com`, with the domain's role (the hosts with a role of their own have host rules). Vendor web sites
 * (role vendor-web) are never contacts. Evidence short of a verdict (conflicts, suspected makers) counts too: a
 * query is a contact whether or not it was enough to name the maker.
 */
export function cloudContacts(
  identification: CloudEvidence,
  list: CloudEndpoints = loadCloudEndpoints(),
): CloudContact[] {
  const all: Evidence[] = [
    ...identification.evidence,
    ...(identification.conflicts ?? []).flatMap((c) => c.evidence),
    ...(identification.suspected ?? []).flatMap((s) => s.evidence),
  ];
  const byQuery = new Map<string, CloudContact>();
  for (const e of all) {
    if (e.source.protocol !== "dns" || e.part !== "dns.query") continue;
    const text = e.excerpt.trim().toLowerCase();
    const domain = text.startsWith(".");
    const query = domain ? `*${text}` : text;
    if (byQuery.has(query)) continue;
    const hit = cloudEndpointOf(domain ? text.slice(1) : text, list);
    if (!hit || hit.role === "vendor-web") continue;
    byQuery.set(query, { query, service: hit.service, maker: hit.maker, role: hit.role });
  }
  const rank = (r: CloudRole) => CLOUD_ROLES.indexOf(r);
  return [...byQuery.values()].sort(
    (a, b) => rank(a.role) - rank(b.role) || (a.query < b.query ? -1 : a.query > b.query ? 1 : 0),
  );
}
