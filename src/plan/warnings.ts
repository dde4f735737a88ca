/**
 * The planner's warnings as data: a code and its figures, so the reports can say them in French too, and `text`,
 * the English sentence the CLI prints. Plans are kept as JSON in the inventory (table plans), and plans saved before
 * warnings had codes hold plain English strings: readPlanWarnings takes either, and anything else it cannot trust
 * it keeps as text or drops, never throws (a report must still render).
 */
import { z } from "zod";

/** Money is in the plan's currency (Plan.currency), whole units with cents; dates are YYYY-MM-DD. */
const money = z.number();
const count = z.number().int().min(0);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const PlanWarningSchema = z.discriminatedUnion("code", [
  z.object({
    code: z.literal("budget-short"),
    /** the total budget funds `funded` of `devices`; everything needs `needed`, `more` beyond the budget */
    params: z.object({ budget: money, funded: count, devices: count, needed: money, more: money }),
    text: z.string(),
  }),
  z.object({
    code: z.literal("phase-budget"),
    /** the total would do (`needed` with one visit per site) but the even split per phase does not */
    params: z.object({
      budget: money,
      devices: count,
      needed: money,
      phaseBudget: money,
      unfunded: count,
    }),
    text: z.string(),
  }),
  z.object({
    code: z.literal("too-dear"),
    /** devices dearer than a phase's budget on their own: the first few ids and how many more */
    params: z.object({
      devices: count,
      phaseBudget: money,
      ids: z.array(z.string()).max(5),
      moreIds: count,
    }),
    text: z.string(),
  }),
  z.object({
    code: z.literal("late-in-phase"),
    params: z.object({ phase: count, start: day, end: day, devices: count, earliest: day }),
    text: z.string(),
  }),
  z.object({
    code: z.literal("unfunded-deadlines"),
    /** unfunded devices with deadlines; `dueBeforeEnd` of them fall due before the plan's end */
    params: z.object({ devices: count, earliest: day, dueBeforeEnd: count, planEnd: day }),
    text: z.string(),
  }),
  z.object({
    code: z.literal("siteless"),
    /** restricted devices on no site, which a plan (visits to sites) cannot hold */
    params: z.object({ devices: count }),
    text: z.string(),
  }),
]);

export type PlanWarning = z.infer<typeof PlanWarningSchema>;
export type PlanWarningCode = PlanWarning["code"];

/** A warning a renderer can only show as its English text: a plan saved before codes, or an unknown code. */
export interface TextWarning {
  code: null;
  text: string;
}

/** A saved plan's warnings are read at most this many, each text at most this long: the row is not ours to trust. */
export const MAX_WARNINGS = 200;
export const MAX_WARNING_TEXT = 1000;

function cut(s: string): string {
  return s.length > MAX_WARNING_TEXT ? `${s.slice(0, MAX_WARNING_TEXT - 1)}…` : s;
}

/**
 * A plan's warnings as renderers need them, whatever was saved: codes checked against the schema (an unknown code
 * or bad figures fall back to the entry's text), old string entries as text, anything without text dropped.
 */
export function readPlanWarnings(value: unknown): (PlanWarning | TextWarning)[] {
  if (!Array.isArray(value)) return [];
  return value.slice(0, MAX_WARNINGS).flatMap((w): (PlanWarning | TextWarning)[] => {
    if (typeof w === "string") return [{ code: null, text: cut(w) }];
    const parsed = PlanWarningSchema.safeParse(w);
    if (parsed.success) return [{ ...parsed.data, text: cut(parsed.data.text) }];
    const text = typeof w === "object" && w !== null ? (w as { text?: unknown }).text : undefined;
    return typeof text === "string" ? [{ code: null, text: cut(text) }] : [];
  });
}

/** The English sentence of a warning, old or new (the CLI and the English-only exports print this). */
export function warningText(w: PlanWarning | TextWarning | string): string {
  return typeof w === "string" ? w : w.text;
}

/**
 * The warning for restricted devices on no site, which `camsweep plan` adds after planning (the planner sees only
 * devices on sites).
 */
export function sitelessWarning(devices: number): PlanWarning {
  return {
    code: "siteless",
    params: { devices },
    text:
      devices === 1
        ? "1 restricted device on no site is not in the plan: assign its segment to a site and assess again."
        : `${devices} restricted devices on no site are not in the plan: assign their segments to sites and assess again.`,
  };
}
