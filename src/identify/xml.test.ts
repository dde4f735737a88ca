import { describe, expect, it } from "vitest";
import { readXml } from "./xml.js";

describe("readXml", () => {
  it("builds a tree by local name, arrays for repeats, entities of XML itself decoded", () => {
    expect(readXml("<s:Envelope><s:Body><x:Foo>1</x:Foo><x:Foo>2</x:Foo></s:Body></s:Envelope>")).toEqual({
      tree: { Envelope: { Body: { Foo: ["1", "2"] } } },
    });
    expect(readXml("<a>&amp;&lt;&#65;<![CDATA[<b>]]></a>")).toEqual({ tree: { a: "&<A<b>" } });
  });
  it("tolerates the padding devices send (leading newline, BOM, trailing NULs)", () => {
    expect(readXml('\n <?xml version="1.0"?><a><b>1</b></a>\u0000\u0000')).toEqual({
      tree: { a: { b: "1" } },
    });
    expect(readXml('\uFEFF<?xml version="1.0"?><a/>')).toEqual({ tree: { a: "" } });
  });
  it("refuses DTDs, oversize, depth bombs and malformed documents with a reason", () => {
    expect(readXml('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')).toEqual({
      error: expect.stringMatching(/DOCTYPE/),
    });
    expect(readXml(`<a>${"x".repeat(70 * 1024)}</a>`)).toEqual({
      error: expect.stringMatching(/over 64 KiB/),
    });
    expect(readXml(`${"<a>".repeat(40)}${"</a>".repeat(40)}`)).toEqual({
      error: expect.stringMatching(/levels/),
    });
    expect(readXml("<a><b>1</a>")).toEqual({ error: expect.stringMatching(/^malformed XML/) });
    expect(readXml("<a>&nbsp;</a>")).toEqual({ error: expect.stringMatching(/undefined entity/) });
    expect(readXml("\u0000\u0001garbage")).toEqual({ error: expect.stringMatching(/^malformed XML/) });
  });
});
