import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IP_NEIGH } from "./__fixtures__/tables.js";
import { readNeighbours } from "./index.js";

/** Why the namespace test cannot run here, or undefined. */
function netnsUnavailable(): string | undefined {
  if (process.platform !== "linux") return "needs Linux";
  if (process.getuid?.() !== 0) return "needs root (creates a network namespace)";
  try {
    execFileSync("ip", ["-V"], { stdio: "ignore" });
  } catch {
    return "needs iproute2 (`ip`)";
  }
  return undefined;
}

const why = netnsUnavailable();
if (why) console.log(`neighbour namespace test skipped: ${why}`);

// The table is built by hand in a namespace this test creates (prefix cswd-nb-); entries are added with
// `ip neigh add`, so the table is known exactly and nothing outside the namespace is touched.
describe.skipIf(!!why)("readNeighbours in a test namespace", () => {
  const ns = `cswd-nb-${process.pid}`;
  let holder: ChildProcess | undefined;
  let arpFile = "";
  const ip = (...args: string[]) => execFileSync("ip", ["-n", ns, ...args], { stdio: "pipe" });
  const ipNeigh = { file: "ip", args: ["-n", ns, "-j", "neigh", "show", "nud", "all"] };

  beforeAll(async () => {
    execFileSync("ip", ["netns", "add", ns]);
    try {
      ip("link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
      ip("addr", "add", "192.168.77.10/24", "dev", "eth0");
      ip("-6", "addr", "add", "fd00:77::10/64", "dev", "eth0", "nodad");
      ip("link", "set", "eth0", "up");
      ip("link", "set", "eth1", "up");
      ip("neigh", "add", "192.168.77.64", "lladdr", "44:47:CC:37:CE:81", "dev", "eth0", "nud", "permanent");
      ip("neigh", "add", "192.168.77.108", "lladdr", "4c:11:bf:c2:0b:9d", "dev", "eth0", "nud", "stale");
      ip("neigh", "add", "192.168.77.99", "dev", "eth0", "nud", "incomplete");
      ip("neigh", "add", "fd00:77::64", "lladdr", "44:47:cc:37:ce:81", "dev", "eth0", "nud", "permanent");
      // /proc/<pid>/net/arp is the table of that process's namespace: a sleeper inside gives the test its file.
      holder = spawn("ip", ["netns", "exec", ns, "sleep", "120"], { stdio: "ignore" });
      const target = statSync(`/run/netns/${ns}`);
      for (let i = 0; i < 100; i++) {
        try {
          const s = statSync(`/proc/${holder.pid}/ns/net`);
          if (s.ino === target.ino && s.dev === target.dev) break;
        } catch {
          /* not started yet */
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      arpFile = `/proc/${holder.pid}/net/arp`;
    } catch (e) {
      execFileSync("ip", ["netns", "del", ns]);
      throw e;
    }
  });

  afterAll(() => {
    try {
      if (holder?.pid) holder.kill("SIGKILL");
    } finally {
      if (existsSync(`/run/netns/${ns}`)) execFileSync("ip", ["netns", "del", ns]);
    }
  });

  it("reads ip -j neigh (IPv4 and IPv6); /proc/net/arp adds nothing ip already listed", async () => {
    const r = await readNeighbours({ arpFile, ip: ipNeigh });
    expect(r.notes).toEqual([]);
    const ipTable = r.tables.find((t) => t.source === "ip-neigh");
    expect(ipTable?.entries.map((e) => [e.address, e.mac, e.interface, e.state]).sort()).toEqual([
      ["192.168.77.108", "4c:11:bf:c2:0b:9d", "eth0", "stale"],
      ["192.168.77.64", "44:47:cc:37:ce:81", "eth0", "permanent"],
      ["fd00:77::64", "44:47:cc:37:ce:81", "eth0", "permanent"],
    ]);
    expect(r.tables.find((t) => t.source === "proc-net-arp")?.entries).toEqual([]);
  });

  it("without ip, /proc/net/arp gives the IPv4 entries (the incomplete one dropped)", async () => {
    const r = await readNeighbours({ arpFile, ip: false });
    expect(r.tables).toHaveLength(1);
    expect(r.tables[0]?.source).toBe("proc-net-arp");
    expect(r.tables[0]?.entries.map((e) => [e.address, e.mac, e.state]).sort()).toEqual([
      ["192.168.77.108", "4c:11:bf:c2:0b:9d", "complete"],
      ["192.168.77.64", "44:47:cc:37:ce:81", "permanent"],
    ]);
  });
});

describe("readNeighbours when ip misbehaves", () => {
  const dir = mkdtempSync(join(tmpdir(), "camsweep-ip-"));
  const arpFile = join(dir, "arp");
  writeFileSync(
    arpFile,
    "IP address       HW type     Flags       HW address            Mask     Device\n" +
      "10.9.0.5         0x1         0x2         58:50:ed:1f:e3:85     *        eth0\n",
  );
  const script = (name: string, body: string) => {
    const p = join(dir, name);
    writeFileSync(p, `#!/bin/sh\n${body}\n`);
    chmodSync(p, 0o755);
    return p;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a missing ip is a note; /proc/net/arp is still read", async () => {
    const r = await readNeighbours({ arpFile, ip: { file: join(dir, "no-such-ip"), args: [] } });
    expect(r.notes).toEqual([expect.stringMatching(/ip neigh not read: `.*no-such-ip` not found/)]);
    expect(r.tables.map((t) => [t.source, t.entries.length])).toEqual([["proc-net-arp", 1]]);
  });

  it("an ip that hangs is cut at the timeout", async () => {
    const started = Date.now();
    const r = await readNeighbours({
      arpFile,
      ip: { file: script("slow-ip", "exec sleep 30"), args: [] },
      timeoutMs: 300,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.notes[0]).toMatch(/did not finish within 300 ms/);
  });

  it("an ip that floods is cut at the output cap", async () => {
    const r = await readNeighbours({
      arpFile,
      ip: {
        file: script("loud-ip", "exec yes '10.0.0.1 dev eth0 lladdr 44:47:cc:37:ce:81 STALE'"),
        args: [],
      },
      maxBytes: 64 * 1024,
    });
    expect(r.notes[0]).toMatch(/printed more than 65536 bytes/);
    expect(r.tables.map((t) => t.source)).toEqual(["proc-net-arp"]);
  });

  it("an iproute2 without -j: the text form is read instead", async () => {
    const fixture = join(dir, "neigh.txt");
    writeFileSync(fixture, IP_NEIGH);
    const old = script(
      "old-ip",
      `case "$1" in -j) echo 'Option "-j" is unknown' >&2; exit 255;; esac\ncat '${fixture}'`,
    );
    const r = await readNeighbours({
      arpFile,
      ip: { file: old, args: ["-j", "neigh"], textArgs: ["neigh"] },
    });
    expect(r.notes).toEqual([]);
    expect(r.tables[0]?.source).toBe("ip-neigh");
    expect(r.tables[0]?.entries).toHaveLength(9);
    expect(r.tables[1]?.entries.map((e) => e.address)).toEqual(["10.9.0.5"]);
  });
});
