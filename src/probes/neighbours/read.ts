import { execFile } from "node:child_process";
import { readCapped } from "./detect.js";
import type { NeighbourEntry, NeighbourError } from "./entry.js";
import { parseIpNeigh, parseIpNeighJson, parseProcNetArp } from "./linux.js";

/** Where a table came from, as observations record it (request.source). */
export type NeighbourSource = "proc-net-arp" | "ip-neigh" | `file:${string}`;

export interface NeighbourTable {
  source: NeighbourSource;
  entries: NeighbourEntry[];
  errors: NeighbourError[];
}

export interface LocalNeighbours {
  tables: NeighbourTable[];
  /** what could not be read and why (no `ip`, a timeout, a table over the cap) */
  notes: string[];
}

/** `ip` invocation: JSON first, the text form for iproute2 without -j. `nud all` includes NOARP/PERMANENT rows. */
export interface IpCommand {
  file: string;
  args: string[];
  /** arguments for the text form, tried when the JSON form fails (an old iproute2) */
  textArgs?: string[];
}

export interface ReadNeighboursOptions {
  /** default /proc/net/arp (the calling process's network namespace; /proc/<pid>/net/arp reads another's) */
  arpFile?: string;
  /** default `ip -j neigh show nud all`; false to read /proc/net/arp only */
  ip?: IpCommand | false;
  /** per command (default 5000 ms) */
  timeoutMs?: number;
  /** cap on each table's bytes (default 16 MiB) */
  maxBytes?: number;
}

const DEFAULT_IP: IpCommand = {
  file: "ip",
  args: ["-j", "neigh", "show", "nud", "all"],
  textArgs: ["neigh", "show", "nud", "all"],
};

function run(
  file: string,
  args: string[],
  timeoutMs: number,
  maxBytes: number,
): Promise<{ stdout: string } | { error: string; exited?: boolean }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        timeout: timeoutMs,
        killSignal: "SIGKILL",
        maxBuffer: maxBytes,
        encoding: "utf8",
        env: { LC_ALL: "C", PATH: process.env["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin" },
      },
      (err, stdout, stderr) => {
        if (!err) return resolve({ stdout });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
        if (e.code === "ENOENT") return resolve({ error: `\`${file}\` not found` });
        if (e.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER")
          return resolve({ error: `\`${file} ${args.join(" ")}\` printed more than ${maxBytes} bytes` });
        if (e.killed || e.signal)
          return resolve({ error: `\`${file} ${args.join(" ")}\` did not finish within ${timeoutMs} ms` });
        const why = String(stderr || e.message)
          .trim()
          .split("\n")[0]
          ?.slice(0, 160);
        return resolve({ error: `\`${file} ${args.join(" ")}\` failed: ${why}`, exited: true });
      },
    );
  });
}

/**
 * The local neighbour tables: `ip -j neigh` (IPv4 and IPv6) and /proc/net/arp (IPv4; what `ip` did not list,
 * or everything when `ip` is missing). Reading only: nothing is sent, no ping or arping fills the table first,
 * so it holds the hosts this machine has talked to (a scan's own probes put its targets there). Never throws.
 */
export async function readNeighbours(opts: ReadNeighboursOptions = {}): Promise<LocalNeighbours> {
  const notes: string[] = [];
  const tables: NeighbourTable[] = [];
  const timeoutMs = opts.timeoutMs ?? 5000;
  const maxBytes = opts.maxBytes ?? 16 * 1024 * 1024;
  const ip = opts.ip === undefined ? DEFAULT_IP : opts.ip;

  if (ip) {
    let r = await run(ip.file, ip.args, timeoutMs, maxBytes);
    // An iproute2 without -j exits with "Option -j is unknown": its text form says the same.
    if ("error" in r && r.exited && ip.textArgs) {
      const text = await run(ip.file, ip.textArgs, timeoutMs, maxBytes);
      if (!("error" in text)) r = text;
    }
    if ("error" in r) notes.push(`ip neigh not read: ${r.error}`);
    else {
      // JSON or text by what came back (an `ip` that ignores -j prints text); an empty table prints nothing.
      const out = r.stdout.trim();
      const t = !out
        ? { entries: [], errors: [] }
        : out.startsWith("[")
          ? parseIpNeighJson(out)
          : parseIpNeigh(out);
      tables.push({ source: "ip-neigh", ...t });
      if (t.errors.length) notes.push(`ip neigh: ${t.errors.length} lines not read`);
    }
  }

  const arpFile = opts.arpFile ?? "/proc/net/arp";
  try {
    const { data, truncated } = await readCapped(arpFile, maxBytes);
    if (truncated) notes.push(`${arpFile}: longer than ${maxBytes} bytes, only its start was read`);
    const t = parseProcNetArp(data.toString("utf8"));
    // ip neigh already lists the IPv4 entries, with the kernel's NUD state; /proc fills in when it could not run.
    const seen = new Set(tables.flatMap((x) => x.entries.map((e) => `${e.address} ${e.interface ?? ""}`)));
    const entries = t.entries.filter((e) => !seen.has(`${e.address} ${e.interface ?? ""}`));
    tables.push({ source: "proc-net-arp", entries, errors: t.errors });
    if (t.errors.length) notes.push(`${arpFile}: ${t.errors.length} lines not read`);
  } catch (e) {
    notes.push(`${arpFile} not read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return { tables, notes };
}
