/**
 * The phased replacement plan (camsweep plan): the cost model, the pure planner and its terminal text.
 */
export type { DeviceCost, Plan, PlanDevice, PlannedVisit, PlanOptions, PlanPhase } from "./model.js";
export {
  bundledCostModelPath,
  channelsOf,
  CostModelSchema,
  deviceCost,
  loadCostModel,
  MAX_COST_MODEL_BYTES,
  parseCostModel,
  PRICED_TYPES,
  pricedType,
  type ChannelPattern,
  type CostModel,
  type LoadedCostModel,
  type PricedType,
} from "./cost-model.js";
export {
  checkPlanOptions,
  comparePriority,
  DEFAULT_PHASE_DAYS,
  MAX_PHASE_DAYS,
  MAX_PHASES,
  planRemoval,
} from "./plan.js";
export { formatMoney, formatPlan } from "./format.js";
export {
  MAX_WARNINGS,
  MAX_WARNING_TEXT,
  PlanWarningSchema,
  readPlanWarnings,
  sitelessWarning,
  warningText,
  type PlanWarning,
  type PlanWarningCode,
  type TextWarning,
} from "./warnings.js";
export { planForInventory } from "./from-inventory.js";
