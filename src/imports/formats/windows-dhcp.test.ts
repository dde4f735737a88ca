import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collect, fixture } from "./__fixtures__/collect.js";
import { windowsDhcp } from "./windows-dhcp.js";

const tmp = mkdtempSync(join(tmpdir(), "csw-e2-windhcp-"));

describe("Windows DHCP lease export", () => {
  it("reads the console's Export List (tab-separated, Unique ID as bare hex)", async () => {
    const { records, errors } = await collect(windowsDhcp, fixture("windows-dhcp-console.txt"));
    expect(records.map((r) => [r.line, r.address, r.mac, r.hostname])).toEqual([
      [2, "172.16.1.12", "00:11:22:33:44:55", "test01.test.com"],
      [3, "172.16.1.13", "02:00:5e:10:00:31", "cam-lobby.test.com"],
    ]);
    expect(records[0]?.observations[0]?.request).toEqual({
      source: "windows-dhcp",
      line: 2,
      hostname: "test01.test.com",
      clientId: "00:11:22:33:44:55",
      expires: "Reservation (active)",
      type: "DHCP",
      description: "Test Win 10",
    });
    expect(errors).toEqual([
      { line: 4, field: "address", message: 'lease "172.16.1.300": not an IP address' },
    ]);
  });

  for (const name of ["windows-dhcp-ps.csv", "windows-dhcp-ps-utf16.csv"]) {
    it(`reads Export-Csv of Get-DhcpServerv4Lease after its #TYPE line (${name})`, async () => {
      const { records, errors } = await collect(windowsDhcp, fixture(name));
      expect(records.map((r) => [r.line, r.address, r.mac, r.hostname])).toEqual([
        [3, "10.10.10.10", "00:24:d7:c5:25:f0", "Mytestcomputer.contoso.com"],
        [4, "10.10.10.11", "02:00:5e:10:00:41", "cam-gate.contoso.com"],
      ]);
      expect(records[1]?.observations[0]?.request).toMatchObject({
        state: "ActiveReservation",
        scope: "10.10.10.0",
        server: "10.10.10.1",
      });
      expect(errors).toEqual([
        { line: 5, field: "mac", message: 'lease 10.10.10.12: "zz-not-hex" is not a client id (MAC or hex)' },
      ]);
    });
  }

  it("takes a column mapping and semicolons; refuses a CSV without an address column", async () => {
    const semi = join(tmp, "semi.csv");
    writeFileSync(semi, '"Adresse";"Nom";"ID"\n"10.0.0.7";"cam7";"02-00-5e-10-00-07"\n');
    const { records } = await collect(windowsDhcp, semi, {
      columns: { address: "Adresse", hostname: "Nom", mac: "ID" },
    });
    expect(records.map((r) => [r.address, r.mac, r.hostname])).toEqual([
      ["10.0.0.7", "02:00:5e:10:00:07", "cam7"],
    ]);
    const other = join(tmp, "other.csv");
    writeFileSync(other, "a,b\n1,2\n");
    await expect(collect(windowsDhcp, other)).rejects.toThrow(/other\.csv: not a Windows DHCP lease export/);
  });
});
