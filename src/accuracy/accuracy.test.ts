import { describe, expect, it } from "vitest";
import { buildIdentification } from "../../test/factories.js";
import { ObservationSchema } from "../observations/observation.js";
import { compareCase, parseCorpusFile, silentCapture, summarize, type CorpusCase } from "./index.js";

const one = (expect: CorpusCase["expect"], known?: string): CorpusCase => ({
  id: "t",
  file: "corpus/http/t.yaml",
  source: "https://example.org/x",
  observations: [],
  expect,
  ...(known ? { known } : {}),
});

describe("corpus files", () => {
  it("names the file and case of a bad entry", () => {
    const text = `cases:\n  - id: a.b\n    source: https://example.org\n    observations: [{ protocol: http }]\n    expect: { restricted: true }\n`;
    expect(() => parseCorpusFile(text, "corpus/x.yaml")).toThrow(
      /corpus\/x\.yaml: case 0 \(a\.b\): expect\.manufacturer/,
    );
  });
  it("refuses a case without a source", () => {
    const text = `cases:\n  - id: a\n    observations: [{ protocol: http }]\n    expect: { manufacturer: null, restricted: false }\n`;
    expect(() => parseCorpusFile(text, "c.yaml")).toThrow(/case 0 \(a\): source/);
  });
});

describe("comparison and figures", () => {
  it("compares firmware in normal form, models case-insensitively, and checks only stated fields", () => {
    const id = buildIdentification({
      manufacturer: "hikvision",
      restricted: true,
      model: "DS-2CD2032-I",
      firmware: "V5.4.0 build 160530",
    });
    const r = compareCase(
      one({
        manufacturer: "hikvision",
        restricted: true,
        model: "ds-2cd2032-i",
        firmware: "V5.4.0build 160530",
      }),
      id,
    );
    expect(r.mismatches).toEqual([]);
    const wrong = compareCase(
      one({ manufacturer: "dahua", restricted: true, brand: null, deviceType: "nvr" }),
      id,
    );
    expect(wrong.mismatches.map((m) => m.field)).toEqual(["manufacturer", "deviceType"]);
  });

  it("counts restricted recall and precision, and separates known from unexplained misses", () => {
    const hik = buildIdentification({ manufacturer: "hikvision", restricted: true });
    const none = buildIdentification();
    const results = [
      compareCase(one({ manufacturer: "hikvision", restricted: true }), hik), // TP
      compareCase(one({ manufacturer: "dahua", restricted: true }, "no signal"), none, true), // FN, known, silent
      compareCase(one({ manufacturer: "axis", restricted: false }), hik), // FP, unexplained
      compareCase(one({ manufacturer: null, restricted: false }, "stale"), none), // TN, stale mark
    ];
    const s = summarize(results);
    expect(s.restrictedRecall).toEqual({ hit: 1, of: 2, rate: 0.5 });
    expect(s.restrictedPrecision).toEqual({ hit: 1, of: 2, rate: 0.5 });
    expect(s.informative).toEqual({
      cases: 3,
      restrictedRecall: { hit: 1, of: 1, rate: 1 },
      restrictedPrecision: { hit: 1, of: 2, rate: 0.5 },
    });
    expect(s.manufacturer).toEqual({ hit: 2, of: 4, rate: 0.5 });
    expect(s.unexplained.map((r) => r.expect.manufacturer)).toEqual(["axis"]);
    expect(s.staleKnown).toHaveLength(1);
    expect(s.bySignal).toEqual({ http: { cases: 4, misses: 2 } });
  });
});

describe("silent captures", () => {
  const o = (x: object) => ObservationSchema.parse(x);
  it("are port lists only: nmap's port-number service guess and nothing the device said", () => {
    expect(
      silentCapture([o({ protocol: "nmap", port: 554, request: { service: "rtsp", transport: "tcp" } })]),
    ).toBe(true);
    expect(
      silentCapture([
        o({
          protocol: "nmap",
          port: 554,
          request: { service: "rtsp", product: "Hikvision 7513 POE IP camera rtspd" },
        }),
      ]),
    ).toBe(false);
    expect(
      silentCapture([
        o({ protocol: "nmap", port: 80, mac: "44:47:cc:37:ce:81", request: { service: "http" } }),
      ]),
    ).toBe(false);
    expect(silentCapture([o({ protocol: "http", response: { status: 401, headers: [] } })])).toBe(false);
  });
});
