import { UsageError } from "../shared/errors.js";

export const SERVICES = ["http", "https", "rtsp", "hik-sdk", "dahua-sdk", "tcp"] as const;
export type Service = (typeof SERVICES)[number];
export interface PortSpec {
  port: number;
  service: Service;
}

/** Well-known port -> service (the probe set: docs/probes.md). */
const WELL_KNOWN: Record<number, Service> = {
  80: "http",
  8080: "http",
  443: "https",
  8443: "https",
  554: "rtsp",
  8000: "hik-sdk",
  37777: "dahua-sdk",
};

export const DEFAULT_PORTS: readonly PortSpec[] = Object.freeze(
  [80, 443, 554, 8000, 8080, 8443, 37777].map((port) =>
    Object.freeze({ port, service: defaultService(port) }),
  ),
);

export function defaultService(port: number): Service {
  return WELL_KNOWN[port] ?? "tcp";
}

/** Parses a port list: `80,443,8000-8010,20080/http,20554/rtsp`. Later entries override a port's service. */
export function parsePorts(spec: string): PortSpec[] {
  const byPort = new Map<number, PortSpec>();
  const items = spec.split(",").map((s) => s.trim());
  if (items.every((s) => s === "")) throw new UsageError(`port list is empty`);
  for (const item of items) {
    if (item === "") continue;
    const bad = (why: string): never => {
      throw new UsageError(`port "${item}": ${why}`);
    };
    const [range, svc, extra] = item.split("/");
    if (extra !== undefined) bad("too many '/'");
    let service: Service | undefined;
    if (svc !== undefined) {
      const s = svc.toLowerCase();
      if (!(SERVICES as readonly string[]).includes(s))
        bad(`unknown service "${svc}" (use ${SERVICES.join(", ")})`);
      service = s as Service;
    }
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(range ?? "");
    if (!m) bad("not a port number or range");
    const lo = Number(m![1]);
    const hi = m![2] !== undefined ? Number(m![2]) : lo;
    if (lo < 1 || lo > 65535 || hi < 1 || hi > 65535) bad("port out of range 1-65535");
    if (hi < lo) bad("range ends before it starts");
    for (let p = lo; p <= hi; p++)
      byPort.set(p, { port: p, service: service ?? byPort.get(p)?.service ?? defaultService(p) });
  }
  return [...byPort.values()];
}
