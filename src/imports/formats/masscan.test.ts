import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { partsOf } from "../../identify/parts/index.js";
import { InputError } from "../../shared/errors.js";
import { collect, fixture } from "./__fixtures__/collect.js";
import { masscanJson, masscanList, unescapeMasscan } from "./masscan.js";

const tmp = mkdtempSync(join(tmpdir(), "csw-e2-masscan-"));
const write = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe("masscan -oL", () => {
  it("reads open ports and banners as records, and names bad rows by line and field", async () => {
    const { records, errors } = await collect(masscanList, fixture("masscan.list"));
    expect(
      records.map((r) => [r.line, r.address, r.observations.map((o) => `${o.protocol}:${o.port}`)]),
    ).toEqual([
      [6, "10.20.45.4", ["nmap:3389"]],
      [7, "10.20.0.137", ["nmap:554"]],
      [8, "10.20.0.137", ["banner:80"]],
      [11, "10.20.0.9", []],
    ]);
    expect(records[0]?.observations[0]).toMatchObject({
      target: "10.20.45.4",
      request: { source: "masscan", line: 6, transport: "tcp", state: "open" },
      time: "2020-12-04T23:19:01.000Z",
    });
    expect(errors).toEqual([
      { line: 9, field: "ip", message: '"10.20.0.300": not an IP address' },
      { line: 10, field: "port", message: '"99999": not a port number' },
    ]);
  });

  it("turns an HTTP banner back into the reply, so the HTTP rules read it", async () => {
    const { records } = await collect(masscanList, fixture("masscan.list"));
    const banner = records[2]?.observations[0];
    expect(banner?.response).toEqual({
      raw: "HTTP/1.1 200 OK\r\nServer: App-webs/\r\nContent-Type: text/html\r\n\r\n",
    });
    const parts = partsOf(banner!, 0).map((p) => [p.name, p.value]);
    expect(parts).toContainEqual(["http.header.server", "App-webs/"]);
    expect(unescapeMasscan("a\\x5cb\\x0d")).toBe("a\\b\r");
  });

  it("refuses another format and a missing file, naming the file", async () => {
    const nmap = write(
      "scan.txt",
      "Starting Nmap 7.93 ( https://nmap.org )\nNmap scan report for 10.0.0.1\n",
    );
    await expect(collect(masscanList, nmap)).rejects.toThrow(InputError);
    await expect(collect(masscanList, nmap)).rejects.toThrow(/scan\.txt: not masscan -oL/);
    await expect(collect(masscanList, join(tmp, "missing.txt"))).rejects.toThrow(
      /missing\.txt: cannot read \(ENOENT\)/,
    );
  });

  it("reports an overlong line and goes on", async () => {
    const p = write(
      "long.txt",
      `#masscan\nbanner tcp 80 10.0.0.1 1 http ${"A".repeat(70_000)}\nopen tcp 22 10.0.0.2 1\n`,
    );
    const { records, errors } = await collect(masscanList, p);
    expect(errors).toEqual([{ line: 2, message: "line longer than 64 KiB: not read" }]);
    expect(records.map((r) => [r.line, r.address])).toEqual([[3, "10.0.0.2"]]);
  });
});

describe("masscan -oJ", () => {
  it("reads each object with the line it starts on; bad objects are row errors", async () => {
    const { records, errors } = await collect(masscanJson, fixture("masscan.json"));
    expect(
      records.map((r) => [r.line, r.address, r.observations.map((o) => `${o.protocol}:${o.port}`)]),
    ).toEqual([
      [2, "10.20.0.137", ["nmap:554"]],
      [4, "10.20.45.4", ["nmap:3389"]],
      [6, "10.20.0.137", ["banner:80"]],
    ]);
    expect(records[0]?.observations[0]?.request).toMatchObject({ reason: "syn-ack", ttl: 64 });
    expect(records[2]?.observations[0]?.response).toEqual({
      raw: "HTTP/1.1 200 OK\r\nServer: App-webs/\r\n\r\n",
    });
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [8, "ip"],
      [10, undefined],
    ]);
    expect(errors[1]?.message).toMatch(/^not valid JSON/);
  });

  it("reads masscan's old output (no brackets, trailing commas, {finished: 1})", async () => {
    const { records, errors } = await collect(masscanJson, fixture("masscan-old.json"));
    expect(errors).toEqual([]);
    expect(records.map((r) => r.observations[0]?.port)).toEqual([80, 443]);
  });

  it("reads a pretty-printed array and objects split across read chunks", async () => {
    const objs = Array.from({ length: 3000 }, (_, i) => ({
      ip: `10.1.${i >> 8}.${i & 255}`,
      timestamp: "1607123941",
      ports: [{ port: 443, proto: "tcp", status: "open", reason: "syn-ack", ttl: 52 }],
    }));
    const text = JSON.stringify(objs, null, 2);
    const p = write("pretty.json", text);
    const { records, errors } = await collect(masscanJson, p);
    expect(errors).toEqual([]);
    expect(records).toHaveLength(3000);
    expect(records[2999]?.address).toBe("10.1.11.183");
    // Each record's line is where its object opens (JSON.stringify puts each top-level `{` alone on a line).
    const opens = text.split("\n").flatMap((l, i) => (l === "  {" ? [i + 1] : []));
    expect(records.map((r) => r.line)).toEqual(opens);
  });

  it("refuses a file that is not JSON", async () => {
    await expect(collect(masscanJson, fixture("masscan.list"))).rejects.toThrow(
      /masscan\.list: not masscan -oJ/,
    );
  });
});
