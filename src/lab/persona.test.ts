import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../shared/errors.js";
import { loadPersonas } from "./load.js";
import { makeNonce, rtspDateHik } from "./template.js";
import { parseDigest, verifyDigest } from "./digest.js";
import { digestHeader } from "./__fixtures__/client.js";

const fixtures = fileURLToPath(new URL("./__fixtures__/", import.meta.url));
const HIK = ["CA-ICA-2025-HIKVISION", "US-NDAA-FY2019-S889", "US-FCC-COVERED-LIST"];
const DAHUA = ["US-NDAA-FY2019-S889", "US-FCC-COVERED-LIST"];

describe("persona files", () => {
  const personas = loadPersonas();

  it("loads every persona in lab/personas", () => {
    const ids = personas.map((p) => p.id);
    for (const id of [
      "hikvision-ipc-current",
      "hikvision-ipc-legacy",
      "hikvision-nvr",
      "hiwatch-ipc",
      "lts-relabel",
      "dahua-ipc",
      "lorex-relabel",
      "axis-camera",
      "hanwha-camera",
      "xiongmai-dvr",
      "printer",
      "router",
      "generic-webs-box",
    ])
      expect(ids).toContain(id);
  });

  it("expect blocks follow the shared vocabulary", () => {
    for (const p of personas) {
      const e = p.expect;
      if (e.manufacturer === "hikvision") expect(e.policies, p.id).toEqual(HIK);
      else if (e.manufacturer === "dahua") expect(e.policies, p.id).toEqual(DAHUA);
      else expect(e.policies, p.id).toEqual([]);
      expect(e.restricted, p.id).toBe(e.policies.length > 0);
    }
  });

  it("Hikvision-firmware personas answer SADP, Dahua-firmware ones DHIP", () => {
    for (const p of personas) {
      const protos = p.services.map((s) => s.protocol);
      // A persona built from a single RTSP capture (e.g. amcrest-rtsp-amc) exercises that one signal alone.
      const rtspOnly = protos.every((x) => x === "rtsp");
      if (p.expect.manufacturer === "hikvision") expect(protos, p.id).toContain("sadp");
      else expect(protos, p.id).not.toContain("sadp");
      if (p.expect.manufacturer === "dahua" && !rtspOnly) expect(protos, p.id).toContain("dhip");
      else if (p.expect.manufacturer !== "dahua") expect(protos, p.id).not.toContain("dhip");
    }
  });

  it("rejects a broken persona, naming the file and the field", () => {
    const dir = join(fixtures, "broken-status");
    expect(() => loadPersonas(dir)).toThrow(InputError);
    expect(() => loadPersonas(dir)).toThrow(/bad-status\.yaml.*services\.0\.routes\.0\.status/);
  });

  it("rejects an unknown placeholder, naming the file and the field", () => {
    expect(() => loadPersonas(join(fixtures, "broken-placeholder"))).toThrow(
      /bad-placeholder\.yaml.*services\.0\.routes\.0\.headers\.0\.1: unknown placeholder \{serverName\}/,
    );
  });
});

describe("templates", () => {
  it("formats the Hikvision RTSP date order", () => {
    expect(rtspDateHik(new Date(Date.UTC(2020, 4, 14, 16, 45, 35)))).toBe("Thu, May 14 2020 16:45:35 GMT");
  });

  it("makes Hikvision nonces as hex of an ASCII base64 string", () => {
    const n = makeNonce("hikvision");
    expect(n).toMatch(/^[0-9a-f]+$/);
    const b64 = Buffer.from(n, "hex").toString("ascii");
    expect(b64).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(b64, "base64").toString("ascii")).toMatch(/^[0-9a-f]{8}:\d{8}$/);
  });
});

describe("digest", () => {
  const base = {
    method: "GET",
    uri: "/x",
    realm: "R",
    username: "admin",
    password: "pw",
    knownNonce: (n: string) => n === "abc",
  };
  it("accepts a correct qop=auth response and rejects wrong password, realm or nonce", () => {
    expect(verifyDigest(digestHeader("GET", "/x", "R", "abc", "admin", "pw"), base)).toBe(true);
    expect(verifyDigest(digestHeader("GET", "/x", "R", "abc", "admin", "nope"), base)).toBe(false);
    expect(verifyDigest(digestHeader("GET", "/x", "Other", "abc", "admin", "pw"), base)).toBe(false);
    expect(verifyDigest(digestHeader("GET", "/x", "R", "zzz", "admin", "pw"), base)).toBe(false);
    expect(verifyDigest(digestHeader("GET", "/y", "R", "abc", "admin", "pw"), base)).toBe(false);
    expect(verifyDigest(undefined, base)).toBe(false);
    expect(verifyDigest("Basic YWRtaW46cHc=", base)).toBe(false);
  });
  it("parses quoted and bare parameters", () => {
    expect(parseDigest('Digest realm="a, b", qop=auth, nc=00000001')).toEqual({
      realm: "a, b",
      qop: "auth",
      nc: "00000001",
    });
  });
});
