import { openInventory, type OpenInventory } from "../../inventory/index.js";
import { columns } from "../../shared/columns.js";
import { resolveDataDir } from "../../shared/paths.js";
import { auditContext, type AuditFlags } from "../audit-flags.js";
import { out } from "../output.js";

/** `camsweep org add|list` and `camsweep site add|list`: who owns what, and which ranges are whose. */

async function withInventory<T>(
  flags: { dataDir?: string } & AuditFlags,
  run: (inv: OpenInventory) => Promise<T>,
): Promise<T> {
  const inv = await openInventory(resolveDataDir(flags.dataDir), { audit: auditContext(flags) });
  try {
    return await run(inv);
  } finally {
    await inv.close();
  }
}

export function orgAdd(
  id: string,
  flags: {
    name: string;
    type: string;
    jurisdiction: string;
    parent?: string;
    sector?: string[];
    dataDir?: string;
  } & AuditFlags,
): Promise<number> {
  return withInventory(flags, async (inv) => {
    const o = await inv.store.addOrganization({
      id,
      name: flags.name,
      type: flags.type,
      jurisdiction: flags.jurisdiction,
      ...(flags.parent ? { parentId: flags.parent } : {}),
      ...(flags.sector ? { sectors: flags.sector.flatMap((s) => s.split(",")).map((s) => s.trim()) } : {}),
    });
    const sectors = o.sectors.length ? `; ${o.sectors.join(", ")}` : "";
    out(`organization ${o.id} added (${o.type}, ${o.jurisdiction}${sectors})`);
    return 0;
  });
}

export function orgList(flags: { json?: boolean; dataDir?: string }): Promise<number> {
  return withInventory(flags, async (inv) => {
    const orgs = await inv.store.listOrganizations();
    if (flags.json) out(orgs.map((o) => JSON.stringify(o)).join("\n"));
    else if (!orgs.length) out("no organizations in the inventory (camsweep org add)");
    // User-given names are printed as given: they come from the operator, not from a device.
    else
      out(
        columns(
          ["ID", "NAME", "TYPE", "JURISDICTION", "SECTORS", "PARENT", "SITES", "DEVICES"],
          orgs.map((o) => [
            o.id,
            o.name,
            o.type,
            o.jurisdiction,
            o.sectors.join(","),
            o.parentId ?? "",
            String(o.sites),
            String(o.devices),
          ]),
        ),
      );
    return 0;
  });
}

export function siteAdd(
  id: string,
  flags: {
    org: string;
    name: string;
    address?: string;
    criticality?: string;
    segment?: string[];
    dataDir?: string;
  } & AuditFlags,
): Promise<number> {
  return withInventory(flags, async (inv) => {
    const s = await inv.store.addSite({
      id,
      organizationId: flags.org,
      name: flags.name,
      ...(flags.address ? { address: flags.address } : {}),
      ...(flags.criticality ? { criticality: flags.criticality } : {}),
    });
    const segments: string[] = [];
    for (const c of (flags.segment ?? []).flatMap((v) => v.split(",")).filter(Boolean))
      segments.push(await inv.store.addSegment(s.id, c));
    out(`site ${s.id} added to ${s.organizationId}${segments.length ? `: ${segments.join(", ")}` : ""}`);
    return 0;
  });
}

export function segmentAdd(
  siteId: string,
  cidrs: string[],
  flags: { name?: string; dataDir?: string } & AuditFlags,
): Promise<number> {
  return withInventory(flags, async (inv) => {
    const added: string[] = [];
    for (const c of cidrs) added.push(await inv.store.addSegment(siteId, c, flags.name));
    out(`site ${siteId}: ${added.join(", ")}`);
    return 0;
  });
}

export function siteList(flags: { org?: string; json?: boolean; dataDir?: string }): Promise<number> {
  return withInventory(flags, async (inv) => {
    const sites = await inv.store.listSites(flags.org);
    if (flags.json) out(sites.map((s) => JSON.stringify(s)).join("\n"));
    else if (!sites.length) out("no sites in the inventory (camsweep site add)");
    else
      out(
        columns(
          ["ID", "ORGANIZATION", "NAME", "CRITICALITY", "SEGMENTS", "DEVICES"],
          sites.map((s) => [
            s.id,
            s.organizationId,
            s.name,
            s.criticality,
            s.segments.join(","),
            String(s.devices),
          ]),
        ),
      );
    return 0;
  });
}
