import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonLines, runCli } from "./cli.js";

/**
 * `camsweep devices` pages through the inventory (--limit, --after) in every format, and the pages join up to the
 * whole list. The CSV is a CMDB export's shape (src/imports/formats/__fixtures__/asset-cmdb.csv); the rows are
 * invented: Hikvision and Axis cameras and printers at addresses that sort differently as text and as numbers.
 */
const dir = mkdtempSync(join(tmpdir(), "camsweep-devices-cli-"));
const data = join(dir, "inv");
const env = { DATABASE_URL: "" };
const run = (args: string[]) => runCli([...args, "--data-dir", data], { env, timeoutMs: 60_000 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MAKERS = ["Hikvision", "Axis", "HP"];
const MODELS = ["DS-2CD2143G2-I", "M3106-L Mk II", "LaserJet Pro M404dn"];

beforeAll(async () => {
  const rows = Array.from({ length: 23 }, (_, i) => {
    const m = i % 3;
    return `10.30.0.${((i * 37) % 250) + 1},${MAKERS[m]},${MODELS[m]},SN${1000 + i}`;
  });
  const csv = join(dir, "assets.csv");
  writeFileSync(csv, ["IP Address,Manufacturer,Model,Serial Number", ...rows].join("\n") + "\n");
  for (const args of [
    ["org", "add", "o", "--name", "O", "--type", "agency", "--jurisdiction", "CA"],
    ["site", "add", "s", "--org", "o", "--name", "S"],
    ["import", "csv", csv, "--site", "s"],
  ]) {
    const r = await run(args);
    expect(r.code, r.stderr).toBe(0);
  }
}, 120_000);

const nextOf = (stderr: string) => /--after (\S+)/.exec(stderr)?.[1];

describe("camsweep devices --limit / --after", () => {
  it("pages join up to the whole list, in every format, each header once", async () => {
    const whole = jsonLines<{ id: string; address: string }>((await run(["devices", "--json"])).stdout);
    expect(whole).toHaveLength(23);
    // Restricted (Hikvision) first, then by maker; addresses numerically within a maker.
    const hik = whole.filter((_, i) => i < 8).map((d) => d.address.split(".").map(Number)[3]!);
    expect(hik).toEqual([...hik].sort((a, b) => a - b));

    const ids: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const r = await run(["devices", "--json", "--limit", "5", ...(after ? ["--after", after] : [])]);
      expect(r.code, r.stderr).toBe(0);
      ids.push(...jsonLines<{ id: string }>(r.stdout).map((d) => d.id));
      after = nextOf(r.stderr);
      pages++;
    } while (after && pages < 10);
    expect(pages).toBe(5);
    expect(ids).toEqual(whole.map((d) => d.id));

    const csv = await run(["devices", "--csv", "--limit", "20"]);
    const lines = csv.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^address,/);
    expect(lines.filter((l) => l.startsWith("address,"))).toHaveLength(1);
    expect(lines).toHaveLength(21);
    const rest = await run(["devices", "--csv", "--after", nextOf(csv.stderr)!]);
    expect(rest.stdout.trim().split("\n")).toHaveLength(1 + 3);
    expect(nextOf(rest.stderr)).toBeUndefined();

    const table = await run(["devices", "--limit", "4"]);
    expect(table.stdout.trim().split("\n")).toHaveLength(1 + 4);
    expect(table.stdout).toMatch(/^ADDRESS\s+MANUFACTURER/);
  });

  it("filters page too, and a bad cursor is refused by name", async () => {
    const axis = await run(["devices", "--manufacturer", "axis", "--json", "--limit", "3"]);
    const first = jsonLines<{ manufacturer: string }>(axis.stdout);
    expect(first.map((d) => d.manufacturer)).toEqual(["axis", "axis", "axis"]);
    const more = await run(["devices", "--manufacturer", "axis", "--json", "--after", nextOf(axis.stderr)!]);
    expect(jsonLines(more.stdout)).toHaveLength(8 - 3);
    const bad = await run(["devices", "--after", "garbage"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"garbage" is not a device-list cursor/);
    expect((await run(["devices", "--limit", "0"])).code).toBe(2);
  });
});
