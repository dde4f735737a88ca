import { z } from "zod";
import { STORAGE_KINDS, WORKFLOW_STATES } from "../../remediation/states.js";
import { Day, FilterText, Slug } from "./fields.js";
import { API_STEPS } from "./lists.js";

/** The removal workflow on the wire: a device's steps, steps taken one or many at a time, the board, exceptions. */

export const WorkflowStep = z.object({
  from: z.string(),
  to: z.string(),
  at: z.string(),
  actor: z.string(),
  reason: z.string().nullable(),
});

export const History = z.object({
  deviceId: z.string(),
  state: z.enum(WORKFLOW_STATES),
  steps: z.array(WorkflowStep),
});

export const StepBody = z
  .object({
    step: z.enum(API_STEPS),
    date: Day.optional(),
    storage: z.enum(STORAGE_KINDS).optional(),
  })
  .strict();
export type StepBody = z.input<typeof StepBody>;

export const StepTaken = z.object({ deviceId: z.string(), from: z.string(), to: z.string() });
export type StepTaken = z.output<typeof StepTaken>;

/** One step for many devices: by ids, or by a selection. */
export const BulkStepBody = z
  .object({
    step: z.enum(API_STEPS),
    ids: z.array(z.uuid()).min(1).max(1000).optional(),
    organization: Slug.optional(),
    site: Slug.optional(),
    manufacturer: FilterText(64).optional(),
    date: Day.optional(),
    storage: z.enum(STORAGE_KINDS).optional(),
  })
  .strict();
export type BulkStepBody = z.input<typeof BulkStepBody>;

export const Moved = z.object({ moved: z.array(StepTaken) });
export type Moved = z.output<typeof Moved>;

/** The remediation board: devices a verdict says must go, a column per workflow state. */
export const Board = z.object({
  columns: z.array(
    z.object({
      state: z.enum(WORKFLOW_STATES),
      count: z.number().int(),
      devices: z.array(
        z.object({
          id: z.string(),
          address: z.string().nullable(),
          manufacturer: z.string().nullable(),
          model: z.string().nullable(),
          siteName: z.string().nullable(),
        }),
      ),
    }),
  ),
});
export type Board = z.output<typeof Board>;

/** What a sanitization record's form (multipart) answers. */
export const SanitizationRecorded = z.object({
  deviceId: z.string(),
  id: z.number().int(),
  state: z.enum(WORKFLOW_STATES),
});
export type SanitizationRecorded = z.output<typeof SanitizationRecorded>;

export const ExceptionRequest = z
  .object({
    device: z.uuid(),
    justification: z.string().min(1).max(4000),
    controls: z.array(z.string().min(1).max(500)).min(1).max(20),
    until: Day,
  })
  .strict();
export type ExceptionRequest = z.input<typeof ExceptionRequest>;

export const ExceptionRequested = z.object({ id: z.number().int() });

export const ExceptionDecision = z
  .object({
    decision: z.enum(["approve", "reject", "revoke"]),
    note: z.string().min(1).max(4000),
    until: Day.optional(),
  })
  .strict();
export type ExceptionDecision = z.input<typeof ExceptionDecision>;

export const ExceptionDecided = z.object({ id: z.number().int(), state: z.string(), expiresOn: z.string() });
export type ExceptionDecided = z.output<typeof ExceptionDecided>;
