/**
 * The removal workflow of one device, as a state machine: which step may follow which, and what each step needs.
 * Pure: the store (src/inventory/remediation.ts) applies it inside a transaction, the CLI and server only ask.
 *
 *   identified -> confirmed -> scheduled -> [isolated] -> removed -> [sanitized] -> closed
 *
 * "identified" is every device that has no workflow record yet. A device that stores footage (an NVR or DVR's
 * disks, a camera's SD card) cannot close without a sanitization record (NIST SP 800-88 Rev. 1, ITSP.40.006);
 * "reopened" is where a removed or closed device goes when a later scan or import sees it again.
 */
export const WORKFLOW_STATES = [
  "identified",
  "confirmed",
  "scheduled",
  "isolated",
  "removed",
  "sanitized",
  "closed",
  "reopened",
] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];

/** States in which the device is gone from the network as far as anyone has recorded. */
export const GONE_STATES: readonly WorkflowState[] = ["removed", "sanitized", "closed"];

/** GONE_STATES as an SQL list, `('removed', 'sanitized', 'closed')`, for `state IN ...` in the store's queries. */
export const GONE_SQL = `(${GONE_STATES.map((s) => `'${s}'`).join(", ")})`;

export const isGone = (state: WorkflowState): boolean => GONE_STATES.includes(state);

/** Whether the device holds recorded footage: present and unknown both require sanitization before closing. */
export const STORAGE_KINDS = ["present", "none", "unknown"] as const;
export type Storage = (typeof STORAGE_KINDS)[number];

export const EXCEPTION_STATES = ["requested", "approved", "rejected", "revoked", "expired"] as const;
export type ExceptionState = (typeof EXCEPTION_STATES)[number];

/** The steps a person records (identified is the start; reopened is camsweep's, when a gone device is seen again). */
export const STEPS = ["confirmed", "scheduled", "isolated", "removed", "sanitized", "closed"] as const;
export type Step = (typeof STEPS)[number];

/** Which state each step may follow. isolated is optional; a reopened device starts over from confirmation. */
export const FOLLOWS: Readonly<Record<Step, readonly WorkflowState[]>> = {
  confirmed: ["identified", "reopened"],
  scheduled: ["confirmed", "reopened"],
  isolated: ["scheduled"],
  removed: ["scheduled", "isolated", "reopened"],
  sanitized: ["removed"],
  closed: ["removed", "sanitized"],
};

/** Storage present or unknown is a device whose footage must be sanitized before closing. */
export function needsSanitization(storage: Storage): boolean {
  return storage !== "none";
}

/** What camsweep assumes of a device's storage before anyone states it: recorders hold disks, cameras may hold SD cards. */
export function defaultStorage(deviceType: string): Storage {
  return deviceType === "nvr" || deviceType === "dvr" ? "present" : "unknown";
}
