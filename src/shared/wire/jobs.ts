import { z } from "zod";
import { JOB_KINDS, JOB_STATES, TIMINGS } from "./lists.js";

/** Background jobs (scans and imports) on the wire. */

export const Job = z.object({
  id: z.string(),
  kind: z.enum(JOB_KINDS),
  state: z.enum(JOB_STATES),
  by: z.string(),
  organizationId: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  progress: z.object({ done: z.number().int(), total: z.number().int(), devices: z.number().int() }),
  error: z.string().nullable(),
  scanId: z.string().nullable(),
});
export type Job = z.output<typeof Job>;

export const Jobs = z.object({ jobs: z.array(Job) });
export type Jobs = z.output<typeof Jobs>;

export const ScanBody = z
  .object({
    targets: z.array(z.string().min(1).max(100)).min(1).max(64),
    ports: z.string().min(1).max(2000).optional(),
    timing: z.enum(TIMINGS).optional(),
  })
  .strict();
export type ScanBody = z.input<typeof ScanBody>;

/** What starting a scan or an import answers. */
export const JobStarted = z.object({ id: z.string() });
export type JobStarted = z.output<typeof JobStarted>;
