import { SaxesParser } from "saxes";

/**
 * Small, strict XML reading for device replies (ISAPI, SADP, ONVIF). saxes checks well-formedness in the same
 * single pass that builds the tree, several times faster than parsing and validating separately, which matters at
 * tens of thousands of observations a second. A document with a DTD is refused before parsing: no entity is
 * ever expanded. The tree: element -> object of children by local name (namespace prefixes dropped), a leaf's
 * text as a string, repeated children as arrays; attributes are ignored.
 */
export type XmlTree = Record<string, unknown>;

export const XML_CAP = 64 * 1024;
const MAX_DEPTH = 32;
const MAX_ELEMENTS = 4096;

interface Frame {
  name: string;
  children: XmlTree | undefined;
  text: string;
}

function add(parent: XmlTree, name: string, value: unknown): void {
  if (!(name in parent)) parent[name] = value;
  else {
    const prev = parent[name];
    if (Array.isArray(prev)) prev.push(value);
    else parent[name] = [prev, value];
  }
}

const local = (name: string) => name.slice(name.indexOf(":") + 1);

/** The tree, or a reason it was not read. Never throws. */
export function readXml(text: string): { tree: XmlTree } | { error: string } {
  if (text.length > XML_CAP) return { error: `XML over ${XML_CAP / 1024} KiB not parsed` };
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return { error: "XML with a DOCTYPE or ENTITY declaration refused" };
  const root: XmlTree = {};
  const stack: Frame[] = [];
  let elements = 0;
  let error: string | undefined;
  const p = new SaxesParser({ position: false });
  p.on("error", (e) => {
    error ??= e.message;
    // The first error decides: stop instead of letting saxes report every later one (each builds an Error).
    throw e;
  });
  p.on("opentag", (t) => {
    if (++elements > MAX_ELEMENTS || stack.length >= MAX_DEPTH) {
      error ??= `more than ${MAX_ELEMENTS} elements or ${MAX_DEPTH} levels`;
      throw new Error(error);
    }
    stack.push({ name: local(t.name), children: undefined, text: "" });
  });
  p.on("text", (t) => {
    const top = stack[stack.length - 1];
    // Once an element has children its text is layout whitespace: mixed content is not kept.
    if (top && !top.children && top.text.length < XML_CAP) top.text += t;
  });
  p.on("cdata", (t) => {
    const top = stack[stack.length - 1];
    if (top && top.text.length < XML_CAP) top.text += t;
  });
  p.on("closetag", () => {
    const f = stack.pop();
    if (!f) return;
    const parent = stack.length ? (stack[stack.length - 1] as Frame) : undefined;
    const value = f.children ?? f.text;
    if (parent) add((parent.children ??= {}), f.name, value);
    else add(root, f.name, value);
  });
  try {
    // Devices pad replies: a newline before the declaration, NULs after the root (UDP payloads).
    p.write(text.replace(/^[\s\uFEFF]+/, "").replace(/[\s\0]+$/, "")).close();
  } catch (e) {
    error ??= (e as Error).message;
  }
  if (error) return { error: `malformed XML (${error.replace(/\s+/g, " ").slice(0, 120)})` };
  return { tree: root };
}

// `<name attrs>text</name>` with no markup inside; names, attributes and text bounded, so the scan stays linear.
const LEAF =
  /<((?:[A-Za-z_][\w.-]{0,31}:)?([A-Za-z_][\w.-]{0,63}))(?:\s[^<>]{0,300})?>([^<>]{0,1024})<\/\1\s*>/g;
const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/**
 * The leaf elements of XML that did not parse, read one by one: a reply cut at a size cap still holds the fields
 * before the cut, and a log may keep only a fragment. Never used on a document with a DTD, and only the five
 * predefined entities are decoded, so nothing is ever expanded.
 */
export function xmlLeaves(text: string, max = 256): [string, string][] {
  const s = text.slice(0, XML_CAP);
  if (/<!DOCTYPE|<!ENTITY/i.test(s)) return [];
  const out: [string, string][] = [];
  for (const m of s.matchAll(LEAF)) {
    const value = (m[3] as string).replace(
      /&(lt|gt|amp|quot|apos);/g,
      (_, e: string) => PREDEFINED[e] as string,
    );
    out.push([m[2] as string, value.trim()]);
    if (out.length >= max) break;
  }
  return out;
}
