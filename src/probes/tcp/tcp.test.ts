import { describe, expect, it } from "vitest";
import { closedPort, tarpit } from "../__fixtures__/servers.js";
import { tcpState } from "./probe.js";

const H = "127.79.1.1";

describe("tcp connect", () => {
  it("open, closed", async () => {
    const t = await tarpit(H);
    try {
      expect(await tcpState({ host: H, port: t.port, timeoutMs: 500 })).toBe("open");
    } finally {
      await t.close();
    }
    expect(await tcpState({ host: H, port: await closedPort(H), timeoutMs: 500 })).toBe("closed");
  });
  it("rejects promptly on abort", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(tcpState({ host: H, port: 1, timeoutMs: 500, signal: ac.signal })).rejects.toThrow();
  });
});
