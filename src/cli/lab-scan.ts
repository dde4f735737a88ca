import { openInventory } from "../inventory/index.js";
import type { RunningLab } from "../lab/index.js";
import { isUdpProtocol } from "../lab/persona.js";
import { presentRecord, type DeviceView } from "../report/index.js";
import { timing } from "../scan/index.js";
import { runRecordedScan } from "../scan/recorded.js";
import { DEFAULT_PORTS, parsePorts } from "../targets/index.js";

/**
 * The `-p` spec that reaches every lab service: the default camera ports, plus PORT/SERVICE for any
 * port the lab had to move (an unprivileged user gets +20000 offsets).
 */
export function labPortSpec(lab: RunningLab): string {
  const specs = new Set<string>(DEFAULT_PORTS.map((p) => String(p.port)));
  for (const d of lab.devices) {
    for (const s of d.services) {
      if (isUdpProtocol(s.protocol) || s.protocol === "udp" || s.port === s.nominalPort) continue;
      specs.add(`${s.port}/${serviceOf(s.nominalPort, s.protocol)}`);
    }
  }
  return [...specs].join(",");
}

function serviceOf(nominalPort: number, protocol: string): string {
  if (protocol !== "tcp") return protocol;
  return nominalPort === 8000 ? "hik-sdk" : nominalPort === 37777 ? "dahua-sdk" : "tcp";
}

/** Scans every lab device into the inventory at dataDir and returns what the inventory then holds. */
export async function scanLab(
  lab: RunningLab,
  dataDir: string,
  signal?: AbortSignal,
): Promise<{ views: DeviceView[]; byAddress: Map<string, DeviceView> }> {
  // Simulated devices stay in the demo's own embedded inventory, even where DATABASE_URL names the real one.
  const embedded = { databaseUrl: null };
  await runRecordedScan({
    signal,
    hosts: lab.devices.map((d) => ({ address: d.address })),
    // Loopback answers at once: the aggressive profile, with room for 16 devices at a time.
    timing: timing("T4", { hosts: 16 }),
    inventory: await openInventory(dataDir, embedded),
    args: { lab: lab.devices.length },
    probe: { ports: parsePorts(labPortSpec(lab)) },
  });
  const inv = await openInventory(dataDir, embedded);
  try {
    const views = (await inv.store.listDevices()).map((r) => presentRecord(r));
    return { views, byAddress: new Map(views.map((v) => [v.address ?? "", v])) };
  } finally {
    await inv.close();
  }
}
