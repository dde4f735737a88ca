import { openInventory, type ScanSummary } from "../../inventory/index.js";
import { resolveDataDir } from "../../shared/paths.js";
import { out } from "../output.js";
import { columns } from "../../shared/columns.js";

/** `camsweep scans`: the inventory's scans, newest first, and how far each got (what `--resume` would continue). */
export async function scansCommand(flags: { json?: boolean; dataDir?: string }): Promise<number> {
  const inv = await openInventory(resolveDataDir(flags.dataDir));
  try {
    const scans = await inv.store.listScans();
    if (flags.json) out(scans.map((s) => JSON.stringify(s)).join("\n"));
    else out(scans.length ? formatScans(scans) : "no scans in the inventory");
    return 0;
  } finally {
    await inv.close();
  }
}

function formatScans(scans: ScanSummary[]): string {
  const head = ["ID", "KIND", "STARTED", "STATUS", "HOSTS DONE", "DEVICES", "COVERAGE"];
  // Every cell is camsweep's own text (ids, times, counts): nothing a device said.
  const rows = scans.map((s) => [
    s.id,
    s.kind,
    s.startedAt.replace("T", " ").replace(/\.\d+Z$/, "Z"),
    s.status,
    s.targets === null ? String(s.done) : `${s.done}/${s.targets}`,
    String(s.devices),
    coverageCell(s.coverage),
  ]);
  return columns(head, rows);
}

/** "2 local, 3 remote-only, 1 outside": how many segments each way (the whole list: scans --json). */
function coverageCell(coverage: unknown[] | undefined): string {
  if (!coverage?.length) return "";
  const counts = new Map<string, number>();
  for (const c of coverage) {
    const kind = String((c as { coverage?: unknown }).coverage ?? "other");
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n} ${k === "outside-scope" ? "outside" : k}`).join(", ");
}
