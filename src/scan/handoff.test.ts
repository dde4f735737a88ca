import { describe, expect, it } from "vitest";
import { Handoff } from "./handoff.js";

describe("Handoff", () => {
  it("passes items in order, makes a putter wait while full, and ends takers on close", async () => {
    const h = new Handoff<number>(1);
    expect(await h.put(1)).toBe(true);
    let second = false;
    const p2 = h.put(2).then((ok) => ((second = true), ok));
    await new Promise((r) => setTimeout(r, 10));
    expect(second).toBe(false); // full: waits for a take
    expect(await h.take()).toBe(1);
    expect(await p2).toBe(true);
    expect(await h.take()).toBe(2);
    const waiting = h.take();
    h.close();
    expect(await waiting).toBeUndefined();
    expect(await h.put(3)).toBe(false);
  });

  it("close releases a waiting putter with false, and items already queued are still taken", async () => {
    const h = new Handoff<string>(1);
    await h.put("a");
    const blocked = h.put("b");
    h.close();
    expect(await blocked).toBe(false);
    expect(await h.take()).toBe("a");
    expect(await h.take()).toBeUndefined();
  });
});
