import ipaddr from "ipaddr.js";
import { z } from "zod";
import { UsageError } from "../shared/errors.js";
import { appendAudit, type AuditContext } from "./audit.js";
import type { Queryable } from "./db.js";

/**
 * Who owns what: organizations (with their type and jurisdiction, which decide which rules bind them), their
 * sites, and the network segments that put an address on a site. Input is validated here, at the boundary, with
 * messages that name the field.
 */
export const ORGANIZATION_TYPES = [
  "federal-department",
  "agency",
  "crown-corporation",
  "provincial",
  "municipal",
  "private",
] as const;
export const CRITICALITIES = ["low", "normal", "high", "critical"] as const;
export type Criticality = (typeof CRITICALITIES)[number];

/**
 * What an organization does that a rule binds regardless of its type, because some policies bind by activity:
 * Canada's 2022 Huawei/ZTE statement binds telecom service providers, s.889 Part B binds whoever contracts with a
 * U.S. executive agency. An organization carries these only when its owner says so (org add --sector).
 */
export const ORGANIZATION_SECTORS = [
  "telecom-service-provider",
  "equipment-supplier",
  "us-federal-contractor",
  "us-federal-grant-recipient",
  "us-usf-recipient",
] as const;

const slug = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    "lower-case letters, digits and '-', at most 63, starting with a letter or digit",
  );

export const OrganizationInput = z.object({
  id: slug,
  name: z.string().min(1).max(200),
  type: z.enum(ORGANIZATION_TYPES),
  // ISO 3166-1 alpha-2, optionally with a subdivision (CA, CA-QC, US-VA)
  jurisdiction: z.string().regex(/^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/, "an ISO 3166 code such as CA, CA-QC or US"),
  parentId: slug.optional(),
  sectors: z
    .array(z.enum(ORGANIZATION_SECTORS))
    .default([])
    .transform((a) => [...new Set(a)]),
});
export type Organization = z.output<typeof OrganizationInput>;

export const SiteInput = z.object({
  id: slug,
  organizationId: slug,
  name: z.string().min(1).max(200),
  address: z.string().max(500).optional(),
  criticality: z.enum(CRITICALITIES).default("normal"),
});
export type Site = z.output<typeof SiteInput>;

/** "10.1.2.7/24" -> "10.1.2.0/24"; refuses what is not a network. */
export function canonicalCidr(cidr: string): string {
  try {
    const [addr, bits] = ipaddr.parseCIDR(cidr.trim());
    const net =
      addr.kind() === "ipv4"
        ? ipaddr.IPv4.networkAddressFromCIDR(cidr.trim())
        : ipaddr.IPv6.networkAddressFromCIDR(cidr.trim());
    return `${net.toString()}/${bits}`;
  } catch {
    throw new UsageError(`segment "${cidr}": not a CIDR network (10.1.2.0/24, fd00:1::/64)`);
  }
}

/** zod issues -> one message naming each field. */
export function validated<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const why = r.error.issues.map((i) => `${i.path.join(".") || what}: ${i.message}`).join("; ");
  throw new UsageError(`${what}: ${why}`);
}

export async function addOrganization(
  q: Queryable,
  input: unknown,
  ctx: AuditContext = {},
): Promise<Organization> {
  const o = validated(OrganizationInput, input, "organization");
  if (o.parentId && !(await exists(q, "organizations", o.parentId)))
    throw new UsageError(`organization ${o.id}: parent "${o.parentId}" is not in the inventory`);
  if (await exists(q, "organizations", o.id)) throw new UsageError(`organization "${o.id}" exists already`);
  await q.query(
    "INSERT INTO organizations (id, name, type, jurisdiction, parent_id, sectors) VALUES ($1, $2, $3, $4, $5, $6)",
    [o.id, o.name, o.type, o.jurisdiction, o.parentId ?? null, JSON.stringify(o.sectors)],
  );
  await appendAudit(q, { ...ctx, action: "create", entity: "organization", entityId: o.id, data: o });
  return o;
}

