import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError, UsageError } from "../shared/errors.js";
import { inScope, parseTarget, resolveTargets, specSize } from "./index.js";

const addrs = async (targets: string[], more: Partial<Parameters<typeof resolveTargets>[0]> = {}) =>
  (await resolveTargets({ targets, ...more })).map((h) => h.address);

describe("parseTarget grammar", () => {
  it("parses each form", () => {
    expect(parseTarget("10.1.2.3")).toMatchObject({ kind: "address", address: "10.1.2.3" });
    expect(parseTarget("FE80::0001")).toMatchObject({ kind: "address", address: "fe80::1" });
    expect(parseTarget("10.0.0.0/24")).toMatchObject({ kind: "cidr", prefix: 24, skipNetBcast: true });
    expect(parseTarget("fd00::/120")).toMatchObject({
      kind: "cidr",
      family: 6,
      prefix: 120,
      skipNetBcast: false,
    });
    expect(parseTarget("10.0.0.5-10.0.1.2")).toMatchObject({ kind: "span", family: 4 });
    expect(parseTarget("192.168.1-3.1-10")).toMatchObject({
      kind: "octets",
      octets: [[192], [168], [1, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    });
    expect(parseTarget("cam-1.example.lan")).toMatchObject({ kind: "hostname", name: "cam-1.example.lan" });
    expect(specSize(parseTarget("10.0.0.*"))).toBe(256n);
    expect(specSize(parseTarget("10.0.0.0/24"))).toBe(254n);
    expect(specSize(parseTarget("10.0.0.0/31"))).toBe(2n);
  });

  it("rejects malformed targets with the target named", () => {
    expect(() => parseTarget("10.0.0.0/33")).toThrow('target "10.0.0.0/33": invalid prefix length');
    expect(() => parseTarget("::/129")).toThrow("invalid prefix length");
    expect(() => parseTarget("10.0.0.9-3")).toThrow(/ends before it starts/);
    expect(() => parseTarget("10.0.0.300-400")).toThrow(/out of range/);
    expect(() => parseTarget("foo/99")).toThrow('"foo/99" is not an address, range, CIDR or hostname');
    expect(() => parseTarget("1.2.3")).toThrow(UsageError);
    expect(() => parseTarget("a..b")).toThrow(UsageError);
  });
});

describe("resolveTargets", () => {
  it("expands ranges, CIDRs and octet ranges in stable order, deduplicated", async () => {
    expect(await addrs(["127.0.0.3-5", "127.0.0.4", "127.0.1.1,2"])).toEqual([
      "127.0.0.3",
      "127.0.0.4",
      "127.0.0.5",
      "127.0.1.1",
      "127.0.1.2",
    ]);
    expect(await addrs(["10.9.9.0/30"])).toEqual(["10.9.9.1", "10.9.9.2"]);
    expect(await addrs(["10.9.9.8/31"])).toEqual(["10.9.9.8", "10.9.9.9"]);
    expect(await addrs(["fd00::/127"])).toEqual(["fd00::", "fd00::1"]);
    expect(await addrs(["192.168.1-2.7"])).toEqual(["192.168.1.7", "192.168.2.7"]);
    expect(await addrs(["::ffff:127.0.0.1"])).toEqual(["127.0.0.1"]);
  });

  it("applies --exclude (lists, CIDRs) and --exclude-file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "camsweep-targets-"));
    const ex = join(dir, "ex.txt");
    writeFileSync(ex, "# skip these\n10.0.0.9\n");
    expect(await addrs(["10.0.0.0/28"], { exclude: ["10.0.0.1,10.0.0.8/30"], excludeFiles: [ex] })).toEqual([
      "10.0.0.2",
      "10.0.0.3",
      "10.0.0.4",
      "10.0.0.5",
      "10.0.0.6",
      "10.0.0.7",
      "10.0.0.12",
      "10.0.0.13",
      "10.0.0.14",
    ]);
  });

  it("refuses an address outside the allow-list, naming target and scope", async () => {
    await expect(addrs(["127.0.0.1", "10.0.0.1"], { allow: ["127.0.0.0/8"] })).rejects.toThrow(
      "target 10.0.0.1 is outside the allowed scope (--allow 127.0.0.0/8)",
    );
    await expect(addrs(["8.8.8.8"], { allow: ["127.0.0.0/8"] })).rejects.toThrow(
      "target 8.8.8.8 is outside the allowed scope (--allow 127.0.0.0/8)",
    );
    expect(await addrs(["127.0.0.1"], { allow: ["127.0.0.0/8"] })).toEqual(["127.0.0.1"]);
  });

  it("refuses public addresses unless an allow entry covers them", async () => {
    await expect(addrs(["8.8.8.8"])).rejects.toThrow(/public address/);
    await expect(addrs(["2606:4700::1111"])).rejects.toThrow(/public address/);
    expect(await addrs(["8.8.8.8"], { allow: ["8.8.8.0/24"] })).toEqual(["8.8.8.8"]);
  });

  it("always refuses multicast, broadcast, unspecified and reserved, even when allowed", async () => {
    for (const t of [
      "224.0.0.251",
      "239.255.255.250",
      "ff02::1",
      "255.255.255.255",
      "0.0.0.0",
      "::",
      "240.0.0.1",
      "192.0.2.1",
    ]) {
      await expect(addrs([t], { allow: ["0.0.0.0/0", "::/0"] }), t).rejects.toThrow(/never probed/);
    }
    await expect(addrs(["224.0.0.0/30"])).rejects.toThrow(/multicast/);
  });

  it("accepts local classes without an allow-list", async () => {
    expect(
      await addrs([
        "127.0.0.1",
        "10.1.1.1",
        "172.16.0.1",
        "192.168.0.1",
        "100.64.0.1",
        "169.254.1.1",
        "::1",
        "fe80::1",
        "fd12::1",
      ]),
    ).toHaveLength(9);
  });

  it("caps the number of hosts", async () => {
    await expect(addrs(["10.0.0.0/8"])).rejects.toThrow(
      /more than 65536 hosts \(10\.0\.0\.0\/8 alone is 16777214\)/,
    );
    await expect(addrs(["10.0.0.0/24"], { maxHosts: 100 })).rejects.toThrow(/more than 100 hosts/);
    expect(await addrs(["10.0.0.0/25"], { maxHosts: 126 })).toHaveLength(126);
    await expect(addrs(["fd00::/64"])).rejects.toThrow(/more than 65536/);
  });

  it("reads -iL files with comments and names the file and line of a bad entry", async () => {
    const dir = mkdtempSync(join(tmpdir(), "camsweep-targets-"));
    const good = join(dir, "good.txt");
    writeFileSync(good, "# cameras\n127.0.0.1 127.0.0.2\t# two\n\n127.0.0.3\n");
    expect(await addrs([], { inputFiles: [good] })).toEqual(["127.0.0.1", "127.0.0.2", "127.0.0.3"]);
    const bad = join(dir, "targets.txt");
    writeFileSync(bad, "127.0.0.1\n# ok\nfoo bar/99\n");
    const err = await resolveTargets({ targets: [], inputFiles: [bad] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe(`${bad}:3: "bar/99" is not an address, range, CIDR or hostname`);
    await expect(addrs([], { inputFiles: [join(dir, "missing.txt")] })).rejects.toThrow(
      /cannot read target file/,
    );
  });

  it("resolves hostnames (localhost) and remembers the name", async () => {
    const hosts = await resolveTargets({ targets: ["localhost"] });
    expect(hosts.length).toBeGreaterThan(0);
    for (const h of hosts) {
      expect(h.hostname).toBe("localhost");
      expect(["127.0.0.1", "::1"]).toContain(h.address);
    }
  });

  it("fails clearly on a name that does not resolve", async () => {
    await expect(
      resolveTargets({
        targets: ["nope.invalid"],
        resolve: () => Promise.reject(Object.assign(new Error("x"), { code: "ENOTFOUND" })),
      }),
    ).rejects.toThrow('target "nope.invalid": cannot resolve hostname (ENOTFOUND)');
  });

  it("checks resolved hostnames against scope", async () => {
    await expect(
      resolveTargets({ targets: ["cam.example"], resolve: async () => ["8.8.4.4"] }),
    ).rejects.toThrow("target cam.example (8.8.4.4) is a public address");
  });

  it("inScope helper", () => {
    expect(inScope("127.0.0.9", ["127.0.0.0/8"])).toBe(true);
    expect(inScope("10.0.0.1", ["127.0.0.0/8", "192.168.0.0/16"])).toBe(false);
    expect(inScope("::1", ["::1"])).toBe(true);
    expect(inScope("not-an-ip", ["127.0.0.0/8"])).toBe(false);
  });
});

describe("standing scope (the config's allow-list)", () => {
  const scope = { allow: ["127.79.40.0/24"], source: "config.yaml" };
  it("is the allow-list when there is no --allow", async () => {
    expect(await resolveTargets({ targets: ["127.79.40.5"], scope })).toEqual([{ address: "127.79.40.5" }]);
    await expect(resolveTargets({ targets: ["127.79.41.5"], scope })).rejects.toThrow(
      /outside the allowed scope/,
    );
  });
  it("may be narrowed by --allow", async () => {
    const allow = ["127.79.40.0/28"];
    expect(await resolveTargets({ targets: ["127.79.40.3"], allow, scope })).toHaveLength(1);
    await expect(resolveTargets({ targets: ["127.79.40.20"], allow, scope })).rejects.toThrow(
      /outside the allowed scope/,
    );
  });
  it("is never widened by --allow", async () => {
    await expect(
      resolveTargets({ targets: ["127.79.41.5"], allow: ["127.79.0.0/16"], scope }),
    ).rejects.toThrow(
      /target 127\.79\.41\.5 is outside the configured scope \(config\.yaml: allow 127\.79\.40\.0\/24\); --allow cannot widen it/,
    );
  });
});
