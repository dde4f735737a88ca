/**
 * The replacement cost model (knowledge/cost-model.yaml, or the user's copy with their own quotes): its schema, its
 * loading, and what one device costs. Loading is the only I/O of src/plan.
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { z } from "zod";
import { issueLines } from "../assess/policies/load.js";
import { InputError } from "../shared/errors.js";
import { packagePath } from "../shared/paths.js";
import { parseStrictYaml } from "../shared/yaml-file.js";
import type { DeviceCost, PlanDevice } from "./model.js";

/** A cost model is a page of text; anything larger is not one (and would cost the YAML parser). */
export const MAX_COST_MODEL_BYTES = 64 * 1024;
/** Past this a channel count read from a name is a misreading, not a recorder. */
const MAX_CHANNELS = 1024;
/** Model names are short; matching only their start bounds what a user's pattern can cost. */
const MAX_MODEL_MATCH = 100;

export const PRICED_TYPES = ["camera", "nvr", "dvr", "other", "unknown"] as const;
export type PricedType = (typeof PRICED_TYPES)[number];

const OneLine = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !/[\r\n]/.test(s), "one line");
/** Every figure says where it comes from: a quote (`source`) or, until there is one, an `assumption` and why. */
const Why = { assumption: OneLine.optional(), source: OneLine.optional() };
const hasWhy = (f: { assumption?: string | undefined; source?: string | undefined }) =>
  !!(f.assumption || f.source);
const WHY_MESSAGE = "say why: `assumption:` (no quote yet) or `source:` (the quote)";

const Money = z
  .object({ amount: z.number().min(0), ...Why })
  .strict()
  .refine(hasWhy, WHY_MESSAGE);
const Hours = z
  .object({ value: z.number().min(0).max(1000), ...Why })
  .strict()
  .refine(hasWhy, WHY_MESSAGE);
const Channels = z
  .object({ value: z.number().int().min(1).max(MAX_CHANNELS), ...Why })
  .strict()
  .refine(hasWhy, WHY_MESSAGE);
const Recorder = z.object({ base: Money, perChannel: Money }).strict();

/** The pattern compiled as the planner uses it (case-insensitive), or null when it does not compile. */
function compile(source: string): RegExp | null {
  try {
    return new RegExp(source, "i");
  } catch {
    return null;
  }
}

const compiled = new Map<string, RegExp | null>();
function cachedRegExp(source: string): RegExp | null {
  if (!compiled.has(source)) compiled.set(source, compile(source));
  return compiled.get(source) ?? null;
}

/** The channels a pattern reads from a model name: its first capture group, when within bounds. */
function readChannels(re: RegExp, model: string): number | null {
  const m = re.exec(model.trim().slice(0, MAX_MODEL_MATCH));
  const n = m?.[1] === undefined ? NaN : Number.parseInt(m[1], 10);
  return n >= 1 && n <= MAX_CHANNELS ? n : null;
}

const ChannelPatternSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,60}$/, "lower-case words joined by -"),
    /** a regular expression over the model name, case-insensitive; its first capture group is the channel count */
    pattern: z.string().min(1).max(200),
    note: OneLine.optional(),
    source: OneLine,
    /** model names and the count the pattern must read from them (null: must not match) */
    examples: z
      .array(
        z
          .object({
            model: z.string().min(1).max(MAX_MODEL_MATCH),
            channels: z.number().int().min(1).nullable(),
          })
          .strict(),
      )
      .min(1, "every pattern needs at least one example"),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const re = compile(rule.pattern);
    if (!re)
      return ctx.addIssue({ code: "custom", path: ["pattern"], message: "not a valid regular expression" });
    if ((new RegExp(`${rule.pattern}|`).exec("")?.length ?? 1) < 2)
      return ctx.addIssue({
        code: "custom",
        path: ["pattern"],
        message: "needs a capture group (the channels)",
      });
    rule.examples.forEach((ex, i) => {
      const got = readChannels(re, ex.model);
      if (got !== ex.channels)
        ctx.addIssue({
          code: "custom",
          path: ["examples", i, "channels"],
          message: `the pattern reads ${got ?? "no match"} from ${ex.model}`,
        });
    });
  });
export type ChannelPattern = z.output<typeof ChannelPatternSchema>;

export const CostModelSchema = z
  .object({
    schemaVersion: z.literal(1),
    /** names the prices: bump it when a figure changes */
    version: z.string().min(1).max(60),
    currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as CAD"),
    hardware: z
      .object({ camera: Money, nvr: Recorder, dvr: Recorder, other: Money, unknown: Money })
      .strict(),
    defaultChannels: z.object({ nvr: Channels, dvr: Channels }).strict(),
    labour: z
      .object({
        hourlyRate: Money,
        hours: z.object({ camera: Hours, nvr: Hours, dvr: Hours, other: Hours, unknown: Hours }).strict(),
      })
      .strict(),
    travel: z.object({ perVisit: Money }).strict(),
    channelPatterns: z.array(ChannelPatternSchema).max(200).default([]),
  })
  .strict()
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.channelPatterns.forEach((p, i) => {
      if (seen.has(p.id))
        ctx.addIssue({ code: "custom", path: ["channelPatterns", i, "id"], message: "repeated" });
      seen.add(p.id);
    });
  });
