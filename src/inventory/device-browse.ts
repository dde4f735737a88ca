import type { WorkflowState } from "../remediation/states.js";
import type { Queryable } from "./db.js";
import {
  cursorAfter,
  type DeviceFilter,
  type DevicePage,
  type DeviceRow,
  deviceQuery,
  type ListedRecord,
  LISTED_COLUMNS,
  sortOrder,
  toListed,
} from "./device-list.js";

/**
 * One page of the device list as a person browses it (the API and the web app): each device with its latest
 * verdict and its place in the removal workflow. The page's ids are chosen first, from the filter's index range
 * and nothing else; the listed columns, verdicts and workflow are then read by key for those rows only, so a page
 * of a million devices costs one index range and a hundred lookups, and never reads an identification.
 */
export interface BrowsedDevice extends ListedRecord {
  status: "prohibited" | "advisory" | "allowed" | "unowned" | null;
  workflow: WorkflowState;
}

type BrowsedRow = Pick<DeviceRow, (typeof LISTED_COLUMNS)[number] | "list_key"> & {
  verdict_status: BrowsedDevice["status"];
  workflow_state: WorkflowState | null;
};

/** The page's SQL (exported for the tests and the benchmark's plans). */
export function browseQuery(
  filter: DeviceFilter,
  page: DevicePage & { limit: number },
): { sql: string; params: unknown[] } {
  // One more than asked: whether there is a next page is known without counting.
  const keys = deviceQuery(filter, { ...page, limit: page.limit + 1 }, { select: "d.id" });
  const sql = `SELECT ${LISTED_COLUMNS.map((c) => `d.${c}`).join(", ")}, k.list_key,
                      a.status AS verdict_status, r.state AS workflow_state
                 FROM (${keys.sql}) k JOIN devices d ON d.id = k.id
                 LEFT JOIN device_assessments a ON a.device_id = d.id LEFT JOIN remediation r ON r.device_id = d.id
                ORDER BY ${sortOrder(page.sort)}`;
  return { sql, params: keys.params };
}

export async function browseDevices(
  q: Queryable,
  filter: DeviceFilter,
  page: DevicePage & { limit: number },
): Promise<{ devices: BrowsedDevice[]; next: string | null }> {
  const { sql, params } = browseQuery(filter, page);
  const { rows } = await q.query<BrowsedRow>(sql, params);
  const more = rows.length > page.limit;
  if (more) rows.length = page.limit;
  const last = rows[rows.length - 1];
  return {
    devices: rows.map((r) => ({
      ...toListed(r),
      status: r.verdict_status ?? null,
      workflow: r.workflow_state ?? "identified",
    })),
    next: more && last ? cursorAfter(last, page.sort) : null,
  };
}

/** How many devices the filter selects (asked once per filter, not per page: at a million it is a scan). */
export async function countDevices(q: Queryable, filter: DeviceFilter): Promise<number> {
  const { sql, params } = deviceQuery(filter, {}, { count: true });
  const { rows } = await q.query<{ n: number }>(sql, params);
  return rows[0]?.n ?? 0;
}
