import { describe, expect, it } from "vitest";
import { parseDigest, verifyDigest } from "../../lab/digest.js";
import {
  digestAuthorization,
  digestAuthorizationParts,
  offered,
  parseChallenges,
  pickDigest,
} from "./digest.js";

const responseOf = (h: string) => parseDigest(h)?.response;

describe("Digest client", () => {
  it("matches the RFC 2617 §3.5 and RFC 7616 §3.9.1 examples", () => {
    const rfc2617 = {
      method: "GET",
      uri: "/dir/index.html",
      realm: "testrealm@host.com",
      nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
      username: "Mufasa",
      password: "Circle Of Life",
      cnonce: "0a4f113b",
    };
    expect(responseOf(digestAuthorization(rfc2617))).toBe("6629fae49393a05397450978507c4ef1");
    // RFC 2069 form (challenge without qop)
    expect(responseOf(digestAuthorization({ ...rfc2617, qop: null }))).toBe(
      "670fd8c2df070c60b045671b8b24ff02",
    );
    const rfc7616 = {
      method: "GET",
      uri: "/dir/index.html",
      realm: "http-auth@example.org",
      nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
      username: "Mufasa",
      password: "Circle of Life",
      cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
      opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
    };
    expect(responseOf(digestAuthorization(rfc7616))).toBe("8ca523f5e9506fed4657c9700eebdbec");
    const sha = digestAuthorization({ ...rfc7616, algorithm: "SHA-256" });
    expect(responseOf(sha)).toBe("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    expect(sha).toContain("algorithm=SHA-256");
    expect(sha).toContain('opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"');
  });

  it("is accepted by the lab's verifier, and a fresh cnonce is made per request", () => {
    const o = {
      method: "GET",
      uri: "/ISAPI/System/deviceInfo",
      realm: "IP Camera(D2959)",
      nonce: "4e54",
      username: "admin",
      password: "pw",
    };
    const a = digestAuthorizationParts(o).header;
    const b = digestAuthorizationParts(o).header;
    expect(parseDigest(a)?.cnonce).not.toBe(parseDigest(b)?.cnonce);
    const check = { ...o, knownNonce: (n: string) => n === "4e54" };
    expect(verifyDigest(a, check)).toBe(true);
    expect(verifyDigest(a, { ...check, password: "other" })).toBe(false);
    expect(a).not.toContain("pw");
  });

  it("reads the Hikvision challenge with a Basic challenge in the same header (§2.5) and keeps Digest's realm", () => {
    const all = parseChallenges([
      'Digest qop="auth", realm="IP Camera(C2183)", nonce="4e5468694e7a42694e7a4d364f4449354d7a6b354d54513d", stale="FALSE", Basic realm="IP Camera(76475)"',
    ]);
    expect(all.map((c) => c.scheme)).toEqual(["Digest", "Basic"]);
    expect(pickDigest(all)).toMatchObject({
      realm: "IP Camera(C2183)",
      qop: "auth",
      algorithm: "MD5",
      algorithmNamed: false,
    });
  });

  it("prefers MD5; takes SHA-256 only when it is all that is offered", () => {
    const both = parseChallenges([
      'Digest realm="r", nonce="n1", qop="auth", algorithm=SHA-256',
      'Digest realm="r", nonce="n2", qop="auth", algorithm=MD5',
    ]);
    expect(pickDigest(both)).toMatchObject({ nonce: "n2", algorithm: "MD5", algorithmNamed: true });
    const sha = parseChallenges([
      'Digest realm="Login to 4K049EBPAG1D7E7", nonce="n", qop="auth", algorithm=SHA-256, opaque=""',
    ]);
    expect(pickDigest(sha)).toMatchObject({ algorithm: "SHA-256", opaque: "" });
  });

  it("answers nothing it cannot do safely: Basic, -sess, auth-int only, hostile values", () => {
    const none = [
      ['Basic realm="x"'],
      ['Digest realm="r", nonce="n", algorithm=MD5-sess, qop="auth"'],
      ['Digest realm="r", nonce="n", qop="auth-int"'],
      ['Digest realm="r", qop="auth"'],
      [`Digest realm="${"x".repeat(600)}", nonce="n"`],
      ['Digest realm="a\u0001b", nonce="n"'],
    ];
    for (const v of none) expect(pickDigest(parseChallenges(v))).toBeUndefined();
    expect(
      offered(parseChallenges(['Basic realm="x"', 'Digest realm="r", nonce="n", algorithm=SHA-512-256'])),
    ).toBe("Basic, Digest SHA-512-256");
    // Endless junk is bounded and never throws.
    expect(parseChallenges([`${"Digest a=b, ".repeat(10_000)}`]).length).toBeLessThanOrEqual(16);
    expect(parseChallenges(["", ",,,", '"""', "=", "Digest =x"])).toBeInstanceOf(Array);
  });

  it("quotes what it echoes: a quote in the username or realm cannot end the field", () => {
    const h = digestAuthorization({
      method: "GET",
      uri: "/",
      realm: 'r"x',
      nonce: "n",
      username: 'a"b\\c',
      password: "p",
    });
    expect(h).toContain('username="a\\"b\\\\c"');
    expect(h).toContain('realm="r\\"x"');
    expect(parseDigest(h)?.username).toBe('a"b\\c');
  });
});
