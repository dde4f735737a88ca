import { describe, expect, it } from "vitest";
import { readXml, xmlLeaves } from "./xml.js";

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

describe("xmlLeaves (XML that did not parse)", () => {
  it("reads complete leaf elements by local name, decodes only the predefined entities, skips the cut one", () => {
    const cut = '<DeviceInfo xmlns="x"><hik:model a="1">DS-2CD&amp;X</hik:model><serialNumber>DS-2C';
    expect(xmlLeaves(cut)).toEqual([["model", "DS-2CD&X"]]);
    expect(xmlLeaves("<a>&#65;&lol;</a>")).toEqual([["a", "&#65;&lol;"]]);
  });
  it("leaves out elements with markup inside and mismatched closing tags", () => {
    expect(xmlLeaves("<a><b>1</b></a><c>2</d>")).toEqual([["b", "1"]]);
  });
  it("reads nothing from a document with a DTD, and stops at its limit", () => {
    expect(xmlLeaves('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')).toEqual([]);
    expect(xmlLeaves("<a>1</a>".repeat(10), 3)).toHaveLength(3);
  });
});
