import type { Criticality } from "../inventory/organizations.js";
import type { PlanWarning } from "./warnings.js";

/**
 * The replacement plan's data: what `camsweep plan` reads of each device and what it returns. Pure data, shared by
 * the planner (src/plan), the CLI and the reports (src/report/document).
 */

/** A device to remove, as the planner needs it (the CLI reads these from the inventory's latest verdicts). */
export interface PlanDevice {
  id: string;
  address: string | null;
  manufacturer: string | null;
  model: string | null;
  /** camera | nvr | dvr | other | unknown */
  deviceType: string;
  /** NVR/DVR recording channels when known (else the cost model derives them from the model, or its default) */
  channels?: number | null;
  organizationId: string;
  siteId: string;
  siteName: string;
  criticality: Criticality;
  /** 0..100, from the assessment */
  risk: number;
  status: "prohibited" | "advisory";
  /** the earliest dated deadline of the policies that prohibit it (YYYY-MM-DD), if any */
  deadline?: string | null;
}

export interface PlanOptions {
  /** how many phases (>= 1) */
  phases: number;
  /** first phase starts on this day (YYYY-MM-DD) */
  start: string;
  /** days per phase (default 90) */
  phaseDays?: number;
  /** total budget over all phases, in the cost model's currency; null: unlimited */
  budget: number | null;
}

/** What one device costs to replace, and why (every line of the sum is shown). */
export interface DeviceCost {
  deviceId: string;
  /** replacement hardware */
  hardware: number;
  labour: number;
  total: number;
  /** how the hardware price was found: "camera", "nvr 16 channels (model DS-7616NI-K2)", "nvr 8 channels (default)" */
  basis: string;
}

export interface PlannedVisit {
  siteId: string;
  siteName: string;
  organizationId: string;
  criticality: Criticality;
  deviceIds: string[];
  /** travel for this visit, once per site per phase */
  travel: number;
  /** hardware + labour of its devices */
  devices: number;
  total: number;
}

export interface PlanPhase {
  /** 1-based */
  number: number;
  start: string;
  end: string;
  budget: number | null;
  visits: PlannedVisit[];
  deviceCount: number;
  cost: number;
  /** devices in this phase whose policy deadline falls before the phase ends */
  late: { deviceId: string; deadline: string }[];
}

export interface Plan {
  options: Required<Omit<PlanOptions, "budget">> & { budget: number | null };
  currency: string;
  /** the cost model's file and SHA-256, so a plan can be traced to its prices */
  costModel: { file: string; sha256: string };
  phases: PlanPhase[];
  costs: DeviceCost[];
  /** devices the budget could not fund within the phases, highest priority first */
  unfunded: { deviceId: string; cost: number; deadline: string | null }[];
  totalCost: number;
  /** remaining devices to remove at the start and at the end of each phase, if the plan is kept */
  burnDown: { date: string; remaining: number }[];
  /**
   * Shortfalls, each with a code and its figures (for the reports' translations) and its English sentence. A plan
   * saved before warnings had codes holds the sentences alone: read saved plans through readPlanWarnings.
   */
  warnings: (PlanWarning | string)[];
}
