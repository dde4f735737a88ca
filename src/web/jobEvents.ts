import type { Job } from "../shared/wire/jobs";

/**
 * What the page knows of a job from its event stream (GET /api/v1/jobs/:id/events): the latest Job, the devices
 * that arrived (only the last MAX_KEPT are kept, so a scan of a /16 cannot grow the page without bound), and
 * whether the stream has ended. Pure, so it is unit-tested.
 */
export const MAX_KEPT = 500;

/** A device event's data, as parseDevice keeps it (the stream is read by hand, not by a schema). */
export interface JobDevice {
  address: string | null;
  manufacturer: string | null;
  model: string | null;
  restricted: boolean;
}

export interface JobView {
  job: Job | null;
  devices: JobDevice[];
  deviceCount: number;
  ended: boolean;
}

export const emptyJobView = (): JobView => ({ job: null, devices: [], deviceCount: 0, ended: false });

export type JobEvent =
  | { type: "progress"; job: Job }
  | { type: "end"; job: Job }
  | { type: "device"; device: JobDevice }
  | { type: "cancelled"; job: Job };

export function reduceJob(view: JobView, event: JobEvent): JobView {
  switch (event.type) {
    case "progress":
      return view.ended ? view : { ...view, job: event.job };
    case "end":
    case "cancelled":
      return { ...view, job: event.job, ended: event.type === "end" || view.ended };
    case "device": {
      const devices = [...view.devices, event.device];
      return {
        ...view,
        devices: devices.length > MAX_KEPT ? devices.slice(devices.length - MAX_KEPT) : devices,
        deviceCount: view.deviceCount + 1,
      };
    }
  }
}

const str = (v: unknown): string | null => (typeof v === "string" ? v.slice(0, 300) : null);

/** Parses an event's data; a malformed one is dropped rather than trusted. */
export function parseJob(data: string): Job | null {
  try {
    const j = JSON.parse(data) as Job;
    return j && typeof j === "object" && typeof j.id === "string" && j.progress ? j : null;
  } catch {
    return null;
  }
}

export function parseDevice(data: string): JobDevice | null {
  try {
    const d = JSON.parse(data) as Record<string, unknown>;
    if (!d || typeof d !== "object") return null;
    return {
      address: str(d.address),
      manufacturer: str(d.manufacturer),
      model: str(d.model),
      restricted: d.restricted === true,
    };
  } catch {
    return null;
  }
}

export const isFinished = (job: Job | null): boolean =>
  job !== null && (job.state === "done" || job.state === "failed" || job.state === "cancelled");