export type CostModel = z.output<typeof CostModelSchema>;

/** A cost model with the file it came from and that file's SHA-256: a plan names both. */
export interface LoadedCostModel {
  model: CostModel;
  file: string;
  sha256: string;
}

export function bundledCostModelPath(): string {
  return packagePath("knowledge", "cost-model.yaml");
}

/** Checks a cost model's text; every error names `file` and the field (`labour.hourlyRate.amount: ...`). */
export function parseCostModel(text: string, file: string): CostModel {
  if (Buffer.byteLength(text, "utf8") > MAX_COST_MODEL_BYTES)
    throw new InputError(`larger than ${MAX_COST_MODEL_BYTES} bytes: not a cost model`, file);
  const raw = parseStrictYaml(text, file);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new InputError(
      "(root): a cost model is a mapping (version, currency, hardware, labour, ...)",
      file,
    );
  const r = CostModelSchema.safeParse(raw);
  if (!r.success) {
    const lines = issueLines(r.error);
    const more = lines.length > 5 ? `; and ${lines.length - 5} more` : "";
    throw new InputError(lines.slice(0, 5).join("; ") + more, file);
  }
  return r.data;
}

/** The cost model of `file`, or the bundled knowledge/cost-model.yaml; an oversized file is refused unread. */
export async function loadCostModel(file?: string): Promise<LoadedCostModel> {
  const path = file ?? bundledCostModelPath();
  let bytes: Buffer;
  try {
    if ((await stat(path)).size > MAX_COST_MODEL_BYTES)
      throw new InputError(`larger than ${MAX_COST_MODEL_BYTES} bytes: not a cost model`, path);
    bytes = await readFile(path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read cost model (${(e as NodeJS.ErrnoException).code ?? String(e)})`, path);
  }
  return {
    model: parseCostModel(bytes.toString("utf8"), path),
    file: path,
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}

/** A device type the cost model prices; anything else is priced as unknown. */
export function pricedType(deviceType: string): PricedType {
  return (PRICED_TYPES as readonly string[]).includes(deviceType) ? (deviceType as PricedType) : "unknown";
}

/** A recorder's channels: the first channelPatterns rule that reads them from the model name, else the default. */
function recorderChannels(
  model: string | null,
  type: "nvr" | "dvr",
  costModel: CostModel,
): { channels: number; from: "model" | "default" } {
  if (model)
    for (const p of costModel.channelPatterns) {
      const re = cachedRegExp(p.pattern);
      const n = re && readChannels(re, model);
      if (n) return { channels: n, from: "model" };
    }
  return { channels: costModel.defaultChannels[type].value, from: "default" };
}

/**
 * A recorder's channel count as the cost model sees it (patterns match the model name case-insensitively). Null for
 * devices that are not NVRs or DVRs.
 */
export function channelsOf(
  model: string | null,
  deviceType: string,
  costModel: CostModel,
): { channels: number; from: "model" | "default" } | null {
  return deviceType === "nvr" || deviceType === "dvr" ? recorderChannels(model, deviceType, costModel) : null;
}

/** Whole cents: prices add up without floating-point dust. */
export function cents(amount: number): number {
  return Math.round(amount * 100);
}

/** Hardware and labour to replace one device, with the basis of the hardware price. */
export function deviceCost(device: PlanDevice, costModel: CostModel): DeviceCost {
  const type = pricedType(device.deviceType);
  const labour = cents(costModel.labour.hours[type].value * costModel.labour.hourlyRate.amount);
  let hardware: number;
  let basis: string = type;
  if (type === "nvr" || type === "dvr") {
    const known =
      device.channels && Number.isInteger(device.channels) && device.channels > 0 ? device.channels : null;
    const found = known
      ? { channels: known, from: "inventory" as const }
      : recorderChannels(device.model, type, costModel);
    const price = costModel.hardware[type];
    hardware = cents(price.base.amount) + found.channels * cents(price.perChannel.amount);
    const why = found.from === "model" ? `model ${device.model ?? ""}` : found.from;
    basis = `${type} ${found.channels} channels (${why})`;
  } else {
    hardware = cents(costModel.hardware[type].amount);
  }
  return {
    deviceId: device.id,
    hardware: hardware / 100,
    labour: labour / 100,
    total: (hardware + labour) / 100,
    basis,
  };
}