export async function addSite(q: Queryable, input: unknown, ctx: AuditContext = {}): Promise<Site> {
  const s = validated(SiteInput, input, "site");
  if (!(await exists(q, "organizations", s.organizationId)))
    throw new UsageError(
      `site ${s.id}: organization "${s.organizationId}" is not in the inventory (camsweep org add)`,
    );
  if (await exists(q, "sites", s.id)) throw new UsageError(`site "${s.id}" exists already`);
  await q.query(
    "INSERT INTO sites (id, organization_id, name, address, criticality) VALUES ($1, $2, $3, $4, $5)",
    [s.id, s.organizationId, s.name, s.address ?? null, s.criticality],
  );
  await appendAudit(q, { ...ctx, action: "create", entity: "site", entityId: s.id, data: s });
  return s;
}

/** Maps a CIDR to a site. The same range may belong to several sites (each its own private network). */
export async function addSegment(
  q: Queryable,
  siteId: string,
  cidr: string,
  name?: string,
  ctx: AuditContext = {},
): Promise<string> {
  if (!(await exists(q, "sites", siteId))) throw new UsageError(`site "${siteId}" is not in the inventory`);
  const c = canonicalCidr(cidr);
  const { rows } = await q.query<{ inserted: boolean }>(
    `INSERT INTO segments (site_id, cidr, name) VALUES ($1, $2, $3)
       ON CONFLICT (site_id, cidr) DO UPDATE SET name = COALESCE(EXCLUDED.name, segments.name)
     RETURNING (xmax = 0) AS inserted`,
    [siteId, c, name ?? null],
  );
  await appendAudit(q, {
    ...ctx,
    action: rows[0]?.inserted === false ? "update" : "create",
    entity: "segment",
    entityId: `${siteId}/${c}`,
    data: { site: siteId, cidr: c, name: name ?? null },
  });
  return c;
}

export async function exists(q: Queryable, table: "organizations" | "sites", id: string): Promise<boolean> {
  return (await q.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).rows.length > 0;
}

export interface OrganizationRow extends Organization {
  sites: number;
  devices: number;
}

export async function listOrganizations(q: Queryable): Promise<OrganizationRow[]> {
  const { rows } = await q.query<{
    id: string;
    name: string;
    type: Organization["type"];
    jurisdiction: string;
    parent_id: string | null;
    sectors: Organization["sectors"];
    sites: number;
    devices: number;
  }>(
    `SELECT o.id, o.name, o.type, o.jurisdiction, o.parent_id, o.sectors,
       (SELECT count(*)::int FROM sites s WHERE s.organization_id = o.id) AS sites,
       (SELECT count(*)::int FROM devices d JOIN sites s ON d.site_id = s.id WHERE s.organization_id = o.id) AS devices
     FROM organizations o ORDER BY o.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.type,
    jurisdiction: r.jurisdiction,
    ...(r.parent_id ? { parentId: r.parent_id } : {}),
    sectors: r.sectors,
    sites: r.sites,
    devices: r.devices,
  }));
}

export interface SiteRow extends Site {
  segments: string[];
  devices: number;
}

export async function listSites(q: Queryable, organizationId?: string): Promise<SiteRow[]> {
  const { rows } = await q.query<{
    id: string;
    organization_id: string;
    name: string;
    address: string | null;
    criticality: Site["criticality"];
    segments: string[] | null;
    devices: number;
  }>(
    `SELECT s.id, s.organization_id, s.name, s.address, s.criticality,
       (SELECT array_agg(g.cidr ORDER BY g.cidr) FROM segments g WHERE g.site_id = s.id) AS segments,
       (SELECT count(*)::int FROM devices d WHERE d.site_id = s.id) AS devices
     FROM sites s ${organizationId ? "WHERE s.organization_id = $1" : ""} ORDER BY s.id`,
    organizationId ? [organizationId] : [],
  );
  return rows.map((r) => ({
    id: r.id,
    organizationId: r.organization_id,
    name: r.name,
    ...(r.address ? { address: r.address } : {}),
    criticality: r.criticality,
    segments: r.segments ?? [],
    devices: r.devices,
  }));
}
