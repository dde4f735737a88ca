import { describe, expect, it } from "vitest";
import { CamsweepError, UsageError } from "../shared/errors.js";
import { labAddresses, startLab } from "./index.js";
import { WireClient, sadpProbe, udpExchange } from "./__fixtures__/client.js";

describe("portOffset", () => {
  it("an explicit offset moves every port, TCP and UDP", async () => {
    const lab = await startLab({
      range: "127.78.2.0/24",
      personas: ["hikvision-ipc-current", "generic-webs-box"],
      portOffset: 20000,
    });
    try {
      for (const d of lab.devices) for (const s of d.services) expect(s.port).toBe(s.nominalPort + 20000);
      const [hik, webs] = lab.devices;
      if (!hik || !webs) throw new Error("devices missing");
      const c = await WireClient.open(webs.address, 20080);
      c.send("GET / HTTP/1.0\r\n\r\n");
      expect((await c.read()).statusLine).toBe("HTTP/1.0 401 Unauthorized");
      c.close();
      const replies = await udpExchange(hik.address, 57020, sadpProbe("C-1"));
      expect(replies[0]?.toString()).toContain("<Uuid>C-1</Uuid>");
    } finally {
      await lab.stop();
    }
  });

  it("refuses an offset that pushes a port past 65535, leaving nothing bound", async () => {
    await expect(
      startLab({ range: "127.78.5.0/24", personas: ["dahua-ipc"], portOffset: 30000 }),
    ).rejects.toThrow(UsageError);
    const lab = await startLab({ range: "127.78.5.0/24", personas: ["dahua-ipc"], portOffset: 0 });
    await lab.stop();
  });

  it("reports an address already in use clearly", async () => {
    const lab = await startLab({ range: "127.78.6.0/24", personas: ["printer"] });
    try {
      await expect(startLab({ range: "127.78.6.0/24", personas: ["printer"] })).rejects.toThrow(
        /127\.78\.6\.1:80 is already in use/,
      );
      await expect(startLab({ range: "127.78.6.0/24", personas: ["printer"] })).rejects.toBeInstanceOf(
        CamsweepError,
      );
    } finally {
      await lab.stop();
    }
  });
});

describe("ranges and selection", () => {
  it("refuses any range outside 127.0.0.0/8", async () => {
    await expect(startLab({ range: "10.0.0.0/24" })).rejects.toThrow(UsageError);
    await expect(startLab({ range: "192.168.1.0/24" })).rejects.toThrow(/outside 127\.0\.0\.0\/8/);
    await expect(startLab({ range: "0.0.0.0/0" })).rejects.toThrow(UsageError);
    await expect(startLab({ range: "nonsense" })).rejects.toThrow(UsageError);
  });

  it("allocates from the first usable address and refuses too small a range", () => {
    expect(labAddresses("127.78.3.0/24", 3)).toEqual(["127.78.3.1", "127.78.3.2", "127.78.3.3"]);
    expect(labAddresses("127.78.3.8/29", 6)).toEqual([
      "127.78.3.9",
      "127.78.3.10",
      "127.78.3.11",
      "127.78.3.12",
      "127.78.3.13",
      "127.78.3.14",
    ]);
    expect(() => labAddresses("127.78.3.0/30", 3)).toThrow(/room for 2/);
    expect(labAddresses("127.78.3.40", 2)).toEqual(["127.78.3.40", "127.78.3.41"]);
  });

  it("rejects unknown persona ids and repeats personas with distinct MACs when count is larger", async () => {
    await expect(startLab({ range: "127.78.7.0/24", personas: ["no-such-device"] })).rejects.toThrow(
      /unknown persona "no-such-device"/,
    );
    const lab = await startLab({ range: "127.78.7.0/24", personas: ["hikvision-ipc-current"], count: 2 });
    try {
      const macs: string[] = [];
      for (const d of lab.devices) {
        const [r] = await udpExchange(d.address, 37020, sadpProbe("D-1"));
        macs.push(/<MAC>([^<]+)<\/MAC>/.exec(r?.toString() ?? "")?.[1] ?? "");
      }
      expect(macs[0]).toBe("58-50-ed-1f-e3-85");
      expect(macs[1]).toMatch(/^58-50-ed-/);
      expect(macs[1]).not.toBe(macs[0]);
    } finally {
      await lab.stop();
    }
  });
});
