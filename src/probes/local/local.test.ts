import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { NetworkInterfaceInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../shared/errors.js";
import { RateGate, Tally } from "./caps.js";
import { onLink, resolveInterface, scoped, type InterfaceTable } from "./interface.js";
import { listen } from "./listen.js";
import { localDiscovery } from "./send.js";
import { broadcastProtocol, groupProtocol } from "./__fixtures__/protocols.js";

const info = (address: string, cidr: string, internal = false): NetworkInterfaceInfo =>
  ({
    address,
    cidr,
    netmask: "",
    family: address.includes(":") ? "IPv6" : "IPv4",
    mac: "02:00:00:00:00:01",
    internal,
    ...(address.includes(":") ? { scopeid: 0 } : {}),
  }) as NetworkInterfaceInfo;

const TABLE: InterfaceTable = {
  lo: [info("127.0.0.1", "127.0.0.1/8", true), info("::1", "::1/128", true)],
  br0: [info("10.20.0.5", "10.20.0.5/24"), info("fd00::5", "fd00::5/64"), info("fe80::5", "fe80::5/64")],
  v6only: [info("fe80::7", "fe80::7/64")],
};

describe("resolveInterface", () => {
  it("gives the addresses and subnets, link-local IPv6 first", () => {
    const i = resolveInterface("br0", TABLE);
    expect(i.v4).toEqual([{ address: "10.20.0.5", cidr: "10.20.0.0/24" }]);
    expect(i.v6.map((a) => a.cidr)).toEqual(["fe80::/64", "fd00::/64"]);
    expect(i.mac).toBe("02:00:00:00:00:01");
  });

  it("names an unknown interface and lists the ones that exist", () => {
    expect(() => resolveInterface("eth9", TABLE)).toThrow(UsageError);
    expect(() => resolveInterface("eth9", TABLE)).toThrow(
      'no interface "eth9" on this host; interfaces with an address: br0, v6only',
    );
  });

  it("says an existing interface without an address is down or address-less, not unknown", () => {
    // lo exists on every Linux host; a table without it stands for an interface that is down.
    const { lo: _lo, ...withoutLo } = TABLE;
    if (process.platform !== "linux") return;
    expect(() => resolveInterface("lo", withoutLo)).toThrow(
      /interface "lo" is (up but has no IP address|down)/,
    );
  });

  it("refuses loopback and odd names", () => {
    expect(() => resolveInterface("lo", TABLE)).toThrow(/"lo" is loopback/);
    expect(() => resolveInterface("../../etc", TABLE)).toThrow(/no interface/);
  });

  it("tells on-link sources and scopes link-local addresses to the interface", () => {
    const i = resolveInterface("br0", TABLE);
    expect(onLink(i, "10.20.0.77")).toBe(true);
    expect(onLink(i, "192.168.1.64")).toBe(false);
    expect(onLink(i, "fe80::1234")).toBe(true);
    expect(onLink(i, "fd00::99")).toBe(true);
    expect(onLink(i, "not an address")).toBe(false);
    expect(scoped(i, "ff02::c")).toBe("ff02::c%br0");
    expect(scoped(i, "fe80::5")).toBe("fe80::5%br0");
    expect(scoped(i, "fd00::5")).toBe("fd00::5");
    expect(scoped(i, "239.255.255.250")).toBe("239.255.255.250");
  });
});

describe("local discovery refusals", () => {
  it("refuses an interface with no address of the family the protocols need", async () => {
    await expect(
      localDiscovery({
        interface: "v6only",
        protocols: [broadcastProtocol],
        interfaces: TABLE,
        windowMs: 10,
      }),
    ).rejects.toThrow(
      /nothing can be sent on interface v6only: dhip-legacy: interface v6only has no IPv4 address/,
    );
  });

  it("refuses a table entry whose group is not link-scoped multicast", async () => {
    const bad = { ...groupProtocol, groups: { v6: "ff05::c" } };
    await expect(localDiscovery({ interface: "br0", protocols: [bad], interfaces: TABLE })).rejects.toThrow(
      /not a link-scoped \(ff02::\/16\) multicast address/,
    );
    const unicast = { ...groupProtocol, groups: { v4: "10.20.0.9" } };
    await expect(
      listen({ interface: "br0", protocols: [unicast], interfaces: TABLE, durationMs: 10 }),
    ).rejects.toThrow(/not a multicast address/);
  });

  it("sends nothing once the signal has aborted", async () => {
    const r = await localDiscovery({
      interface: "br0",
      protocols: [groupProtocol],
      interfaces: TABLE,
      signal: AbortSignal.abort(),
    });
    expect(r).toMatchObject({ sent: [], replies: [], interrupted: true });
  });
});

describe("caps", () => {
  it("keeps at most maxPerSource per source, maxReplies in all, maxBytes of data", () => {
    const t = new Tally({ maxReplies: 5, maxPerSource: 2, maxBytes: 1000 });
    const admitted = ["a", "a", "a", "b", "b", "c", "d"].filter((s) => t.admit(s, 10) && (t.keep(10), true));
    expect(admitted).toEqual(["a", "a", "b", "b", "c"]);
    expect(t.dropped).toBe(2);
    const bytes = new Tally({ maxReplies: 100, maxPerSource: 100, maxBytes: 25 });
    expect([1, 2, 3].map(() => bytes.admit("x", 10) && (bytes.keep(10), true))).toEqual([true, true, false]);
  });

  it("counts ignored garbage against the source, so a garbage flood stops being parsed", () => {
    const t = new Tally({ maxReplies: 100, maxPerSource: 3, maxBytes: 1e6 });
    expect([1, 2, 3, 4].map(() => t.admit("x", 1))).toEqual([true, true, true, false]);
    expect(t.kept).toBe(0);
  });

  it("lets through at most N datagrams per source per second", () => {
    const g = new RateGate(3);
    const at = (ms: number) => ["a", "a", "a", "a", "b"].map((s) => g.allow(s, ms));
    expect(at(1000)).toEqual([true, true, true, false, true]);
    expect(at(1500)).toEqual([false, false, false, false, true]);
    expect(at(2000)).toEqual([true, true, true, false, true]);
  });
});

describe("listen sends nothing, by construction", () => {
  // The listen module and everything it imports, transitively: none may hold a send() call or a sending helper.
  it("imports no module that can send a datagram", () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const seen = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, "utf8");
      expect(src, file).not.toMatch(/\.send\s*\(|sendto|udpExchange/);
      for (const m of src.matchAll(/^import (?!type )[^;]*? from "(\.[^"]+)\.js";/gms))
        walk(join(dirname(file), `${m[1]}.ts`));
    };
    walk(join(here, "listen.ts"));
    expect([...seen].map((f) => relative(here, f)).sort()).toEqual([
      "../../shared/errors.ts",
      "../observe.ts",
      "caps.ts",
      "groups.ts",
      "interface.ts",
      "listen.ts",
      "receive.ts",
    ]);
  });
});
