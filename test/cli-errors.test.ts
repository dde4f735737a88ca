import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./cli.js";

const dir = mkdtempSync(join(tmpdir(), "camsweep-errors-"));
const inv = join(dir, "inv");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every bad input: exit 2, one clear message naming the problem, nothing on stdout, no inventory written. */
const cases: [string, string[], RegExp][] = [
  ["an unparsable target", ["scan", "300.1.2.3", "--data-dir", inv], /300\.1\.2\.3/],
  [
    "a target outside --allow",
    ["scan", "127.0.0.1", "--allow", "127.77.0.0/24", "--data-dir", inv],
    /127\.0\.0\.1.*outside/,
  ],
  ["an unknown flag", ["scan", "127.0.0.1", "--frobnicate"], /unknown option '--frobnicate'/],
  ["a port out of range", ["scan", "127.0.0.1", "-p", "80,70000", "--data-dir", inv], /70000/],
  ["a port that is no number", ["scan", "127.0.0.1", "-p", "http", "--data-dir", inv], /"?http"?/],
  ["no targets", ["scan", "--data-dir", inv], /no targets/],
  ["--local without --interface", ["scan", "--local", "--data-dir", inv], /--local needs --interface/],
  [
    "--local on an unknown interface",
    ["scan", "--local", "--interface", "nosuch9", "--data-dir", inv],
    /no interface "nosuch9"/,
  ],
  ["--local on loopback", ["scan", "--local", "--interface", "lo", "--data-dir", inv], /"lo" is loopback/],
  [
    "--interface without --local",
    ["scan", "127.0.0.1", "--interface", "lo", "--data-dir", inv],
    /--interface is for --local/,
  ],
  [
    "an unreadable --neighbours file",
    ["scan", "127.0.0.1", "--neighbours", join(dir, "arp.txt"), "--data-dir", inv],
    /arp\.txt: cannot read/,
  ],
  [
    "an unreadable observations file",
    ["identify", join(dir, "missing.jsonl")],
    /missing\.jsonl: cannot read/,
  ],
  ["an unreadable target list", ["scan", "-iL", join(dir, "missing.txt"), "--data-dir", inv], /missing\.txt/],
  ["a multicast target", ["scan", "239.255.255.250", "--data-dir", inv], /239\.255\.255\.250/],
  ["a bad --concurrency", ["scan", "127.0.0.1", "--concurrency", "lots"], /--concurrency/],
  [
    "a missing --config file",
    ["scan", "127.0.0.1", "--config", join(dir, "nope.yaml")],
    /nope\.yaml: config file not found/,
  ],
  [
    "a config file with a bad field",
    ["scan", "127.0.0.1", "--config", join(dir, "bad.yaml")],
    /bad\.yaml: allow/,
  ],
  [
    "a target outside the config's allow-list",
    ["scan", "127.0.0.1", "--config", join(dir, "scope.yaml")],
    /127\.0\.0\.1.*outside/,
  ],
  [
    "an --allow that would widen the config's allow-list",
    ["scan", "127.0.0.1", "--allow", "127.0.0.0/8", "--config", join(dir, "scope.yaml")],
    /127\.0\.0\.1 is outside the configured scope .*cannot widen/,
  ],
];
writeFileSync(join(dir, "bad.yaml"), "allow: 5\n");
writeFileSync(join(dir, "scope.yaml"), "allow: [127.77.0.0/24]\n");

describe("CLI bad input", () => {
  it.each(cases)("refuses %s", async (_name, args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n").length).toBeLessThanOrEqual(3);
    expect(r.stdout).toBe("");
    expect(existsSync(inv)).toBe(false);
  });

  it("names the bad line of a JSON Lines file and prints no verdicts", async () => {
    const f = join(dir, "obs.jsonl");
    writeFileSync(
      f,
      [
        JSON.stringify({
          target: "127.0.0.1",
          port: 80,
          protocol: "http",
          response: { status: 200, headers: [], body: "" },
        }),
        JSON.stringify({ target: "127.0.0.1", port: 80, protocol: "http" }),
        "{oops",
      ].join("\n"),
    );
    const r = await runCli(["identify", f, "--json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/obs\.jsonl:3: not valid JSON/);
    expect(r.stdout).toBe("");
  });

  it("lets --allow narrow the config's allow-list", async () => {
    const r = await runCli([
      "scan",
      "127.77.0.3",
      "--allow",
      "127.77.0.0/28",
      "--config",
      join(dir, "scope.yaml"),
      "-p",
      "1",
      "--no-udp",
      "--no-store",
      "--timeout",
      "200",
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("reads observations from stdin", async () => {
    const r = await runCli(["identify", "-", "--json"], {
      input: JSON.stringify({
        target: "127.0.0.5",
        port: 80,
        protocol: "http",
        response: { status: 200, headers: [["Server", "nothing-known"]], body: "" },
      }),
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      address: "127.0.0.5",
      manufacturer: null,
      restricted: false,
    });
  });
});
