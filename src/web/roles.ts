import type { Me } from "../shared/wire/session";

/**
 * Which write actions to offer each role (docs/server.md). Only a hint for the UI, to hide buttons that would be
 * refused: the server decides, and its 403 message is shown when it refuses.
 */
export type Action =
  | "step"
  | "bulk-step"
  | "sanitize"
  | "exception-request"
  | "exception-decide"
  | "scan"
  | "import"
  | "cancel-job"
  | "screen";

const ALLOWED: Record<Me["role"], readonly Action[]> = {
  admin: [
    "step",
    "bulk-step",
    "sanitize",
    "exception-request",
    "exception-decide",
    "scan",
    "import",
    "cancel-job",
    "screen",
  ],
  auditor: ["step", "bulk-step", "sanitize", "exception-request", "scan", "import", "cancel-job", "screen"],
  // read, plan and report; screening a purchase order is part of planning the purchases
  "program-manager": ["screen"],
  viewer: [],
};

export function can(me: Me | null, action: Action): boolean {
  if (!me || me.scope !== "write") return false;
  return ALLOWED[me.role].includes(action);
}
