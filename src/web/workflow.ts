import type { WorkflowState } from "../remediation/states";
import type { ApiStep } from "../shared/wire/lists";

/**
 * Which API step may follow which state: the browser's copy of src/remediation/states.ts FOLLOWS, used only to
 * offer the right buttons. The server checks again and refuses a step that may not follow.
 */
const FOLLOWS: Readonly<Record<ApiStep, readonly WorkflowState[]>> = {
  confirmed: ["identified", "reopened"],
  scheduled: ["confirmed", "reopened"],
  isolated: ["scheduled"],
  removed: ["scheduled", "isolated", "reopened"],
  closed: ["removed", "sanitized"],
};

export function nextSteps(state: WorkflowState): ApiStep[] {
  return (Object.keys(FOLLOWS) as ApiStep[]).filter((s) => FOLLOWS[s].includes(state));
}

/** Device-controlled text is shown as text, but still capped so one hostile reply cannot swamp the page. */
export function clip(text: string | null | undefined, max = 500): string {
  if (!text) return "";
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
