import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { inventoryUrl, openInventory } from "../../inventory/index.js";
import { loadScreenKnowledge, screenLine, type ScreenContext } from "../../procure/index.js";
import { buyerOf, screenSheet } from "../../procure/screen-sheet.js";
import {
  screenedCsv,
  screenedJsonLines,
  screenedSummary,
  screenedTable,
  type ScreenedLine,
} from "../../procure/output.js";
import { parseColumnsFlag, readSheet } from "../../procure/sheet/index.js";
import { UsageError } from "../../shared/errors.js";
import { resolveDataDir } from "../../shared/paths.js";
import { err, list, out } from "../output.js";

/**
 * `camsweep screen FILE | --product TEXT`: each purchase line's verdict for the buyer. Exit 3 when a line is
 * prohibited (4 with --strict when one needs attestation), so a procurement workflow can stop on it.
 */

export const SCREEN_FORMATS = ["table", "jsonl", "csv"] as const;
type ScreenFormat = (typeof SCREEN_FORMATS)[number];

export interface ScreenFlags {
  product?: string;
  columns?: string;
  sheet?: string;
  org?: string;
  format?: string;
  out?: string;
  strict?: boolean;
  policyDir?: string[];
  policy?: string[];
  dataDir?: string;
}

/** The buyer and its lists, from the inventory; none needed (nor opened) when there is no inventory and no --org. */
async function buyer(flags: ScreenFlags): ReturnType<typeof buyerOf> {
  const dataDir = resolveDataDir(flags.dataDir);
  if (!flags.org && !inventoryUrl() && !existsSync(dataDir))
    return { organization: null, lists: [], name: null };
  const inv = await openInventory(dataDir, { readOnly: true });
  try {
    const b = await buyerOf(inv, flags.org ?? null);
    if (flags.org && !b.organization)
      throw new UsageError(`--org ${flags.org}: no such organization (camsweep org list)`);
    return b;
  } finally {
    await inv.close();
  }
}

export async function screenCommand(file: string | undefined, flags: ScreenFlags): Promise<number> {
  const format = (flags.format ?? "table") as ScreenFormat;
  if (!SCREEN_FORMATS.includes(format))
    throw new UsageError(`--format ${flags.format}: one of ${SCREEN_FORMATS.join(", ")}`);
  if (!file === !flags.product) throw new UsageError("screen a FILE or one --product TEXT");
  const columns = flags.columns ? parseColumnsFlag(flags.columns) : undefined;
  const dataDir = resolveDataDir(flags.dataDir);
  // Read the file before anything else: a bad file is the commonest mistake, and it should be said first.
  const sheet = file
    ? await readSheet(file, {
        ...(columns ? { columns } : {}),
        ...(flags.sheet ? { sheet: flags.sheet } : {}),
      })
    : null;
  for (const w of sheet?.warnings ?? []) err(`camsweep: warning: ${w}`);
  const { organization, lists, name } = await buyer(flags);
  const ctx: ScreenContext = {
    ...loadScreenKnowledge({
      dataDir,
      ...(flags.policyDir ? { policyDirs: flags.policyDir } : {}),
      ...(flags.policy ? { policies: list(flags.policy) } : {}),
    }),
    organization,
    lists,
  };
  const lines: ScreenedLine[] = sheet
    ? screenSheet(ctx, sheet)
    : [{ line: 0, input: { text: flags.product! }, result: screenLine(ctx, { text: flags.product! }) }];
  const body =
    format === "csv"
      ? screenedCsv(sheet?.headers ?? [], lines)
      : format === "jsonl"
        ? screenedJsonLines(file ?? null, lines)
        : screenedTable(lines);
  if (flags.out) await writeFile(flags.out, body.endsWith("\n") ? body : `${body}\n`);
  else out(body);
  const who = name
    ? `for ${name} (${organization!.type}, ${organization!.jurisdiction})`
    : "against every policy as if it bound the buyer (name one with --org)";
  err(`camsweep: ${screenedSummary(lines)}, ${who}${flags.out ? `; written to ${flags.out}` : ""}`);
  if (lines.some((l) => l.result.verdict === "prohibited")) return 3;
  if (flags.strict && lines.some((l) => l.result.verdict === "needs-attestation")) return 4;
  return 0;
}
