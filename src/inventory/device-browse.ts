import type { WorkflowState } from "../remediation/states.js";
import type { Queryable } from "./db.js";
import {
  cursorAfter,
  type DeviceFilter,
  type DevicePage,
  type DeviceRecord,
  type DeviceRow,
  deviceQuery,
  toRecord,
} from "./device-list.js";

/**
 * One page of the device list as a person browses it (the API and the web app): each device with its latest
 * verdict and its place in the removal workflow, joined by key on the page's rows only, so a page of a million
 * devices costs one index range and a hundred lookups.
 */
export interface BrowsedDevice extends DeviceRecord {
  status: "prohibited" | "advisory" | "allowed" | "unowned" | null;
  workflow: WorkflowState;
}

export async function browseDevices(
  q: Queryable,
  filter: DeviceFilter,
  page: DevicePage & { limit: number },
): Promise<{ devices: BrowsedDevice[]; next: string | null }> {
  // One more than asked: whether there is a next page is known without counting.
  const { sql, params } = deviceQuery(
    filter,
    { ...page, limit: page.limit + 1 },
    {
      columns: "a.status AS verdict_status, r.state AS workflow_state",
      joins:
        "LEFT JOIN device_assessments a ON a.device_id = d.id LEFT JOIN remediation r ON r.device_id = d.id",
    },
  );
  const { rows } = await q.query<
    DeviceRow & { verdict_status: BrowsedDevice["status"]; workflow_state: WorkflowState | null }
  >(sql, params);
  const more = rows.length > page.limit;
  if (more) rows.length = page.limit;
  const last = rows[rows.length - 1];
  return {
    devices: rows.map((r) => ({
      ...toRecord(r),
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
