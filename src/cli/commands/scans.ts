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
  const head = ["ID", "KIND", "STARTED", "STATUS", "HOSTS DONE", "DEVICES"];
  // Every cell is camsweep's own text (ids, times, counts): nothing a device said.
  const rows = scans.map((s) => [
    s.id,
    s.kind,
    s.startedAt.replace("T", " ").replace(/\.\d+Z$/, "Z"),
    s.status,
    s.targets === null ? String(s.done) : `${s.done}/${s.targets}`,
    String(s.devices),
  ]);
  return columns(head, rows);
}
