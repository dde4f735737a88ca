import { describe, expect, it } from "vitest";
import { runCli } from "../../../test/cli.js";
import { DISCOVERY } from "../../probes/discovery/table.js";
import { parseDuration, selectProtocols } from "./listen.js";

describe("listen --duration", () => {
  it("reads seconds, minutes, hours, milliseconds and plain seconds", () => {
    expect(parseDuration("--duration", "30s")).toBe(30_000);
    expect(parseDuration("--duration", "10m")).toBe(600_000);
    expect(parseDuration("--duration", "1h")).toBe(3_600_000);
    expect(parseDuration("--duration", "1.5h")).toBe(5_400_000);
    expect(parseDuration("--duration", "500ms")).toBe(500);
    expect(parseDuration("--duration", "90")).toBe(90_000);
  });

  it.each(["", "0", "0s", "-5", "10x", "1e3", "m", "10 m", "8d", "200h", "1.23456s"])(
    "refuses %j naming the flag",
    (v) => {
      expect(() => parseDuration("--duration", v)).toThrow(/^--duration must be a time such as 30s, 10m, 1h/);
    },
  );
});

describe("listen --protocols", () => {
  it("keeps the table's order and refuses unknown ids with the choices", () => {
    expect(selectProtocols(undefined, DISCOVERY).map((p) => p.id)).toEqual(DISCOVERY.map((p) => p.id));
    expect(selectProtocols(["ssdp,sadp"], DISCOVERY).map((p) => p.id)).toEqual(["sadp", "ssdp"]);
    expect(() => selectProtocols(["sadp,onvif"], DISCOVERY)).toThrow(
      "--protocols: unknown onvif; choose from sadp, wsd, dhip, dhip-legacy, ssdp",
    );
  });
});

describe("camsweep listen refuses before listening (built CLI)", () => {
  it.each([
    [["--interface", "nosuch9"], /no interface "nosuch9" on this host; interfaces with an address: /],
    [["--interface", "lo"], /"lo" is loopback/],
    [["--interface", "lo", "--duration", "10x"], /--duration must be a time/],
    [["--interface", "lo", "--protocols", "bogus"], /--protocols: unknown bogus/],
    [[], /required option '--interface <name>' not specified/],
  ])("%j", async (args, message) => {
    const r = await runCli(["listen", "--no-store", ...args], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });
});
