import murmur from "murmurhash3js-revisited";
import { describe, expect, it } from "vitest";
import { ObservationSchema } from "../observations/observation.js";
import { faviconHashes, partsOf } from "./parts/index.js";

describe("favicon hashes", () => {
  it("uses MurmurHash3 x86-32 as Python's mmh3.hash does (signed)", () => {
    // mmh3's documented example: mmh3.hash("foo") == -156908512
    expect(murmur.x86.hash32(Buffer.from("foo"), 0) | 0).toBe(-156908512);
  });

  it("hashes the base64 text with a newline every 76 characters and at the end (Python base64.encodebytes)", () => {
    const bytes = Buffer.alloc(100);
    const encoded = `${"A".repeat(76)}\n${"A".repeat(56)}AA==\n`;
    expect(faviconHashes(bytes).mmh3).toBe(String(murmur.x86.hash32(Buffer.from(encoded), 0) | 0));
    expect(faviconHashes(bytes).md5).toBe("6d0bb00954ceb7fbee436bb55a8397a9");
  });

  it("yields favicon parts only for a complete 200 reply to /favicon.ico", () => {
    const o = (path: string, truncated?: boolean) =>
      ObservationSchema.parse({
        protocol: "http",
        request: { method: "GET", path },
        response: {
          status: 200,
          headers: [],
          body: Buffer.alloc(100).toString("base64"),
          bodyEncoding: "base64",
          truncated,
        },
      });
    expect(partsOf(o("/favicon.ico"), 0).map((p) => p.name)).toContain("http.favicon.mmh3");
    expect(partsOf(o("/favicon.ico", true), 0).map((p) => p.name)).not.toContain("http.favicon.mmh3");
    expect(partsOf(o("/"), 0).map((p) => p.name)).not.toContain("http.favicon.md5");
  });
});
