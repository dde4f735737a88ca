import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// The scanner's own fixtures: real table shapes, each with its source (src/probes/neighbours/__fixtures__/tables.ts).
import {
  IP_NEIGH,
  IP_NEIGH_JSON,
  PROC_NET_ARP,
  WINDOWS_ARP_EN,
} from "../../probes/neighbours/__fixtures__/tables.js";
import { collect } from "./__fixtures__/collect.js";
import { neighbourTable } from "./neighbours.js";

const tmp = mkdtempSync(join(tmpdir(), "csw-e2-neigh-"));
const write = (name: string, text: string | Buffer) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe("neighbour table import", () => {
  it("gives each usable /proc/net/arp entry with its own line", async () => {
    const { records, errors } = await collect(neighbourTable, write("arp.txt", PROC_NET_ARP));
    expect(errors).toEqual([]);
    expect(records.map((r) => [r.line, r.address, r.mac])).toEqual([
      [2, "192.168.1.108", "4c:11:bf:c2:0b:9d"],
      [4, "192.168.1.64", "44:47:cc:37:ce:81"],
      [5, "192.168.1.1", "00:00:0c:76:3f:85"],
      [8, "10.20.0.7", "ac:cc:8e:3a:0a:8f"],
    ]);
    expect(records[1]?.observations).toEqual([
      expect.objectContaining({
        target: "192.168.1.64",
        mac: "44:47:cc:37:ce:81",
        protocol: "neighbour",
        request: {
          source: "file:arp.txt",
          interface: "eth0",
          state: "complete",
          line: 4,
          format: "proc-net-arp",
        },
      }),
    ]);
  });

  it("finds the line of each `ip neigh` entry, the same MAC on several addresses included", async () => {
    const { records } = await collect(neighbourTable, write("neigh.txt", IP_NEIGH));
    const lines = IP_NEIGH.split("\n");
    for (const r of records) {
      // The line the record names holds its MAC (in the table's spelling) and its address.
      const l = lines[r.line - 1] as string;
      expect(l.toLowerCase()).toContain(r.mac);
      expect(l.split(" ")[0]).toBe(r.address);
    }
    expect(records.filter((r) => r.mac === "44:47:cc:37:ce:81").map((r) => r.line)).toEqual([3, 11, 12]);
  });

  it("reads ip -j neigh (one line) and a Windows arp -a saved as UTF-16", async () => {
    const json = await collect(neighbourTable, write("neigh.json", IP_NEIGH_JSON));
    expect(json.records.length).toBeGreaterThan(3);
    expect(new Set(json.records.map((r) => r.line))).toEqual(new Set([1]));
    const text = WINDOWS_ARP_EN;
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const win = await collect(neighbourTable, write("arp-a.txt", utf16));
    expect(win.records.length).toBeGreaterThan(0);
    const lines = text.split("\n");
    for (const r of win.records) expect(lines[r.line - 1]?.toLowerCase().replace(/-/g, ":")).toContain(r.mac);
  });

  it("refuses a file that is no neighbour table, naming it", async () => {
    await expect(collect(neighbourTable, write("notes.txt", "hello\nworld\n"))).rejects.toThrow(
      /notes\.txt: not a neighbour table/,
    );
    await expect(collect(neighbourTable, join(tmp, "none.txt"))).rejects.toThrow(/none\.txt: cannot read/);
  });
});
