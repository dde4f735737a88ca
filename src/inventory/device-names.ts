import { UsageError } from "../shared/errors.js";
import type { Queryable } from "./db.js";

/**
 * The devices named by id or address, in the order named, without repeats. Every name must match (the same private
 * address may be on many sites: `site` narrows), or nothing is done: an unknown name is the user's bad line.
 */
export async function devicesNamed(q: Queryable, names: readonly string[], site?: string): Promise<string[]> {
  const ids = new Set<string>();
  for (const name of names) {
    const params: unknown[] = [name];
    const onSite = site ? ` AND site_id = $${params.push(site)}` : "";
    const { rows } = await q.query<{ id: string }>(
      `SELECT id FROM devices WHERE (id = $1 OR address = $1)${onSite} ORDER BY id`,
      params,
    );
    if (!rows.length)
      throw new UsageError(`"${name}": no device has this id or address${site ? ` on site ${site}` : ""}`);
    for (const r of rows) ids.add(r.id);
  }
  return [...ids];
}

/** The one device a name stands for: an address held by several devices must be narrowed (by id, or `site`). */
export async function deviceNamed(q: Queryable, name: string, site?: string): Promise<string> {
  const ids = await devicesNamed(q, [name], site);
  if (ids.length > 1)
    throw new UsageError(`"${name}": ${ids.length} devices have this address; name one by id or --site`);
  return ids[0]!;
}
