import { FOLLOWS, needsSanitization, type Step, type Storage, type WorkflowState } from "./states.js";

/** What a guard needs to know of one device. */
export interface WorkflowFacts {
  state: WorkflowState;
  storage: Storage;
  /** sanitization records made since the device's latest removal */
  sanitizations: number;
  /** the latest verdict says it must or should go (prohibited, advisory), or identification found a restricted maker */
  eligible: boolean;
}

/**
 * Why a step may not be taken, or null when it may. Pure: the store calls it with facts read in the same
 * transaction, so the answer holds when the step is written.
 */
export function refusal(f: WorkflowFacts, step: Step, o: { date?: string | null } = {}): string | null {
  if (!f.eligible)
    return "its latest verdict is allowed and no restricted maker was identified: there is nothing to remove";
  if (!FOLLOWS[step].includes(f.state))
    return `it is ${f.state}; ${step} follows ${FOLLOWS[step].join(" or ")}`;
  if (step === "scheduled" && !o.date) return "scheduling needs the day (--on YYYY-MM-DD)";
  if (step === "sanitized" && f.sanitizations === 0)
    return "no sanitization record since its removal (camsweep remediate sanitize records one)";
  if (step === "closed" && f.state === "removed" && needsSanitization(f.storage))
    return f.storage === "present"
      ? "it stores footage and no sanitization is recorded since its removal (NIST SP 800-88, ITSP.40.006)"
      : "whether it stores footage is unknown: record its sanitization, or state --storage none when removing it";
  return null;
}
