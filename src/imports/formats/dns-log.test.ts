import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { identify } from "../../identify/index.js";
import type { ImportError, ImportItem, ImportRecord } from "../record.js";
import { bindQueryLog } from "./dns-bind.js";
import { dnsmasqLog } from "./dns-dnsmasq.js";
import { zeekDns } from "./dns-zeek.js";
import type { FormatReport } from "./read-report.js";
import type { ImportReadOptions } from "../record.js";

const fx = (n: string) => join(import.meta.dirname, "__fixtures__", n);
const tmp = mkdtempSync(join(tmpdir(), "csw-e3-dns-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function collect(read: (f: string, o?: ImportReadOptions) => AsyncIterable<ImportItem>, file: string) {
  const report: FormatReport = {};
  const records: ImportRecord[] = [];
  const errors: ImportError[] = [];
  for await (const i of read(file, { report })) {
    if ("record" in i) records.push(i.record);
    else errors.push(i.error);
  }
  return { records, errors, report };
}
const queries = (rs: ImportRecord[]) =>
  rs.map((r) => `${r.address} ${String(r.observations[0]?.request?.query)}`);

describe("zeek-dns", () => {
  it("keeps camera-cloud queries of a TSV dns.log, drops and counts the rest, reports bad rows by line", async () => {
    const { records, errors, report } = await collect(zeekDns.read, fx("dns-zeek.tsv"));
    expect(queries(records)).toEqual([
      "192.168.4.80 litedev.hik-connect.com",
      "192.168.4.81 www.easy4ipcloud.com",
      "192.168.4.83 dev.ezvizlife.com",
    ]);
    expect(records[0]?.line).toBe(11);
    expect(records[0]?.observations[0]).toMatchObject({
      protocol: "dns",
      target: "192.168.4.80",
      request: { source: "zeek-dns", line: 11, query: "litedev.hik-connect.com", qtype: "A" },
      time: "2020-06-05T14:40:01.100Z",
    });
    // testmyids.com twice and the vendor web site: dropped; the second litedev query: a repeat.
    expect(report).toMatchObject({ queries: 7, dropped: 3, repeats: 1 });
    expect(errors).toEqual([{ line: 15, message: "8 columns where #fields names 24" }]);
  });

  it("reads the JSON writer the same way, nested id and trailing dot included", async () => {
    const { records, errors, report } = await collect(zeekDns.read, fx("dns-zeek.jsonl"));
    expect(queries(records)).toEqual([
      "192.168.4.80 litedev.hik-connect.com",
      "192.168.4.81 www.easy4ipcloud.com",
      "fe80::1 dev.ezvizlife.com",
    ]);
    expect(errors).toEqual([{ line: 5, message: "malformed JSON" }]);
    expect(report.dropped).toBe(2);
  });

  it("refuses a file that is not a dns.log, naming it", async () => {
    const f = join(tmp, "conn.log");
    writeFileSync(f, "#separator \\x09\n#fields\tts\tuid\tid.orig_h\tservice\n1\tC\t10.0.0.1\thttp\n");
    await expect(collect(zeekDns.read, f)).rejects.toThrow(
      /conn\.log:2: #fields has no id\.orig_h or no query column/,
    );
    const g = join(tmp, "words.txt");
    writeFileSync(g, "hello\nworld\n");
    await expect(collect(zeekDns.read, g)).rejects.toThrow(/words\.txt:1: not a Zeek dns\.log/);
  });
});

describe("bind-querylog", () => {
  it("keeps camera-cloud queries, old and new client forms and views, and reports bad query lines", async () => {
    const { records, errors, report } = await collect(bindQueryLog.read, fx("dns-bind.log"));
    expect(queries(records)).toEqual([
      "10.20.5.31 litedev.hik-connect.com",
      "10.20.5.31 litedev.hik-connect.com",
      "10.20.5.32 iotaccess.easy4ipcloud.com",
    ]);
    // A and AAAA of the same name are two queries, not a repeat.
    expect(records.map((r) => r.observations[0]?.request?.qtype)).toEqual(["A", "AAAA", "A"]);
    expect(report).toMatchObject({ dropped: 2 });
    expect(errors).toEqual([
      { line: 8, field: "client", message: 'client is not an IP address: "not-an-ip"' },
      { line: 9, message: "query line not in BIND's form" },
    ]);
  });
});

describe("dnsmasq-log", () => {
  it("reads Pi-hole's pihole.log, plain and log-queries=extra forms", async () => {
    const { records, errors, report } = await collect(dnsmasqLog.read, fx("dns-dnsmasq.log"));
    expect(queries(records)).toEqual([
      "192.168.2.208 dev.ezvizlife.com",
      "192.168.2.209 www.dahuap2pcloud.com",
      "192.168.2.50 apiieu.ezvizlife.com",
    ]);
    expect(report).toMatchObject({ queries: 5, dropped: 2, lines: 10 });
    expect(errors).toEqual([{ line: 10, message: "query line not in dnsmasq's form" }]);
  });

  it("drops a large noisy log's non-camera queries in bounded work and keeps the one camera", async () => {
    const f = join(tmp, "big.log");
    const lines: string[] = [];
    for (let i = 0; i < 50_000; i++)
      lines.push(
        `Jan  1 00:00:00 dnsmasq[1]: query[A] host${i}.example.com from 10.1.${i % 250}.${1 + (i % 200)}`,
      );
    lines.push("Jan  1 00:00:01 dnsmasq[1]: query[A] dev.hik-connect.com from 10.9.9.9");
    writeFileSync(f, lines.join("\n") + "\n");
    const { records, report } = await collect(dnsmasqLog.read, f);
    expect(queries(records)).toEqual(["10.9.9.9 dev.hik-connect.com"]);
    expect(report.dropped).toBe(50_000);
  });
});

describe("DNS records identify the device behind the client", () => {
  it("a Hik-Connect registration query names Hikvision, moderately, with a cloud P2P note", async () => {
    const { records } = await collect(zeekDns.read, fx("dns-zeek.tsv"));
    const hik = identify(records[0]!.observations);
    expect(hik.manufacturer).toBe("hikvision");
    expect(hik.confidence).toBeGreaterThanOrEqual(0.5);
    expect(hik.confidence).toBeLessThan(0.7);
    expect(hik.restricted).toBe(true);
    expect(hik.notes.join("\n")).toMatch(
      /cloud P2P: queried litedev\.hik-connect\.com, Hik-Connect \(device endpoint/,
    );
    // The P2P main server is used by apps too: a device to check, not a verdict.
    const dahua = identify(records[1]!.observations);
    expect(dahua.manufacturer).toBeNull();
    expect(dahua.suspected.map((s) => s.manufacturer)).toEqual(["dahua"]);
  });
});
